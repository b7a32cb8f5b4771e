package io.github.jobmetrics.internal.push;

import io.github.jobmetrics.internal.textformat.TextFormatException;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code accumulate}: reads the gateway's {@code /metrics} page and continues each of the run's counters from the
 * value its group holds now. A series belongs to the group when its labels are exactly the grouping labels (with
 * the {@code instance=""} the Pushgateway adds) plus the counter's own labels, so a neighbouring group with one
 * more grouping label is never mistaken for ours. Series the group has and this run did not produce are kept,
 * so a counter never goes back to zero because one run did not touch it.
 */
final class GatewayCounterCarryOver implements CounterCarryOver {
    private final Map<String, List<String>> counterLabels;

    GatewayCounterCarryOver(Map<String, List<String>> counterLabels) {
        this.counterLabels = Map.copyOf(counterLabels);
    }

    @Override
    public List<MetricFamilySamples> apply(List<MetricFamilySamples> families, RetryingClient client,
            Deadline deadline, GroupingKey group, Consumer<String> err) {
        Map<String, Map<TreeMap<String, String>, Double>> previous;
        try {
            previous = previousValues(TextFormatParser.parse(client.readMetrics(deadline)), group);
        } catch (PushFailure | TextFormatException e) {
            err.accept("jobmetrics: accumulate: cannot read the group's current counters (" + e.getMessage()
                    + "); this run's counters start from zero");
            return families;
        }
        List<MetricFamilySamples> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (MetricFamilySamples f : families) {
            String sampleName = f.name + "_total";
            Map<TreeMap<String, String>, Double> prior = previous.get(sampleName);
            if (!counterLabels.containsKey(sampleName)) {
                out.add(f);
                continue;
            }
            seen.add(sampleName);
            out.add(continued(f, prior == null ? Map.of() : prior));
        }
        // Counters the run did not produce at all this time still keep their totals.
        previous.forEach((sampleName, prior) -> {
            if (!seen.contains(sampleName) && !prior.isEmpty()) {
                String family = sampleName.substring(0, sampleName.length() - "_total".length());
                out.add(new MetricFamilySamples(family, io.prometheus.client.Collector.Type.COUNTER,
                        "Carried over by accumulate.", samples(sampleName, prior)));
            }
        });
        return out;
    }

    private static MetricFamilySamples continued(MetricFamilySamples f, Map<TreeMap<String, String>, Double> prior) {
        Map<TreeMap<String, String>, Double> remaining = new LinkedHashMap<>(prior);
        List<Sample> samples = new ArrayList<>();
        for (Sample s : f.samples) {
            TreeMap<String, String> key = labels(s.labelNames, s.labelValues);
            Double before = remaining.remove(key);
            samples.add(new Sample(s.name, s.labelNames, s.labelValues, s.value + (before == null ? 0 : before)));
        }
        samples.addAll(samples(f.name + "_total", remaining));
        return new MetricFamilySamples(f.name, f.type, f.help, samples);
    }

    private static List<Sample> samples(String name, Map<TreeMap<String, String>, Double> values) {
        List<Sample> out = new ArrayList<>();
        values.forEach((labels, v) -> out.add(new Sample(name, new ArrayList<>(labels.keySet()),
                new ArrayList<>(labels.values()), v)));
        return out;
    }

    /** For each counter sample name, the group's current value per set of the counter's own labels. */
    private Map<String, Map<TreeMap<String, String>, Double>> previousValues(List<MetricFamilySamples> page,
            GroupingKey group) {
        Map<String, String> grouping = new HashMap<>(group.allLabels());
        grouping.putIfAbsent("instance", "");
        Map<String, Map<TreeMap<String, String>, Double>> out = new HashMap<>();
        for (MetricFamilySamples f : page) {
            for (Sample s : f.samples) {
                List<String> own = counterLabels.get(s.name);
                if (own == null) {
                    continue;
                }
                TreeMap<String, String> all = labels(s.labelNames, s.labelValues);
                if (all.size() != grouping.size() + own.size()) {
                    continue;
                }
                boolean ours = grouping.entrySet().stream().allMatch(g -> g.getValue().equals(all.get(g.getKey())))
                        && own.stream().allMatch(all::containsKey);
                if (ours) {
                    TreeMap<String, String> key = new TreeMap<>();
                    own.forEach(l -> key.put(l, all.get(l)));
                    out.computeIfAbsent(s.name, k -> new LinkedHashMap<>()).put(key, s.value);
                }
            }
        }
        return out;
    }

    private static TreeMap<String, String> labels(List<String> names, List<String> values) {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), values.get(i));
        }
        return m;
    }
}
