package io.github.jobmetrics.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same ETL job as {@link ApiEtlJob} without a line of jobmetrics code, for the runner and the agent. Each
 * stage is a method, so the agent can count its calls as records:
 * {@code records.extract=io.github.jobmetrics.samples.PlainEtlJob#extract;...}.
 */
public final class PlainEtlJob {
    private final JobOptions options;
    private long loadedAmount;

    private PlainEtlJob(JobOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        JobOptions options = JobOptions.parse(args);
        PlainEtlJob job = new PlainEtlJob(options);
        int loaded = job.run();
        System.out.println("loaded " + loaded + " of " + options.rows + " rows, amount " + job.loadedAmount);
        int status = Failures.apply(options.fail);
        if (status != 0) {
            System.exit(status);
        }
    }

    private int run() {
        List<String[]> valid = new ArrayList<>();
        for (int i = 0; i < options.rows; i++) {
            String line = extract(options.seed, i);
            try {
                valid.add(transform(line));
            } catch (NumberFormatException malformed) {
                // counted by the agent as a transform error; the row is skipped
            }
        }
        for (String[] fields : valid) {
            load(fields);
        }
        return valid.size();
    }

    /** Reads row {@code i}: one input record. */
    static String extract(long seed, int i) {
        return SeededRows.row(seed, i);
    }

    /** Parses and validates a row; throws for a malformed one. */
    String[] transform(String line) {
        String[] fields = line.split(",");
        Integer.parseInt(fields[2]);
        return fields;
    }

    /** Writes a row: one output record; every 20th row is slow. */
    void load(String[] fields) {
        if (SeededRows.isSlow(Integer.parseInt(fields[0]))) {
            try {
                TimeUnit.MILLISECONDS.sleep(options.slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loadedAmount += Integer.parseInt(fields[2]);
    }
}
