package io.github.jobmetrics.agent.jobs;

import io.github.jobmetrics.api.JobMetrics;
import io.github.jobmetrics.api.JobRun;
import io.prometheus.client.Counter;
import java.util.concurrent.locks.LockSupport;

/**
 * A job with a known mix of calls, measured by the agent's patterns only. With {@code record-slo=100ms}:
 * stage main: 13 records (10 of {@code processRow(String)}, 3 of {@code processRow(String, int)}), errors
 * IllegalStateException 2 and IllegalArgumentException 1, 2 over the threshold; stage parse (instance method):
 * 5 records, 1 over; input 4, output 6. Also: a counter of its own in the default registry, and 2 records through
 * the API in stage {@code api}, which must join the agent's run.
 */
public final class EtlJob {
    private static final Counter CUSTOM = Counter.build("etl_job_custom_total", "The job's own counter.")
            .register();

    private EtlJob() {
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 10; i++) {
            try {
                processRow(i == 3 ? "slow" : i == 5 ? "slow-bad" : i == 7 ? "bad" : i == 8 ? "illegal" : "ok");
            } catch (RuntimeException expected) {
                // counted as a record error by the agent
            }
        }
        for (int i = 0; i < 3; i++) {
            processRow("ok", i);
        }
        Parser parser = new Parser();
        for (int i = 0; i < 5; i++) {
            parser.parse(i == 2 ? "slow" : "ok");
        }
        for (int i = 0; i < 4; i++) {
            read();
        }
        for (int i = 0; i < 6; i++) {
            write();
        }
        CUSTOM.inc(42);
        JobRun run = JobMetrics.startOrJoin();
        System.out.println("joined=" + run.joined());
        run.stage("api").record(() -> { });
        run.stage("api").record(() -> { });
        run.close();
        System.out.println("etl done");
    }

    static void processRow(String row) {
        if (row.startsWith("slow")) {
            busy(150);
        }
        if (row.endsWith("bad")) {
            throw new IllegalStateException("bad row");
        }
        if (row.equals("illegal")) {
            throw new IllegalArgumentException("illegal row");
        }
    }

    static int processRow(String row, int n) {
        return row.length() + n;
    }

    static String read() {
        return "row";
    }

    static void write() {
    }

    /** Works for {@code millis} without sleeping, so the record's time is its own. */
    static void busy(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** A class with an instance method as a pattern. */
    public static final class Parser {
        public String parse(String text) {
            if (text.equals("slow")) {
                busy(150);
            }
            return text.toUpperCase(java.util.Locale.ROOT);
        }
    }
}
