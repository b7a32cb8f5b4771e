package io.github.jobmetrics.internal.push.remotewrite;

import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.model.StageCounters;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.List;

/**
 * Runs of one job with known records, and the truth they carry: record, error and over-SLO counts and the sum of
 * record durations, added in the order the runs are counted (which the receiving tests keep equal to time order).
 */
final class SeededRuns {
    static final String JOB = "rw_job";
    static final String MAIN = "{job=\"" + JOB + "\",stage=\"main\"}";
    static final Duration SLO = Duration.ofMillis(100);
    static final long MS = 1_000_000L;
    /** Record durations of three runs in nanoseconds; negative ones fail (errors alternate two classes). */
    static final long[][] THREE_RUNS = {
        {37 * MS, 180 * MS, -12 * MS, 95 * MS, 101 * MS, 7 * MS},
        {250 * MS, -300 * MS, 41 * MS},
        {13 * MS, 17 * MS, 19 * MS, -23 * MS, -29 * MS, 31 * MS, 420 * MS, 66 * MS},
    };

    double records;
    double errors;
    double overSlo;
    double durationSum;

    /** The families of a run that ended at {@code end} with records of {@code durations}. */
    static List<MetricFamilySamples> run(long[] durations, long end) {
        RunRegistry registry = RunRegistry.builder().recordSlos(List.of(SLO)).startEpochMillis(end - 30_000).build();
        StageCounters main = registry.stage("main");
        for (int i = 0; i < durations.length; i++) {
            if (durations[i] < 0) {
                main.recordFailure(-durations[i], i % 2 == 0 ? "IOException" : "TimeoutException");
            } else {
                main.recordSuccess(durations[i]);
            }
        }
        return registry.collect(RunEnding.success(end));
    }

    /** Adds what {@code families} carry to the truth. */
    void count(List<MetricFamilySamples> families) {
        records += value(families, "batch_job_records_total");
        errors += value(families, "batch_job_record_errors_total");
        overSlo += value(families, "batch_job_records_over_slo_total");
        durationSum += value(families, "batch_job_record_duration_seconds_total");
    }

    /** The sum of the samples named {@code name} of stage main. */
    private static double value(List<MetricFamilySamples> families, String name) {
        double sum = 0;
        for (MetricFamilySamples f : families) {
            for (Collector.MetricFamilySamples.Sample s : f.samples) {
                if (s.name.equals(name) && s.labelValues.contains("main")) {
                    sum += s.value;
                }
            }
        }
        return sum;
    }

    /** PromQL (and MetricsQL) adding one series name's per-run values of stage main over {@code window}. */
    static String sumOver(String name, String window) {
        return "sum(sum_over_time(" + name + MAIN + "[" + window + "]))";
    }

    static String errorRatio(String window) {
        return sumOver("batch_job_record_errors_total", window) + " / " + sumOver("batch_job_records_total", window);
    }

    static String attainment(String window) {
        return "1 - " + sumOver("batch_job_records_over_slo_total", window) + " / "
                + sumOver("batch_job_records_total", window);
    }

    static String meanRecordDuration(String window) {
        return "sum_over_time(batch_job_record_duration_seconds_total" + MAIN + "[" + window + "]) / "
                + "sum_over_time(batch_job_records_total" + MAIN + "[" + window + "])";
    }
}
