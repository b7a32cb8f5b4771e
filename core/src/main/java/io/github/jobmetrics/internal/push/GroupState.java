package io.github.jobmetrics.internal.push;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one group holds in the Pushgateway now, read from the gateway's {@code /metrics} page: for each sample
 * name, the value per set of the series' own labels. A series belongs to the group when it carries every grouping
 * label with the group's value (and the {@code instance=""} the Pushgateway adds when the key has no instance);
 * callers name the own labels they expect, so a neighbouring group with one more grouping label is never taken
 * for this one.
 */
final class GroupState {
    private final Map<String, String> grouping;
    private final Map<String, List<Sample>> bySampleName = new HashMap<>();

    GroupState(List<MetricFamilySamples> page, GroupingKey group) {
        this.grouping = new HashMap<>(group.allLabels());
        grouping.putIfAbsent("instance", "");
        for (MetricFamilySamples f : page) {
            for (Sample s : f.samples) {
                if (carriesGrouping(s)) {
                    bySampleName.computeIfAbsent(s.name, k -> new java.util.ArrayList<>()).add(s);
                }
            }
        }
    }

    /** The group's series of {@code sampleName} whose own labels are exactly {@code ownLabels}, by those labels. */
    Map<TreeMap<String, String>, Double> series(String sampleName, List<String> ownLabels) {
        Map<TreeMap<String, String>, Double> out = new LinkedHashMap<>();
        for (Sample s : bySampleName.getOrDefault(sampleName, List.of())) {
            if (s.labelNames.size() != grouping.size() + ownLabels.size()) {
                continue;
            }
            TreeMap<String, String> own = new TreeMap<>();
            for (int i = 0; i < s.labelNames.size(); i++) {
                if (ownLabels.contains(s.labelNames.get(i))) {
                    own.put(s.labelNames.get(i), s.labelValues.get(i));
                }
            }
            if (own.size() == ownLabels.size()) {
                out.put(own, s.value);
            }
        }
        return out;
    }

    private boolean carriesGrouping(Sample s) {
        int matched = 0;
        for (int i = 0; i < s.labelNames.size(); i++) {
            String want = grouping.get(s.labelNames.get(i));
            if (want != null) {
                if (!want.equals(s.labelValues.get(i))) {
                    return false;
                }
                matched++;
            }
        }
        return matched == grouping.size();
    }
}
