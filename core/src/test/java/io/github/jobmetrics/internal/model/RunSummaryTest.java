package io.github.jobmetrics.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static final MetricNames NAMES = new MetricNames("batch_job");

    @Test
    void successfulRunGivesRecordsErrorsRatioAndAttainmentPerThreshold() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(1_000)
                .recordSlos(List.of(Duration.ofMillis(100), Duration.ofSeconds(5))).build();
        StageCounters load = r.stage("load");
        for (int i = 0; i < 490; i++) {
            load.recordSuccess(i % 49 == 0 ? 200_000_000 : 1_000);
        }
        for (int i = 0; i < 10; i++) {
            r.stage("extract").recordFailure(1_000, new IllegalArgumentException());
        }
        assertEquals("job etl succeeded in 2.31 s: extract 10 records, 10 errors (100%), 100% within 0.1 s, 100% within"
                + " 5 s; load 490 records, 0 errors (0%), 97.96% within 0.1 s, 100% within 5 s",
                RunSummary.of("etl", RunEnding.success(3_310), 1_000, r.collect(RunEnding.success(3_310)), NAMES));
    }

    @Test
    void oneStageGivesItsFiguresWithoutItsName() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(0).recordSlos(List.of(Duration.ofMillis(250))).build();
        for (int i = 0; i < 200; i++) {
            r.stage("main").recordSuccess(i < 10 ? 300_000_000 : 1_000);
        }
        r.stage("main").recordFailure(1_000, "E");
        assertEquals("job j succeeded in 1 s: 201 records, 1 error (0.5%), 95.02% within 0.25 s",
                RunSummary.of("j", RunEnding.success(1_000), 0, r.collect(RunEnding.success(1_000)), NAMES));
    }

    @Test
    void failuresSayHowTheRunEnded() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(0).build();
        RunEnding exit = RunEnding.failure(500, FailureReason.EXIT_CODE, 3);
        assertEquals("job j failed (exit status 3) in 0.5 s: no records",
                RunSummary.of("j", exit, 0, r.collect(exit), NAMES));
        RunEnding uncaught = RunEnding.failure(500, FailureReason.UNCAUGHT_EXCEPTION, 1);
        assertEquals("job j failed (uncaught exception, exit status 1) in 0.5 s: no records",
                RunSummary.of("j", uncaught, 0, r.collect(uncaught), NAMES));
        RunEnding signal = RunEnding.failure(500, FailureReason.SIGNAL, null);
        assertEquals("job j failed (signal) in 0.5 s: no records", RunSummary.of("j", signal, 0, r.collect(signal),
                NAMES));
    }

    @Test
    void oneRecordIsSingular() {
        RunRegistry r = RunRegistry.builder().startEpochMillis(0).build();
        r.stage("main").recordFailure(10, "E");
        assertEquals("job j succeeded in 0 s: 1 record, 1 error (100%)",
                RunSummary.of("j", RunEnding.success(0), 0, r.collect(RunEnding.success(0)), NAMES));
    }

    @Test
    void numbersAreWrittenPlainWithoutTrailingZeros() {
        assertEquals("98.62", RunSummary.decimal(98.6222, 2));
        assertEquals("100", RunSummary.decimal(99.999, 2));
        assertEquals("0.0000005", RunSummary.decimal(5e-7, 9));
        assertEquals("0", RunSummary.decimal(0.000001, 2));
        assertEquals("123456789.5", RunSummary.decimal(123456789.5, 2));
        assertEquals("-1.5", RunSummary.decimal(-1.5, 2));
    }
}
