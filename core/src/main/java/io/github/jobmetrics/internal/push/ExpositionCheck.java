package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Catches, before pushing, what would make the Pushgateway refuse the whole push with a 400: names it owns,
 * timestamps, invalid names, two families claiming one sample name (a type conflict), duplicate series, and body
 * labels that contradict the grouping key. The offending family is dropped and named; the rest goes out. Earlier
 * families win, so the run's own metrics always survive a clash with a job's collector.
 */
public final class ExpositionCheck {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> OWNED_PREFIXES = List.of("pushgateway_", "go_", "process_");
    private static final Set<String> OWNED_NAMES = Set.of("push_time_seconds", "push_failure_time_seconds");

    private ExpositionCheck() {
    }

    /** The families that can be pushed safely to {@code group}; each dropped one is reported on {@code warnings}. */
    public static List<MetricFamilySamples> check(List<MetricFamilySamples> families, GroupingKey group,
            Consumer<String> warnings) {
        requireNonNull(families, "families must not be null");
        requireNonNull(group, "group must not be null");
        requireNonNull(warnings, "warnings must not be null");
        Map<String, String> grouping = group.allLabels();
        Map<String, String> sampleOwner = new HashMap<>();
        List<MetricFamilySamples> kept = new ArrayList<>();
        for (MetricFamilySamples f : families) {
            String problem = problem(f, grouping, sampleOwner);
            if (problem != null) {
                warnings.accept("jobmetrics: metric " + f.name + " is not pushed: " + problem);
                continue;
            }
            for (Sample s : f.samples) {
                sampleOwner.put(s.name, f.name);
            }
            sampleOwner.put(f.name, f.name);
            kept.add(f);
        }
        return kept;
    }

    private static String problem(MetricFamilySamples f, Map<String, String> grouping,
            Map<String, String> sampleOwner) {
        if (!METRIC_NAME.matcher(f.name).matches()) {
            return "invalid metric name";
        }
        if (OWNED_NAMES.contains(f.name) || OWNED_PREFIXES.stream().anyMatch(f.name::startsWith)) {
            return "the Pushgateway owns this name; rename it";
        }
        if (sampleOwner.containsKey(f.name)) {
            return "the name is already used by metric " + sampleOwner.get(f.name)
                    + " of this push (a type conflict or a second registration)";
        }
        Set<SeriesKey> series = new HashSet<>();
        for (Sample s : f.samples) {
            if (!METRIC_NAME.matcher(s.name).matches()) {
                return "invalid sample name " + s.name;
            }
            String owner = sampleOwner.get(s.name);
            if (owner != null) {
                return "sample " + s.name + " is already used by metric " + owner + " of this push";
            }
            if (s.timestampMs != null) {
                return "sample " + s.name + " carries a timestamp, which the Pushgateway refuses";
            }
            boolean carriesGroupingLabel = false;
            for (int i = 0; i < s.labelNames.size(); i++) {
                String name = s.labelNames.get(i);
                if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                    return "invalid label name " + name;
                }
                String groupValue = grouping.get(name);
                if (groupValue != null) {
                    if (!groupValue.equals(s.labelValues.get(i))) {
                        return "label " + name + " contradicts the grouping key";
                    }
                    carriesGroupingLabel = true;
                }
            }
            SeriesKey key = SeriesKey.of(s, carriesGroupingLabel ? grouping.keySet() : Set.of());
            if (key == null) {
                return "a label appears twice in one sample of " + s.name;
            }
            if (!series.add(key)) {
                return "duplicate series " + s.name + key.labels();
            }
        }
        return null;
    }

    /**
     * A series as the Pushgateway will see it: the sample name and its labels in name order, without the grouping
     * labels (which the gateway sets on every series, so a sample carrying one with the same value is the same
     * series as one without it). Samples whose label names already come strictly sorted, as most do, are keyed
     * by their own lists without copying: this runs once per pushed series.
     */
    private record SeriesKey(String name, List<String> names, List<String> values) {
        static SeriesKey of(Sample s, Set<String> grouping) {
            if (grouping.isEmpty() && strictlySorted(s.labelNames)) {
                return new SeriesKey(s.name, s.labelNames, s.labelValues);
            }
            TreeMap<String, String> labels = new TreeMap<>();
            for (int i = 0; i < s.labelNames.size(); i++) {
                String name = s.labelNames.get(i);
                if (!grouping.contains(name) && labels.put(name, s.labelValues.get(i)) != null) {
                    return null;
                }
            }
            return new SeriesKey(s.name, new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()));
        }

        private static boolean strictlySorted(List<String> names) {
            for (int i = 1; i < names.size(); i++) {
                if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                    return false;
                }
            }
            return true;
        }

        String labels() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < names.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"").append(values.get(i)).append('"');
            }
            return sb.append('}').toString();
        }

        // Written out: a record's generated equals and hashCode bootstrap through ObjectMethods, some 20 ms of
        // method-handle set-up on the first push of every runner and agent JVM.
        @Override
        public boolean equals(Object o) {
            return o instanceof SeriesKey k && name.equals(k.name) && names.equals(k.names) && values.equals(k.values);
        }

        @Override
        public int hashCode() {
            return (name.hashCode() * 31 + names.hashCode()) * 31 + values.hashCode();
        }
    }
}
