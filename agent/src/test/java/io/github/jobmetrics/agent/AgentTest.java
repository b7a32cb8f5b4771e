package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.agent.internal.MethodProbe;
import io.github.jobmetrics.config.SettingsLoader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentTest {

    @Test
    void settingsAreLoadedBeforeMainOnlyWhenASourceCanNamePatterns() {
        Properties none = new Properties();
        assertFalse(Agent.mayNamePatterns(Map.of("job", "x", "record-slo", "1s"), none, Map.of("JOBMETRICS_JOB", "x")));
        assertTrue(Agent.mayNamePatterns(Map.of("records", "a.B#c"), none, Map.of()));
        assertTrue(Agent.mayNamePatterns(Map.of("records.load", "a.B#c"), none, Map.of()));
        assertTrue(Agent.mayNamePatterns(Map.of("config", "/etc/jobmetrics.properties"), none, Map.of()));
        assertTrue(Agent.mayNamePatterns(Map.of(), none, Map.of("JOBMETRICS_RECORDS_LOAD", "a.B#c")));
        assertTrue(Agent.mayNamePatterns(Map.of(), none, Map.of("JOBMETRICS_OUTPUT", "a.B#c")));
        Properties sys = new Properties();
        sys.setProperty("jobmetrics.input", "a.B#c");
        assertTrue(Agent.mayNamePatterns(Map.of(), sys, Map.of()));
    }

    @Test
    void probesAreNumberedRecordsByStageThenInputThenOutput() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("java.io.tmpdir", System.getProperty("java.io.tmpdir"));
        var settings = SettingsLoader.load(Map.of("records", "a.B#c;a.B#d", "records.load", "a.L#m",
                "input", "a.I#r", "output", "a.O#w"), "agent argument", sys, Map.of());
        List<MethodProbe> probes = Agent.probes(settings);
        assertEquals(5, probes.size());
        for (int i = 0; i < probes.size(); i++) {
            assertEquals(i, probes.get(i).id());
        }
        assertEquals(java.util.Set.of("records=a.B#c", "records=a.B#d", "records.load=a.L#m", "input=a.I#r",
                "output=a.O#w"), probes.stream().map(MethodProbe::describe).collect(java.util.stream.Collectors.toSet()));
        List<MethodProbe.Kind> kinds = probes.stream().map(MethodProbe::kind).toList();
        assertEquals(List.of(MethodProbe.Kind.RECORD, MethodProbe.Kind.RECORD, MethodProbe.Kind.RECORD,
                MethodProbe.Kind.INPUT, MethodProbe.Kind.OUTPUT), kinds);
        assertEquals("a/L", probes.stream().filter(p -> p.stage().equals("load")).findFirst().orElseThrow()
                .internalClassName());
    }

    @Test
    void strictComesFromAnySource() {
        assertTrue(JobMetricsAgent.strictAsked(Map.of("strict", "true"), new Properties(), Map.of()));
        assertTrue(JobMetricsAgent.strictAsked(Map.of(), new Properties(), Map.of("JOBMETRICS_STRICT", "true")));
        assertFalse(JobMetricsAgent.strictAsked(Map.of("strict", "false"), new Properties(),
                Map.of("JOBMETRICS_STRICT", "true")));
        assertFalse(JobMetricsAgent.strictAsked(Map.of(), new Properties(), Map.of()));
    }
}
