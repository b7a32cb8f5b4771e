package io.github.jobmetrics.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CreatedSeriesTest {
    private static String sampleNames(List<MetricFamilySamples> families) {
        return families.stream().flatMap(f -> f.samples.stream()).map(s -> s.name).distinct().sorted()
                .collect(Collectors.joining(" "));
    }

    @Test
    void simpleclientCountersLoseTheirCreatedSeriesAndKeepTheRest() {
        CollectorRegistry registry = new CollectorRegistry();
        Counter.build("etl_amount_total", "amount").labelNames("country").register(registry).labels("de").inc(5);
        Gauge.build("etl_rows_created", "a gauge that only looks like one").register(registry).set(3);
        List<MetricFamilySamples> out = CreatedSeries.strip(Collections.list(registry.metricFamilySamples()));
        assertEquals("etl_amount_total etl_rows_created", sampleNames(out));
    }

    @Test
    void createdGaugesThatTheTextFormatSplitsOffAreLeftOutToo() throws Exception {
        List<MetricFamilySamples> parsed = TextFormatParser.parse("# TYPE rows_total counter\nrows_total 4\n"
                + "# TYPE rows_created gauge\nrows_created 1.7e9\n# TYPE other_created gauge\nother_created 1\n");
        assertEquals("other_created rows_total", sampleNames(CreatedSeries.strip(parsed)));
    }
}
