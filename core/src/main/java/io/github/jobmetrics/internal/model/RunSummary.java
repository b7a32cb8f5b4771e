package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.Map;
import java.util.TreeMap;

/**
 * The line a person reads at the end of a run: how it ended, in how long, its records and errors with their ratio,
 * and the share of records within each threshold, all taken from the families the run pushes, so the line and
 * the Pushgateway never disagree.
 */
public final class RunSummary {
    private RunSummary() {
    }

    /**
     * For example {@code job etl failed (exit status 3) in 2.31 s: 500 records, 10 errors (2%), 95.92% within 0.1 s};
     * with several stages, each stage's figures in turn ({@code ...: extract 1000 records, ...; load 980 records,
     * ...}), since records of different stages are not the same things and are not added up.
     */
    public static String of(String job, RunEnding ending, long startEpochMillis, Iterable<MetricFamilySamples> families,
            MetricNames names) {
        requireNonNull(ending, "ending must not be null");
        Map<String, StageFigures> stages = new TreeMap<>();
        for (MetricFamilySamples f : families) {
            for (Sample s : f.samples) {
                int stageAt = s.labelNames.indexOf("stage");
                if (stageAt < 0) {
                    continue;
                }
                StageFigures st = stages.computeIfAbsent(s.labelValues.get(stageAt), k -> new StageFigures());
                if (s.name.equals(names.recordsTotal())) {
                    st.records += s.value;
                } else if (s.name.equals(names.recordErrorsTotal())) {
                    st.errors += s.value;
                } else if (s.name.equals(names.recordsOverSloTotal())) {
                    st.overBySlo.merge(Double.parseDouble(s.labelValues.get(s.labelNames.indexOf("slo"))), s.value,
                            Double::sum);
                }
            }
        }
        stages.values().removeIf(st -> st.records == 0);
        StringBuilder sb = new StringBuilder("job ").append(job).append(' ').append(ended(ending)).append(" in ")
                .append(decimal(Math.max(0, ending.endEpochMillis() - startEpochMillis) / 1000.0, 2)).append(" s: ");
        if (stages.isEmpty()) {
            return sb.append("no records").toString();
        }
        String separator = "";
        for (Map.Entry<String, StageFigures> e : stages.entrySet()) {
            sb.append(separator).append(stages.size() > 1 ? e.getKey() + " " : "");
            e.getValue().appendTo(sb);
            separator = "; ";
        }
        return sb.toString();
    }

    /** One stage's counts, summed over its series. */
    private static final class StageFigures {
        double records;
        double errors;
        final Map<Double, Double> overBySlo = new TreeMap<>();

        void appendTo(StringBuilder sb) {
            sb.append(count(records)).append(records == 1 ? " record, " : " records, ")
                    .append(count(errors)).append(errors == 1 ? " error (" : " errors (")
                    .append(percent(errors / records)).append(')');
            for (Map.Entry<Double, Double> e : overBySlo.entrySet()) {
                sb.append(", ").append(percent(1 - e.getValue() / records)).append(" within ")
                        .append(decimal(e.getKey(), 9)).append(" s");
            }
        }
    }

    private static String ended(RunEnding ending) {
        if (ending.success()) {
            return "succeeded";
        }
        FailureReason reason = ending.reason().orElseThrow();
        String status = ending.exitCode().isPresent() ? "exit status " + ending.exitCode().getAsInt() : "";
        String why = reason == FailureReason.EXIT_CODE ? "" : reason.label().replace('_', ' ');
        String both = why.isEmpty() || status.isEmpty() ? why + status : why + ", " + status;
        return both.isEmpty() ? "failed" : "failed (" + both + ")";
    }

    private static String count(double n) {
        return n == Math.rint(n) && Math.abs(n) < 1e15 ? Long.toString((long) n) : Double.toString(n);
    }

    private static String percent(double ratio) {
        return decimal(ratio * 100, 2) + "%";
    }

    /**
     * At most {@code places} decimals, no trailing zeros, never exponent notation. Done by hand: BigDecimal or a
     * Formatter would load and initialise a dozen classes in every job's last moments for one line.
     */
    static String decimal(double v, int places) {
        long scale = 1;
        for (int i = 0; i < places; i++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(v) * scale);
        StringBuilder sb = new StringBuilder(v < 0 && scaled != 0 ? "-" : "").append(scaled / scale);
        long fraction = scaled % scale;
        if (fraction != 0) {
            String digits = Long.toString(fraction + scale).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(digits, 0, end);
        }
        return sb.toString();
    }
}
