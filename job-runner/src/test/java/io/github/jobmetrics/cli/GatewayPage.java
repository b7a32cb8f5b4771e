package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.OptionalDouble;

/** Reads one job's values from a Pushgateway's {@code /metrics} page. */
final class GatewayPage {
    private final String page;

    GatewayPage(String page) {
        this.page = page;
    }

    /** The value of {@code name} in the group of {@code job}, whose labels contain all of {@code labels}. */
    OptionalDouble value(String name, String job, String... labels) {
        for (String line : page.split("\n")) {
            if (!line.startsWith(name + "{") || !line.contains("job=\"" + job + "\"")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    double require(String name, String job, String... labels) {
        OptionalDouble v = value(name, job, labels);
        if (v.isEmpty()) {
            fail("no " + name + " for job " + job + " on the gateway page:\n" + page);
        }
        return v.getAsDouble();
    }

    @Override
    public String toString() {
        return page;
    }
}
