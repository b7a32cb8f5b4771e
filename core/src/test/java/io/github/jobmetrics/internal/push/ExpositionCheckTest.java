package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionCheckTest {
    private final List<String> warnings = new ArrayList<>();
    private final GroupingKey group = GroupingKey.of("job1", Map.of("env", "prod"));

    private static MetricFamilySamples gauge(String name, Sample... samples) {
        return new MetricFamilySamples(name, Collector.Type.GAUGE, "help", List.of(samples));
    }

    private static Sample sample(String name, double v, String... labels) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            names.add(labels[i]);
            values.add(labels[i + 1]);
        }
        return new Sample(name, names, values, v);
    }

    private List<String> keptNames(MetricFamilySamples... families) {
        return ExpositionCheck.check(List.of(families), group, warnings::add).stream().map(f -> f.name).toList();
    }

    @Test
    void namesThePushgatewayOwnsAreDroppedAndNamed() {
        assertEquals(List.of("ok"), keptNames(gauge("ok", sample("ok", 1)),
                gauge("push_time_seconds", sample("push_time_seconds", 1)),
                gauge("process_cpu_seconds", sample("process_cpu_seconds", 1)),
                gauge("go_goroutines", sample("go_goroutines", 1))));
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("push_time_seconds"), warnings.get(0));
    }

    @Test
    void timestampedFamilyIsDroppedAndTheRestIsKept() {
        Sample stamped = new Sample("stamped", List.of(), List.of(), 1, 1_000L);
        assertEquals(List.of("ok"), keptNames(gauge("stamped", stamped), gauge("ok", sample("ok", 1))));
        assertTrue(warnings.get(0).contains("timestamp"), warnings.get(0));
    }

    @Test
    void secondFamilyWithTheSameSampleNameIsATypeConflict() {
        MetricFamilySamples counter = new MetricFamilySamples("x", Collector.Type.COUNTER, "h",
                List.of(sample("x_total", 1)));
        assertEquals(List.of("x"), keptNames(counter, gauge("x_total", sample("x_total", 2))));
        assertTrue(warnings.get(0).contains("already used by metric x"), warnings.get(0));
    }

    @Test
    void duplicateSeriesIsDropped() {
        assertEquals(List.of(), keptNames(gauge("dup", sample("dup", 1, "a", "1"), sample("dup", 2, "a", "1"))));
        assertTrue(warnings.get(0).contains("duplicate series"), warnings.get(0));
    }

    @Test
    void labelThatContradictsTheGroupingKeyIsDroppedButAnAgreeingOneIsKept() {
        assertEquals(List.of("agrees"), keptNames(gauge("contradicts", sample("contradicts", 1, "env", "dev")),
                gauge("agrees", sample("agrees", 1, "env", "prod"))));
        assertTrue(warnings.get(0).contains("contradicts the grouping key"), warnings.get(0));
    }

    @Test
    void invalidNamesAreDropped() {
        assertEquals(List.of(), keptNames(gauge("bad-name", sample("bad-name", 1)),
                gauge("ok2", sample("ok2", 1, "__reserved", "x"))));
        assertEquals(2, warnings.size());
    }
}
