package io.github.jobmetrics.internal.model;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Leaves out the {@code _created} series that simpleclient (and Python's client) add to every counter, summary and
 * histogram: one more series per label set whose value, the moment the metric was created in a process that is
 * about to exit, means nothing for a batch run.
 */
public final class CreatedSeries {
    private static final String SUFFIX = "_created";
    private static final Set<Collector.Type> WITH_CREATED = Set.of(Collector.Type.COUNTER, Collector.Type.SUMMARY,
            Collector.Type.HISTOGRAM);

    private CreatedSeries() {
    }

    /**
     * {@code families} without the {@code x_created} samples of counter, summary and histogram families {@code x},
     * whether the sample sits in its family or, as the text format gives it back, in a gauge family of its own.
     */
    public static List<MetricFamilySamples> strip(List<MetricFamilySamples> families) {
        Set<String> createdNames = new HashSet<>();
        for (MetricFamilySamples f : families) {
            if (WITH_CREATED.contains(f.type)) {
                createdNames.add(f.name + SUFFIX);
            }
        }
        if (createdNames.isEmpty()) {
            return families;
        }
        List<MetricFamilySamples> out = new ArrayList<>(families.size());
        for (MetricFamilySamples f : families) {
            if (createdNames.contains(f.name) && !WITH_CREATED.contains(f.type)) {
                continue;
            }
            if (f.samples.stream().noneMatch(s -> createdNames.contains(s.name))) {
                out.add(f);
                continue;
            }
            List<Sample> kept = new ArrayList<>();
            for (Sample s : f.samples) {
                if (!createdNames.contains(s.name)) {
                    kept.add(s);
                }
            }
            out.add(new MetricFamilySamples(f.name, f.unit, f.type, f.help, kept));
        }
        return out;
    }
}
