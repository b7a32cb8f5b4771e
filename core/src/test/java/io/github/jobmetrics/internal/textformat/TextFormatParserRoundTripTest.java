package io.github.jobmetrics.internal.textformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Enumeration;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.Info;
import io.prometheus.client.Summary;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextFormatParserRoundTripTest {

    private final CollectorRegistry registry = new CollectorRegistry();

    @Test
    void counterWithLabelsRoundTrips() throws Exception {
        Counter counter = Counter.build("jobs_done", "Jobs done.").labelNames("job", "result").register(registry);
        counter.labels("nightly", "ok").inc(3);
        counter.labels("hourly", "failed").inc();

        assertRoundTrips();
    }

    @Test
    void goStyleGaugeBesideCounterWithTheSameBaseNameIsAccepted() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse("# TYPE go_memstats_alloc_bytes gauge\n"
                + "go_memstats_alloc_bytes 764696\n"
                + "# TYPE go_memstats_alloc_bytes_total counter\n"
                + "go_memstats_alloc_bytes_total 764697\n");
        assertEquals(2, families.size());
        assertEquals("go_memstats_alloc_bytes", families.get(0).name);
        assertEquals("go_memstats_alloc_bytes_total", families.get(1).name);
        assertEquals(764697.0, families.get(1).samples.get(0).value);
    }

    @Test
    void counterTypedWithTotalIsTheCounterFamilyWithoutTotal() throws Exception {
        Counter.build("jobs_done_total", "Jobs done.").register(registry).inc(2);

        List<MetricFamilySamples> families = TextFormatParser.parse(write(registry));

        MetricFamilySamples counter = families.get(0);
        assertEquals("jobs_done", counter.name);
        assertEquals(Collector.Type.COUNTER, counter.type);
        assertEquals("jobs_done_total", counter.samples.get(0).name);
        assertEquals(2.0, counter.samples.get(0).value);
    }

    @Test
    void counterCreatedSamplesComeBackAsTheGaugeFamilyWriteMadeOfThem() throws Exception {
        Counter.build("jobs_done", "Jobs done.").register(registry).inc();

        List<MetricFamilySamples> families = TextFormatParser.parse(write(registry));

        assertEquals(2, families.size());
        assertEquals("jobs_done_created", families.get(1).name);
        assertEquals(Collector.Type.GAUGE, families.get(1).type);
    }

    @Test
    void gaugeRoundTrips() throws Exception {
        Gauge gauge = Gauge.build("queue_depth", "Items waiting.").labelNames("queue").register(registry);
        gauge.labels("a").set(-12.5);
        gauge.labels("b").set(1e-300);
        gauge.labels("c").set(123456789012345.0);

        assertRoundTrips();
    }

    @Test
    void summaryWithQuantilesRoundTrips() throws Exception {
        Summary summary = Summary.build("job_seconds", "Job duration.").quantile(0.5, 0.05).quantile(0.99, 0.001)
                .labelNames("job").register(registry);
        for (int i = 1; i <= 100; i++) {
            summary.labels("nightly").observe(i / 10.0);
        }

        assertRoundTrips();
    }

    @Test
    void histogramRoundTrips() throws Exception {
        Histogram histogram = Histogram.build("batch_size", "Batch sizes.").buckets(1, 10, 100).labelNames("job")
                .register(registry);
        histogram.labels("nightly").observe(5);
        histogram.labels("nightly").observe(500);

        assertRoundTrips();
    }

    @Test
    void infoAndEnumerationRoundTrip() throws Exception {
        Info.build("build", "Build information.").register(registry).info("version", "1.2.3", "commit", "abc");
        Enumeration.build("job_state", "Job state.").states("running", "done").register(registry).state("done");

        assertRoundTrips();
    }

    @Test
    void familyWithoutSamplesRoundTrips() throws Exception {
        Counter.build("never_incremented", "Labelled, no children.").labelNames("job").register(registry);

        assertRoundTrips();
    }

    @Test
    void labelValueWithQuotesAndBackslashesRoundTrips() throws Exception {
        String value = "say \"hi\" C:\\temp\\ \\\\ \\\" \\n";

        assertLabelValueRoundTrips(value);
    }

    @Test
    void labelValueWithEscapedNewlineRoundTrips() throws Exception {
        assertLabelValueRoundTrips("first line\nsecond line\n");
    }

    @Test
    void labelValueWithUnicodeRoundTrips() throws Exception {
        assertLabelValueRoundTrips("Grüße, 日本語, emoji \uD83D\uDE80, tab\there");
    }

    @Test
    void emptyLabelValueRoundTrips() throws Exception {
        assertLabelValueRoundTrips("");
    }

    @Test
    void helpWithBackslashesNewlinesAndLeadingBlanksRoundTrips() throws Exception {
        Gauge.build("odd_help", "  indented \\ back\\slash\nnext line \"quoted\" ").register(registry).set(1);

        assertRoundTrips();
        assertEquals("  indented \\ back\\slash\nnext line \"quoted\" ",
                TextFormatParser.parse(write(registry)).get(0).help);
    }

    @Test
    void nanAndInfinitiesRoundTrip() throws Exception {
        Gauge gauge = Gauge.build("special", "Special values.").labelNames("kind").register(registry);
        gauge.labels("nan").set(Double.NaN);
        gauge.labels("plus").set(Double.POSITIVE_INFINITY);
        gauge.labels("minus").set(Double.NEGATIVE_INFINITY);
        gauge.labels("negative_zero").set(-0.0);

        assertRoundTrips();
        List<Sample> samples = TextFormatParser.parse(write(registry)).get(0).samples;
        assertTrue(Double.isNaN(valueOf(samples, "nan")));
        assertEquals(Double.POSITIVE_INFINITY, valueOf(samples, "plus"));
        assertEquals(Double.NEGATIVE_INFINITY, valueOf(samples, "minus"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(valueOf(samples, "negative_zero")));
    }

    @Test
    void samplesWithTimestampsRoundTrip() throws Exception {
        List<MetricFamilySamples> families = List.of(new MetricFamilySamples("stamped", Collector.Type.GAUGE, "h",
                List.of(new Sample("stamped", List.of("a"), List.of("1"), 3.5, 1700000000123L),
                        new Sample("stamped", List.of("a"), List.of("2"), 4.5, -5L),
                        new Sample("stamped", List.of("a"), List.of("3"), 5.5, (Long) null))));
        String text = write(families);

        List<MetricFamilySamples> parsed = TextFormatParser.parse(text);

        assertEquals(text, write(parsed));
        assertEquals(1700000000123L, parsed.get(0).samples.get(0).timestampMs);
        assertNull(parsed.get(0).samples.get(2).timestampMs);
    }

    @Test
    void everyKindTogetherRoundTrips() throws Exception {
        Counter.build("c", "c").labelNames("l").register(registry).labels("x\"y").inc();
        Gauge.build("g", "g").register(registry).set(Double.NaN);
        Summary.build("s", "s").register(registry).observe(1);
        Histogram.build("h", "h").register(registry).observe(0.3);
        Info.build("i", "i").register(registry).info("k", "v");

        assertRoundTrips();
    }

    @Test
    void inputWithoutTrailingNewlineParses() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse("a 1\nb 2");

        assertEquals(2, families.size());
        assertEquals(2.0, families.get(1).samples.get(0).value);
    }

    // Children come out of simpleclient in hash order, so look samples up by their only label.
    private static double valueOf(List<Sample> samples, String labelValue) {
        return samples.stream().filter(s -> s.labelValues.get(0).equals(labelValue)).findFirst().orElseThrow().value;
    }

    private void assertLabelValueRoundTrips(String value) throws Exception {
        Gauge.build("labelled", "Labelled.").labelNames("v").register(registry).labels(value).set(1);

        assertRoundTrips();
        assertEquals(value, TextFormatParser.parse(write(registry)).get(0).samples.get(0).labelValues.get(0));
    }

    private void assertRoundTrips() throws Exception {
        String written = write(registry);
        assertEquals(written, write(TextFormatParser.parse(written)));
    }

    private static String write(CollectorRegistry registry) {
        return write(Collections.list(registry.metricFamilySamples()));
    }

    private static String write(List<MetricFamilySamples> families) {
        StringWriter out = new StringWriter();
        try {
            TextFormat.write004(out, Collections.enumeration(families));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
