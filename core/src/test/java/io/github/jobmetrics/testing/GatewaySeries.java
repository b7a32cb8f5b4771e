package io.github.jobmetrics.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;

/** Reads one series' value from a Pushgateway metrics page, by its exact label set. */
public final class GatewaySeries {
    private final String page;

    public GatewaySeries(String page) {
        this.page = page;
    }

    /** The value of {@code name} whose labels are exactly {@code labels}; fails the test when there is none. */
    public double value(String name, Map<String, String> labels) {
        Double found = find(name, labels);
        if (found == null) {
            fail("no " + name + labels + " on the gateway page:\n" + page);
        }
        return found;
    }

    /** The whole page, for messages and for checking that something is absent. */
    @Override
    public String toString() {
        return page;
    }

    private Double find(String name, Map<String, String> labels) {
        Map<String, String> wanted = new TreeMap<>(labels);
        for (String line : page.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            Map<String, String> have = new TreeMap<>();
            for (String pair : line.substring(name.length() + 1, close).split("\",")) {
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 2);
                have.put(pair.substring(0, eq), value.endsWith("\"") ? value.substring(0, value.length() - 1) : value);
            }
            if (have.equals(wanted)) {
                return Double.parseDouble(line.substring(close + 1).trim());
            }
        }
        return null;
    }
}
