package io.github.jobmetrics.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads series out of a Pushgateway's /metrics page: the value of a name with at least the given labels. */
final class GatewayPage {
    private final String page;

    GatewayPage(String page) {
        this.page = page;
    }

    /** The one value of {@code name} whose labels include {@code labels} ({@code k, v, k, v...}). */
    OptionalDouble value(String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        OptionalDouble found = OptionalDouble.empty();
        for (String line : page.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int brace = line.indexOf('{');
            Map<String, String> have = new HashMap<>();
            String rest = line;
            if (brace == name.length()) {
                int close = line.lastIndexOf('}');
                for (String pair : line.substring(brace + 1, close).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        have.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                    }
                }
                rest = line.substring(close + 1);
            } else {
                rest = line.substring(name.length());
            }
            if (have.entrySet().containsAll(want.entrySet())) {
                if (found.isPresent()) {
                    throw new AssertionError("more than one series " + name + " " + want + " in\n" + page);
                }
                found = OptionalDouble.of(Double.parseDouble(rest.trim().split(" ")[0]));
            }
        }
        return found;
    }

    /** Like {@link #value} but the series must be there. */
    double get(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no " + name + " "
                + String.join(",", labels) + " in\n" + page));
    }

    @Override
    public String toString() {
        return page;
    }
}
