package io.github.jobmetrics.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ForeignFamiliesTest {
    private final List<String> warnings = new ArrayList<>();
    private final ForeignFamilies foreign = new ForeignFamilies(new MetricNames("batch_job"), warnings::add);

    private static List<MetricFamilySamples> parse(String text) throws Exception {
        return TextFormatParser.parse(text);
    }

    private static String types(List<MetricFamilySamples> families) {
        return families.stream().map(f -> f.name + ":" + f.type).collect(Collectors.joining(" "));
    }

    @Test
    void untypedRecordCountInAMetricsFileBecomesTheRunsCounter() throws Exception {
        List<MetricFamilySamples> out = foreign.admit(List.of(),
                parse("batch_job_records_total{stage=\"main\"} 5\n"), true, "the file");
        assertEquals("batch_job_records:COUNTER", types(out));
        assertEquals(5, out.get(0).samples.get(0).value);
        assertEquals("batch_job_records_total", out.get(0).samples.get(0).name);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void gaugeTypedRecordCountCannotChangeTheCountersType() throws Exception {
        List<MetricFamilySamples> out = foreign.admit(List.of(), parse(
                "# TYPE batch_job_record_errors_total gauge\nbatch_job_record_errors_total{stage=\"a\",error=\"E\"} 2\n"),
                true, "the file");
        assertEquals("batch_job_record_errors:COUNTER", types(out));
    }

    @Test
    void recordCountsFromTheFileAddToTheRunsOwnPerLabelSet() throws Exception {
        RunRegistry run = RunRegistry.builder().build();
        run.stage("main").recordSuccess(10);
        List<MetricFamilySamples> out = foreign.admit(run.collectRecords(), parse(
                "# TYPE batch_job_records_total counter\nbatch_job_records_total{stage=\"main\"} 4\n"
                        + "batch_job_records_total{stage=\"load\"} 3\n"), true, "the file");
        MetricFamilySamples records = out.stream().filter(f -> f.name.equals("batch_job_records")).findFirst()
                .orElseThrow();
        assertEquals(1, out.stream().filter(f -> f.name.equals("batch_job_records")).count());
        assertEquals("main=5.0 load=3.0", records.samples.stream().map(s -> s.labelValues.get(0) + "=" + s.value)
                .collect(Collectors.joining(" ")));
    }

    @Test
    void runGaugesCannotBeTakenByAMetricsFile() throws Exception {
        List<MetricFamilySamples> out = foreign.admit(List.of(),
                parse("batch_job_last_success_timestamp_seconds 99\nrows_total 3\n"), true, "the file");
        assertEquals("rows_total:UNKNOWN", types(out));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("batch_job_last_success_timestamp_seconds from the file"), warnings.get(0));
    }

    @Test
    void theJobsOwnCollectorsMayNotCarryRecordCounts() throws Exception {
        List<MetricFamilySamples> out = foreign.admit(List.of(),
                parse("# TYPE batch_job_records_total counter\nbatch_job_records_total{stage=\"main\"} 5\n"), false,
                "the registry");
        assertEquals("", types(out));
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void recordCountWithOtherLabelsIsRefusedNotPushedUnderTheRunsName() throws Exception {
        List<MetricFamilySamples> out = foreign.admit(List.of(),
                parse("batch_job_records_total{stage=\"main\",user=\"u1\"} 5\n"), true, "the file");
        assertEquals("", types(out));
        assertTrue(warnings.get(0).contains("takes exactly the labels [stage]"), warnings.toString());
    }

    @Test
    void familyNamedLikeARunFamilyIsRefused() throws Exception {
        RunRegistry run = RunRegistry.builder().build();
        List<MetricFamilySamples> families = run.collect(RunEnding.success(1_000));
        List<MetricFamilySamples> out = foreign.admit(families, List.of(new MetricFamilySamples("batch_job_info",
                Collector.Type.GAUGE, "", List.of())), true, "the file");
        assertEquals(families.size(), out.size());
        assertEquals(1, warnings.size(), warnings.toString());
    }
}
