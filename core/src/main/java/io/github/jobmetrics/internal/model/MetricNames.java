package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/** The names of the run and record metrics for one prefix (default {@code batch_job}). */
public final class MetricNames {
    /** The contract's default prefix. */
    public static final String DEFAULT_PREFIX = "batch_job";
    private static final Pattern VALID_PREFIX = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final String prefix;

    public MetricNames(String prefix) {
        requireNonNull(prefix, "prefix must not be null");
        if (!VALID_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("metric prefix \"" + prefix
                    + "\" is not a valid metric name; use letters, digits, _ and :, not starting with a digit");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    private String n(String suffix) {
        return prefix + "_" + suffix;
    }

    public String startTimestamp() {
        return n("start_timestamp_seconds");
    }

    public String duration() {
        return n("duration_seconds");
    }

    public String lastCompletion() {
        return n("last_completion_timestamp_seconds");
    }

    public String lastSuccess() {
        return n("last_success_timestamp_seconds");
    }

    public String lastFailure() {
        return n("last_failure_timestamp_seconds");
    }

    public String success() {
        return n("success");
    }

    public String exitCode() {
        return n("exit_code");
    }

    public String durationSlo() {
        return n("duration_slo_seconds");
    }

    public String failureReason() {
        return n("failure_reason");
    }

    public String running() {
        return n("running");
    }

    public String info() {
        return n("info");
    }

    public String recordsTotal() {
        return n("records_total");
    }

    public String recordErrorsTotal() {
        return n("record_errors_total");
    }

    public String recordsOverSloTotal() {
        return n("records_over_slo_total");
    }

    public String recordDurationSecondsTotal() {
        return n("record_duration_seconds_total");
    }

    public String recordSlo() {
        return n("record_slo_seconds");
    }

    public String inputRecordsTotal() {
        return n("input_records_total");
    }

    public String outputRecordsTotal() {
        return n("output_records_total");
    }

    public String labelValuesDroppedTotal() {
        return n("label_values_dropped_total");
    }

    /** The label names of each counter's series, as {@link RunRegistry} writes them. */
    public java.util.Map<String, List<String>> counterLabels() {
        return java.util.Map.of(recordsTotal(), List.of("stage"), recordErrorsTotal(), List.of("stage", "error"),
                recordsOverSloTotal(), List.of("stage", "slo"), recordDurationSecondsTotal(), List.of("stage"),
                inputRecordsTotal(), List.of("stage"), outputRecordsTotal(), List.of("stage"),
                labelValuesDroppedTotal(), List.of("metric", "label"));
    }

    /** Every name this prefix owns, for the collision check against the job's own collectors. */
    public List<String> all() {
        return List.of(startTimestamp(), duration(), lastCompletion(), lastSuccess(), lastFailure(), success(),
                exitCode(), durationSlo(), failureReason(), running(), info(), recordSlo(), recordsTotal(),
                recordErrorsTotal(), recordsOverSloTotal(), recordDurationSecondsTotal(), inputRecordsTotal(),
                outputRecordsTotal(), labelValuesDroppedTotal());
    }
}
