package io.github.jobmetrics.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {

    @Test
    void noArgumentIsNoSettings() {
        assertEquals(Map.of(), AgentArguments.parse(null));
        assertEquals(Map.of(), AgentArguments.parse(""));
        assertEquals(Map.of(), AgentArguments.parse("  "));
    }

    @Test
    void splitsOnCommasThenOnTheFirstEquals() {
        Map<String, String> parsed = AgentArguments.parse("gateway=http://gw:9091/a=b,job=etl,grouping.team=data");
        assertEquals(List.of("gateway", "job", "grouping.team"), List.copyOf(parsed.keySet()));
        assertEquals("http://gw:9091/a=b", parsed.get("gateway"));
        assertEquals("etl", parsed.get("job"));
    }

    @Test
    void aPieceWithoutEqualsContinuesThePreviousValue() {
        Map<String, String> parsed = AgentArguments.parse("record-slo=250ms,10s,job=etl");
        assertEquals("250ms,10s", parsed.get("record-slo"));
        assertEquals("etl", parsed.get("job"));
    }

    @Test
    void patternsKeepTheirSemicolons() {
        Map<String, String> parsed = AgentArguments.parse("records=com.acme.Etl#a;com.acme.Etl#b,records.load=x.Y#z");
        assertEquals("com.acme.Etl#a;com.acme.Etl#b", parsed.get("records"));
        assertEquals("x.Y#z", parsed.get("records.load"));
    }

    @Test
    void aFirstPieceWithoutEqualsIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentArguments.parse("push-timeout,job=x"));
        assertTrue(e.getMessage().contains("'push-timeout' is not key=value"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void emptyAndDuplicateKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> AgentArguments.parse("=x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentArguments.parse("job=a,job=b"));
        assertTrue(e.getMessage().contains("job is given twice"), e.getMessage());
    }

    @Test
    void renderedArgumentParsesBackToTheSameSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway", "https://gw.example:9091");
        settings.put("record-slo", "250ms,10s");
        settings.put("records", "com.acme.Etl#processRow;com.acme.Etl#flush");
        String argument = AgentArguments.render(settings);
        assertEquals(settings, AgentArguments.parse(argument));
        assertEquals(List.copyOf(settings.keySet()), List.copyOf(AgentArguments.parse(argument).keySet()));
    }

    @Test
    void valuesThatCannotRoundTripAreNotRendered() {
        assertThrows(IllegalArgumentException.class, () -> AgentArguments.render(Map.of("job", "a,b=c")));
        assertThrows(IllegalArgumentException.class, () -> AgentArguments.render(Map.of("a=b", "c")));
    }
}
