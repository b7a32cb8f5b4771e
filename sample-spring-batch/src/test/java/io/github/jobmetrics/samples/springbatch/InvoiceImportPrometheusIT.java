package io.github.jobmetrics.samples.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayProcess;
import io.github.jobmetrics.testing.ScrapingPrometheus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample application's run, from its push through the Pushgateway to the recording rules of docs/prometheus. */
class InvoiceImportPrometheusIT {
    private static final Path RULES = Path.of("..", "docs", "prometheus", "rules.yml").toAbsolutePath().normalize();
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.eE+-]+,\"([^\"]+)\"\\]");
    private static final Duration BOUND = Duration.ofSeconds(30);
    @TempDir Path tmp;

    @Test
    void prometheusComputesTheExactErrorRatioAndAttainmentOfTheSpringBatchRun() throws Exception {
        try (PushgatewayProcess gateway = PushgatewayProcess.start();
                ScrapingPrometheus prometheus = ScrapingPrometheus.start(gateway.baseUri(), List.of(RULES))) {
            Path output = tmp.resolve("app.log");
            Process app = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), InvoiceImportApplication.class.getName(),
                    "--jobmetrics.gateway=" + gateway.baseUri(), "--jobmetrics.spool-dir=" + tmp.resolve("spool"),
                    // A threshold no item comes near, so that attainment is exact on a loaded machine too.
                    "--jobmetrics.record-slo=10s", "region=prom"))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!app.waitFor(120, TimeUnit.SECONDS)) {
                app.destroyForcibly();
                throw new AssertionError("the application did not end in 120 s");
            }
            assertEquals(0, app.exitValue(), Files.readString(output, StandardCharsets.UTF_8));

            // 14 of the 100 invoices were invalid and skipped: the ratio is 14/100 as Prometheus divides it.
            awaitValue(prometheus, "job_stage:batch_job_record_errors:ratio{job=\"invoiceImport\",stage=\"book\"}",
                    14.0 / 100);
            awaitValue(prometheus, "job_stage_slo:batch_job_records_within_slo:ratio"
                    + "{job=\"invoiceImport\",stage=\"book\",slo=\"10\"}", 1);
        }
    }

    /** Polls (within {@link #BOUND}) until {@code promql} has exactly one result equal to {@code expected}. */
    private static void awaitValue(ScrapingPrometheus prometheus, String promql, double expected) throws Exception {
        long end = System.nanoTime() + BOUND.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            String body = prometheus.query(promql);
            Matcher m = VALUE.matcher(body);
            last = m.find() ? m.group(1) : null;
            assertTrue(last == null || !m.find(), "more than one series for " + promql + ": " + body);
            if (last != null && Double.parseDouble(last) == expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(promql + ": expected exactly " + expected + " within " + BOUND.toSeconds()
                + " s, last answer " + last);
    }
}
