package io.github.jobmetrics.springbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BatchRunsTest {
    @Test
    void aParameterNameBecomesALabelNameWithEveryOtherCharacterAsAnUnderscore() {
        assertEquals("region", BatchRuns.labelName("region"));
        assertEquals("run_date", BatchRuns.labelName("run.date"));
        assertEquals("_1st", BatchRuns.labelName("1st"));
    }

    @Test
    void thePartitionsOfAStepCountIntoTheStageOfTheWorkerStep() {
        assertEquals("load", BatchRuns.stageName("load:partition7"));
        assertEquals("load", BatchRuns.stageName("load"));
    }

    @Test
    void aBadSettingLeavesTheExecutionUnmeasuredAndSaysSoWithoutStoppingTheJob() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BatchRuns runs = new BatchRuns(Map.of("push-timeout", "soon"), List.of(), new Properties(), Map.of(), err);
        runs.jobStarted(7, "importJob", Map.of());
        assertNull(runs.stepStarted(7, 70, "load"), "no stage for an unmeasured execution");
        runs.stepEnded(70, 1, 1, List.of());
        runs.jobEnded(7, true, List.of());
        String said = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("push-timeout") && said.contains("job execution 7 of importJob is not measured"),
                said);
    }

    @Test
    void thisModulesOwnPropertiesAndVariablesAreNotTakenForUnknownSettings() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Properties system = new Properties();
        system.setProperty("jobmetrics.enabled", "true");
        system.setProperty("jobmetrics.spring-batch.grouping-parameters", "region");
        system.setProperty("jobmetrics.push-at-start", "false");
        Map<String, String> env = Map.of("JOBMETRICS_ENABLED", "true",
                "JOBMETRICS_SPRING_BATCH_GROUPING_PARAMETERS", "region");
        BatchRuns runs = new BatchRuns(Map.of(), List.of("region"), system, env, err);
        runs.jobStarted(8, "importJob", Map.of("region", "eu"));
        assertNotNull(runs.stepStarted(8, 80, "load"), "measured: " + bytes.toString(StandardCharsets.UTF_8));
        runs.stepEnded(80, 0, 0, List.of());
        runs.jobEnded(8, true, List.of());
    }
}
