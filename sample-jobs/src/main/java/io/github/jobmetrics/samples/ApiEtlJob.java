package io.github.jobmetrics.samples;

import io.github.jobmetrics.api.JobMetrics;
import io.github.jobmetrics.api.JobRun;
import io.github.jobmetrics.api.Stage;
import io.prometheus.client.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ETL job measured with the {@code JobMetrics} API: stages {@code extract}, {@code transform} and
 * {@code load}, input and output counts, and one business counter of its own with a bounded label. Every 50th
 * row is malformed (a transform error), every 20th is slow to load.
 */
public final class ApiEtlJob {
    private static final Counter AMOUNT_BY_COUNTRY = Counter.build()
            .name("etl_amount_total").help("Sum of loaded amounts by country.")
            .labelNames("country").register();

    private ApiEtlJob() {
    }

    public static void main(String[] args) throws Exception {
        JobOptions options = JobOptions.parse(args);
        int status;
        try (JobRun run = JobMetrics.startOrJoin()) {
            status = etl(run, options);
            if (status != 0) {
                run.fail(status);
            }
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    static int etl(JobRun run, JobOptions options) throws Exception {
        Stage extract = run.stage("extract");
        Stage transform = run.stage("transform");
        Stage load = run.stage("load");

        List<String> lines = new ArrayList<>(options.rows);
        for (int i = 0; i < options.rows; i++) {
            int n = i;
            lines.add(extract.record(() -> SeededRows.row(options.seed, n)));
        }
        extract.input(lines.size());

        List<String[]> valid = new ArrayList<>();
        for (String line : lines) {
            long t = transform.begin();
            try {
                String[] fields = line.split(",");
                Integer.parseInt(fields[2]);
                valid.add(fields);
                transform.success(t);
            } catch (NumberFormatException e) {
                transform.failure(t, e);
            }
        }

        for (String[] fields : valid) {
            load.record(() -> {
                if (SeededRows.isSlow(Integer.parseInt(fields[0]))) {
                    TimeUnit.MILLISECONDS.sleep(options.slowMillis);
                }
                AMOUNT_BY_COUNTRY.labels(fields[1]).inc(Integer.parseInt(fields[2]));
            });
        }
        load.output(valid.size());
        System.out.println("loaded " + valid.size() + " of " + lines.size() + " rows");
        return Failures.apply(options.fail);
    }
}
