package io.github.jobmetrics.internal.model;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds one metric family sample by sample; keeps simpleclient's naming rule for counters in one place. */
final class FamilyBuilder {
    private final String name;
    private final Collector.Type type;
    private final String help;
    private final List<String> labelNames;
    private final List<Sample> samples = new ArrayList<>();

    private FamilyBuilder(String name, Collector.Type type, String help, String... labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = List.of(labelNames);
    }

    static FamilyBuilder gauge(String name, String help, String... labelNames) {
        return new FamilyBuilder(name, Collector.Type.GAUGE, help, labelNames);
    }

    /** A counter; {@code name} is given with its {@code _total} suffix, as the contract names it. */
    static FamilyBuilder counter(String nameWithTotal, String help, String... labelNames) {
        String family = nameWithTotal.substring(0, nameWithTotal.length() - "_total".length());
        return new FamilyBuilder(family, Collector.Type.COUNTER, help, labelNames);
    }

    FamilyBuilder add(double value, String... labelValues) {
        String sampleName = type == Collector.Type.COUNTER ? name + "_total" : name;
        samples.add(new Sample(sampleName, labelNames, Arrays.asList(labelValues), value));
        return this;
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    MetricFamilySamples build() {
        return new MetricFamilySamples(name, type, help, List.copyOf(samples));
    }

    void addTo(List<MetricFamilySamples> out) {
        if (!samples.isEmpty()) {
            out.add(build());
        }
    }
}
