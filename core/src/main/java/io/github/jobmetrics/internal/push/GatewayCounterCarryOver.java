package io.github.jobmetrics.internal.push;

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

/**
 * {@code accumulate}: continues each of the run's counters from the value its group holds in the Pushgateway now.
 * Series the group has and this run did not produce are kept, so a counter never goes back to zero because one
 * run did not touch it.
 */
final class GatewayCounterCarryOver {
    private final Map<String, List<String>> counterLabels;

    GatewayCounterCarryOver(Map<String, List<String>> counterLabels) {
        this.counterLabels = Map.copyOf(counterLabels);
    }

    List<MetricFamilySamples> apply(List<MetricFamilySamples> families, GroupState state) {
        Map<String, Map<TreeMap<String, String>, Double>> previous = new HashMap<>();
        counterLabels.forEach((name, labels) -> previous.put(name, state.series(name, labels)));
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

    private static TreeMap<String, String> labels(List<String> names, List<String> values) {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), values.get(i));
        }
        return m;
    }
}
