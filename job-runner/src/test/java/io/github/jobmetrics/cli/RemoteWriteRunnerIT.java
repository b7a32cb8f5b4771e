package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner writes its run straight to a real Prometheus remote-write receiver, without a Pushgateway. */
class RemoteWriteRunnerIT {
    @TempDir Path dir;

    @Test
    void runWithoutAGatewayIsWrittenToTheReceiverWithItsExactCounts() throws Exception {
        Path script = dir.resolve("records.sh");
        Files.writeString(script, "#!/bin/sh\nprintf 'batch_job_records_total{stage=\"main\"} 200\\n"
                + "batch_job_record_errors_total{stage=\"main\",error=\"E\"} 3\\n' > \"$JOBMETRICS_TEXTFILE\"\nexit 4\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (PrometheusProcess prometheus = PrometheusProcess.start()) {
            long before = System.currentTimeMillis();
            RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--job", "remote_written", "--remote-write",
                    prometheus.writeUri().toString(), "--", script.toString());
            assertEquals(4, r.status(), r.stderr());
            assertTrue(r.stderr().contains("job remote_written failed (exit status 4)"), r.stderr());
            assertTrue(r.stderr().contains("; wrote "), r.stderr());
            assertTrue(!r.stderr().contains("no gateway set"), "the remote write is the delivery: " + r.stderr());
            long at = System.currentTimeMillis() + 1_000;
            assertTrue(at > before);
            assertEquals("200", prometheus.scalar(
                    "sum(sum_over_time(batch_job_records_total{job=\"remote_written\"}[1h]))", at));
            assertEquals("0.015", prometheus.scalar("sum(sum_over_time(batch_job_record_errors_total"
                    + "{job=\"remote_written\"}[1h])) / sum(sum_over_time(batch_job_records_total"
                    + "{job=\"remote_written\"}[1h]))", at));
            assertEquals("4", prometheus.scalar("max(batch_job_exit_code{job=\"remote_written\"})", at));
        }
    }
}
