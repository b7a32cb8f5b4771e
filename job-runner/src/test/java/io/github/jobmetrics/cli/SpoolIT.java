package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.ExitWith;
import io.github.jobmetrics.testing.FreePort;
import io.github.jobmetrics.testing.PushgatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pushgateway down for one run and up for the next: nothing is lost and nobody waits long. */
class SpoolIT {
    @TempDir Path dir;

    @Test
    void runPushedWhileTheGatewayIsDownIsDeliveredByTheNextRunWithItsStatus() throws Exception {
        Path spool = dir.resolve("spool");
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        String down = "http://127.0.0.1:" + FreePort.next();

        RunnerProcess first = RunnerProcess.run(dir, Map.of(), "--gateway", down, "--job", "spooled_run",
                "--push-timeout", "3s", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "3");
        assertEquals(3, first.status(), "a push failure never changes the job's status: " + first.stderr());
        assertTrue(first.stderr().contains("for delivery by the next run"), first.stderr());
        assertTrue(first.elapsed().compareTo(Duration.ofSeconds(3 + 15)) < 0,
                "bounded by the push timeout plus two JVM starts: " + first.elapsed());
        try (Stream<Path> entries = Files.list(spool)) {
            assertTrue(entries.findAny().isPresent(), "the run waits in the spool");
        }

        try (PushgatewayProcess gateway = PushgatewayProcess.start()) {
            RunnerProcess second = RunnerProcess.run(dir, Map.of(), "--gateway", gateway.baseUri().toString(),
                    "--job", "next_run", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "0");
            assertEquals(0, second.status(), second.stderr());
            assertTrue(second.stderr().contains("delivered spooled"), second.stderr());
            GatewayPage page = new GatewayPage(gateway.metricsPage());
            assertEquals(3, page.require("batch_job_exit_code", "spooled_run"));
            assertEquals(0, page.require("batch_job_success", "spooled_run"));
            assertEquals(1, page.require("batch_job_failure_reason", "spooled_run", "reason=\"exit_code\""));
            assertEquals(1, page.require("batch_job_success", "next_run"));
        }
    }
}
