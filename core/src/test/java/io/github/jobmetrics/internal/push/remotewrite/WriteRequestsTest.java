package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.remotewrite.prompb.Label;
import io.github.jobmetrics.internal.push.remotewrite.prompb.TimeSeries;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class WriteRequestsTest {
    private static final long END = 1_764_480_000_123L;
    private static final GroupingKey GROUP = GroupingKey.of("etl", new LinkedHashMap<>(Map.of("env", "prod")));

    private static MetricFamilySamples family() {
        return new MetricFamilySamples("batch_job_records", Collector.Type.COUNTER, "records", List.of(
                new Sample("batch_job_records_total", List.of("stage"), List.of("load"), 12),
                new Sample("batch_job_record_errors_total", List.of("stage", "error"), List.of("load", "IOException"),
                        0.5)));
    }

    private static Map<String, String> labels(TimeSeries ts) {
        return ts.getLabelsList().stream().collect(Collectors.toMap(Label::getName, Label::getValue, (a, b) -> {
            throw new AssertionError("duplicate label " + a);
        }, LinkedHashMap::new));
    }

    @Test
    void eachSampleBecomesOneSeriesWithItsNameTheGroupLabelsAndTheRunsTimestamp() throws Exception {
        byte[] wire = WriteRequests.compressed(WriteRequests.of(List.of(family()), GROUP, END));
        WriteRequest back = WriteRequest.parseFrom(Snappy.uncompress(wire));

        assertEquals(2, back.getTimeseriesCount());
        assertEquals(Map.of("__name__", "batch_job_records_total", "env", "prod", "job", "etl", "stage", "load"),
                labels(back.getTimeseries(0)));
        assertEquals(12.0, back.getTimeseries(0).getSamples(0).getValue());
        assertEquals(Map.of("__name__", "batch_job_record_errors_total", "env", "prod", "error", "IOException",
                "job", "etl", "stage", "load"), labels(back.getTimeseries(1)));
        assertEquals(0.5, back.getTimeseries(1).getSamples(0).getValue());
        for (TimeSeries ts : back.getTimeseriesList()) {
            assertEquals(1, ts.getSamplesCount());
            assertEquals(END, ts.getSamples(0).getTimestamp());
        }
    }

    @Test
    void labelsAreSortedByNameAsReceiversRequire() {
        WriteRequest request = WriteRequests.of(List.of(family()), GROUP, END);
        for (TimeSeries ts : request.getTimeseriesList()) {
            List<String> names = ts.getLabelsList().stream().map(Label::getName).collect(Collectors.toList());
            List<String> sorted = names.stream().sorted().collect(Collectors.toList());
            assertEquals(sorted, names);
            assertEquals("__name__", names.get(0));
        }
    }

    @Test
    void groupingLabelsWinOverASamplesOwnLabelOfTheSameName() {
        MetricFamilySamples clash = new MetricFamilySamples("x", Collector.Type.GAUGE, "x", List.of(
                new Sample("x", List.of("env", "job"), List.of("dev", "other"), 1)));
        Map<String, String> got = labels(WriteRequests.of(List.of(clash), GROUP, END).getTimeseries(0));
        assertEquals("prod", got.get("env"));
        assertEquals("etl", got.get("job"));
    }

    @Test
    void specialValuesSurviveTheRoundTrip() throws Exception {
        MetricFamilySamples odd = new MetricFamilySamples("y", Collector.Type.GAUGE, "y", List.of(
                new Sample("y", List.of(), List.of(), Double.NaN),
                new Sample("y_inf", List.of(), List.of(), Double.POSITIVE_INFINITY),
                new Sample("y_tiny", List.of(), List.of(), 0.1 + 0.2)));
        WriteRequest back = WriteRequest.parseFrom(Snappy.uncompress(
                WriteRequests.compressed(WriteRequests.of(List.of(odd), GROUP, END))));
        assertTrue(Double.isNaN(back.getTimeseries(0).getSamples(0).getValue()));
        assertEquals(Double.POSITIVE_INFINITY, back.getTimeseries(1).getSamples(0).getValue());
        assertEquals(0.1 + 0.2, back.getTimeseries(2).getSamples(0).getValue());
    }
}
