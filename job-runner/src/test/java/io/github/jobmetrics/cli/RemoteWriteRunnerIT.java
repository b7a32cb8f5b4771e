package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jobmetrics.testing.PrometheusProcess;
import io.github.jobmetrics.testing.RuleExpressions;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner writes its run straight to a real remote-write receiver, without a Pushgateway. */
class RemoteWriteRunnerIT {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir Path dir;

    /** A receiver's instant query at a time. */
    private interface Query {
        String scalar(String promql, long atMillis) throws IOException, InterruptedException;
    }

    private record Receiver(String name, URI writeUri, Query query) { }

    /**
     * A job that waits, at most 30 s, until the test creates {@code release} in its directory: the test looks at
     * the receiver while the job runs.
     */
    private Path jobWaitingForRelease() throws IOException {
        Path script = dir.resolve("waits.sh");
        Files.writeString(script, "#!/bin/sh\ni=0\nwhile [ ! -f release ] && [ $i -lt 600 ]; do sleep 0.05;"
                + " i=$((i+1)); done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Polls, with a bound, until {@code promql} at the current time gives {@code expected}. */
    private static void awaitValue(Query q, String promql, String expected, RunnerProcess r) throws Exception {
        long end = System.nanoTime() + BOUND.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            try {
                last = q.scalar(promql, System.currentTimeMillis());
                if (last.equals(expected)) {
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        fail(promql + " did not give " + expected + " within " + BOUND + " (last: " + last + "); runner stderr: "
                + r.stderr());
    }

    @Test
    void aRunningJobIsSeenRunningAndThenStuckByBothReceiversWhileItRunsAndNotOnceItHasEnded() throws Exception {
        String stuck = RuleExpressions.of(Path.of("..", "docs", "prometheus", "rules-remote-write.yml")
                .toAbsolutePath().normalize(), "BatchJobStuckRunning");
        try (PrometheusProcess prometheus = PrometheusProcess.start();
                VictoriaMetricsProcess victoria = VictoriaMetricsProcess.start()) {
            Query vm = (q, at) -> {
                victoria.flush();
                return victoria.scalar(q, at);
            };
            for (Receiver receiver : List.of(new Receiver("prometheus", prometheus.writeUri(), prometheus::scalar),
                    new Receiver("victoria_metrics", victoria.writeUri(), vm))) {
                String job = "runner_in_progress_" + receiver.name();
                Query q = receiver.query();
                Files.deleteIfExists(dir.resolve("release"));
                try (RunnerProcess r = RunnerProcess.start(dir, Map.of(), List.of("--job", job, "--job-slo", "1s",
                        "--remote-write", receiver.writeUri().toString(),
                        "--spool-dir", dir.resolve("spool").toString(), "--no-agent", "--", jobWaitingForRelease().toString()))) {
                    String running = "last_over_time(batch_job_running{job=\"" + job + "\"}[1h])";
                    String stuckCount = "count((" + stuck + ") and on (job) last_over_time(batch_job_running{job=\""
                            + job + "\"}[30d])) or vector(0)";
                    awaitValue(q, running, "1", r);
                    // The objective is 1 s and the job is still waiting: BatchJobStuckRunning's expression fires.
                    awaitValue(q, stuckCount, "1", r);
                    assertTrue(r.process().isAlive(), "the job still runs: " + r.stderr());
                    Files.writeString(dir.resolve("release"), "");
                    assertEquals(0, r.awaitExit(), r.stderr());
                    assertTrue(r.stderr().contains("; wrote "), r.stderr());
                    assertTrue(!r.stderr().contains("start sample"), r.stderr());
                    awaitValue(q, running, "0", r);
                    awaitValue(q, stuckCount, "0", r);
                    assertEquals("2", q.scalar("count_over_time(batch_job_running{job=\"" + job + "\"}[1h])",
                            System.currentTimeMillis()), "the start sample and the final write");
                }
            }
        }
    }

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
