package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's metrics file cannot poison the names the run owns: the Pushgateway keeps one type per name across all
 * groups, so one untyped record counter would make it refuse every other job's record counters.
 */
class RunOwnedNamesIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private Path script(String name, String metrics) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '" + metrics + "' > \"$JOBMETRICS_TEXTFILE\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private RunnerProcess run(String job, Path script, String... options) throws Exception {
        String[] args = new String[options.length + 6];
        System.arraycopy(new String[] {"--gateway", GATEWAY.get().baseUri().toString(), "--job", job}, 0, args, 0, 4);
        System.arraycopy(options, 0, args, 4, options.length);
        args[args.length - 2] = "--";
        args[args.length - 1] = script.toString();
        RunnerProcess r = RunnerProcess.run(dir, Map.of(), args);
        assertEquals(0, r.status(), r.stderr());
        return r;
    }

    @Test
    void untypedRecordCounterInAMetricsFileDoesNotPoisonOtherJobs() throws Exception {
        RunnerProcess first = run("untyped_records", script("untyped.sh",
                "batch_job_records_total{stage=\"main\"} 5\\n"));
        assertFalse(first.stderr().contains("answered 400"), first.stderr());
        RunnerProcess second = run("typed_records", script("typed.sh",
                "# TYPE batch_job_records_total counter\\nbatch_job_records_total{stage=\"main\"} 7\\n"));
        assertFalse(second.stderr().contains("answered 400"), second.stderr());

        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(5, page.require("batch_job_records_total", "untyped_records", "stage=\"main\""));
        assertEquals(7, page.require("batch_job_records_total", "typed_records", "stage=\"main\""));
    }

    @Test
    void accumulateWithAnUntypedRecordCounterAddsUpInsteadOfPushingTheNameTwice() throws Exception {
        Path script = script("untyped_acc.sh", "batch_job_records_total{stage=\"main\"} 5\\n");
        for (int i = 0; i < 3; i++) {
            RunnerProcess r = run("untyped_accumulate", script, "--accumulate");
            assertFalse(r.stderr().contains("answered 400"), r.stderr());
        }
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(15, page.require("batch_job_records_total", "untyped_accumulate", "stage=\"main\""));
    }

    @Test
    void runGaugeInAMetricsFileIsRefusedAndTheRunsOwnValueStands() throws Exception {
        RunnerProcess r = run("fake_success", script("fake.sh", "batch_job_last_failure_timestamp_seconds 1\\n"));
        assertEquals(true, r.stderr().contains("batch_job_last_failure_timestamp_seconds"), r.stderr());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(1, page.require("batch_job_success", "fake_success"));
        assertFalse(page.value("batch_job_last_failure_timestamp_seconds", "fake_success").isPresent(),
                page.toString());
    }
}
