package io.github.jobmetrics.internal.model;

import static java.util.Objects.requireNonNull;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Lets families from outside the run (a job's metrics file, its default registry) join the run's families
 * without touching the names the run owns. The Pushgateway keeps one type per name across every group, so one
 * untyped {@code batch_job_records_total} pushed by one job would make it refuse every other job's record
 * counters: the run's names and types are therefore never taken from the outside.
 * <ul>
 * <li>A hand-off source (the file a runner reads) may carry record counts, which is how a shell job or an agent
 * reports records: each such sample is added to the run's counter of that name, summed per label set, whatever
 * type its file declared, provided its labels are exactly the counter's.</li>
 * <li>Every other run-owned name (the run gauges, and record counters from a source that may not carry them) is
 * refused with one line.</li>
 * <li>Anything else joins as it is, unless its family name is one the run already uses.</li>
 * </ul>
 */
public final class ForeignFamilies {
    private final Map<String, List<String>> counterLabels;
    private final Set<String> owned;
    private final Consumer<String> warnings;

    public ForeignFamilies(MetricNames names, Consumer<String> warnings) {
        requireNonNull(names, "names must not be null");
        this.counterLabels = names.counterLabels();
        this.owned = new HashSet<>(names.all());
        this.warnings = requireNonNull(warnings, "warnings must not be null");
    }

    /**
     * The run's families followed by the admitted foreign ones. {@code mayCarryRecords} says whether
     * {@code source} may report record counts; {@code source} names it in warnings.
     */
    public List<MetricFamilySamples> admit(List<MetricFamilySamples> run, List<MetricFamilySamples> foreign,
            boolean mayCarryRecords, String source) {
        Map<String, MetricFamilySamples> counters = new LinkedHashMap<>();
        List<MetricFamilySamples> others = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (MetricFamilySamples f : run) {
            taken.add(f.name);
            f.samples.forEach(s -> taken.add(s.name));
            if (f.type == Collector.Type.COUNTER && counterLabels.containsKey(f.name + "_total")) {
                counters.put(f.name + "_total", f);
            } else {
                others.add(f);
            }
        }
        List<MetricFamilySamples> admitted = new ArrayList<>();
        for (MetricFamilySamples f : foreign) {
            List<Sample> records = new ArrayList<>();
            String refused = null;
            for (Sample s : f.samples) {
                if (!owned.contains(s.name) && !owned.contains(f.name)) {
                    continue;
                }
                if (!mayCarryRecords || !counterLabels.containsKey(s.name)) {
                    refused = s.name;
                    break;
                }
                records.add(s);
            }
            if (refused != null) {
                warnings.accept("jobmetrics: metric " + f.name + " from " + source + " uses " + refused
                        + ", a name of the jobmetrics run, and is not pushed; rename it or set another"
                        + " metric-prefix");
            } else if (!records.isEmpty()) {
                addRecords(counters, f, records, source);
            } else if (taken.contains(f.name) || f.samples.stream().anyMatch(s -> taken.contains(s.name))) {
                warnings.accept("jobmetrics: metric " + f.name + " from " + source + " has the name of a"
                        + " metric already in this run (its own, or from another file) and is not pushed again");
            } else {
                admitted.add(f);
                // The job's file and the hand-off may both hold a family: the push takes each name once.
                taken.add(f.name);
                f.samples.forEach(s -> taken.add(s.name));
            }
        }
        List<MetricFamilySamples> out = new ArrayList<>(others);
        out.addAll(counters.values());
        out.addAll(admitted);
        return out;
    }

    private void addRecords(Map<String, MetricFamilySamples> counters, MetricFamilySamples from, List<Sample> samples,
            String source) {
        if (samples.size() != from.samples.size()) {
            warnings.accept("jobmetrics: metric " + from.name + " from " + source + " mixes jobmetrics record"
                    + " counters with other samples and is not pushed; give the other samples their own name");
            return;
        }
        for (Sample s : samples) {
            List<String> labels = counterLabels.get(s.name);
            if (!new HashSet<>(s.labelNames).equals(new HashSet<>(labels)) || s.labelNames.size() != labels.size()) {
                warnings.accept("jobmetrics: " + s.name + s.labelNames + " from " + source + " is not pushed: this"
                        + " jobmetrics counter takes exactly the labels " + labels);
                continue;
            }
            if (!(s.value >= 0) || Double.isInfinite(s.value)) {
                warnings.accept("jobmetrics: " + s.name + " from " + source + " is not pushed: a count must be a"
                        + " finite number of at least 0, was " + s.value);
                continue;
            }
            counters.merge(s.name, counterOf(s), ForeignFamilies::sum);
        }
    }

    private MetricFamilySamples counterOf(Sample s) {
        List<String> labels = counterLabels.get(s.name);
        List<String> values = new ArrayList<>();
        for (String label : labels) {
            values.add(s.labelValues.get(s.labelNames.indexOf(label)));
        }
        String family = s.name.substring(0, s.name.length() - "_total".length());
        return new MetricFamilySamples(family, Collector.Type.COUNTER, "Record counter reported by the job.",
                List.of(new Sample(s.name, labels, values, s.value)));
    }

    /** Adds {@code more}'s samples to {@code into}'s, summing series with the same labels (both in canonical order). */
    private static MetricFamilySamples sum(MetricFamilySamples into, MetricFamilySamples more) {
        Map<List<String>, Sample> byLabels = new LinkedHashMap<>();
        for (Sample s : into.samples) {
            byLabels.put(s.labelValues, s);
        }
        for (Sample s : more.samples) {
            Sample before = byLabels.get(s.labelValues);
            double total = s.value + (before == null ? 0 : before.value);
            byLabels.put(s.labelValues, new Sample(s.name, s.labelNames, s.labelValues, total));
        }
        return new MetricFamilySamples(into.name, into.type, into.help, new ArrayList<>(byLabels.values()));
    }
}
