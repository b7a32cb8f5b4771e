package io.github.jobmetrics.internal.config;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code -javaagent:job-metrics-agent.jar=key=value,key=value} argument as settings by key, in the order given.
 * A piece without {@code =} continues the previous value, so {@code record-slo=250ms,10s} keeps both thresholds.
 * Which keys exist is the settings loader's business; this class only splits.
 */
public final class AgentArguments {
    private AgentArguments() {
    }

    /**
     * Splits {@code argument} (null or blank means no settings).
     *
     * @throws IllegalArgumentException with a one-line message for an empty key, a duplicate key or a first piece
     *     without {@code =}
     */
    public static Map<String, String> parse(@Nullable String argument) {
        Map<String, String> out = new LinkedHashMap<>();
        if (argument == null || argument.isBlank()) {
            return Collections.unmodifiableMap(out);
        }
        String lastKey = null;
        for (String piece : argument.split(",", -1)) {
            int eq = piece.indexOf('=');
            if (eq < 0) {
                if (lastKey == null) {
                    throw new IllegalArgumentException("agent argument '" + piece.strip()
                            + "' is not key=value; write -javaagent:job-metrics-agent.jar=key=value,key=value");
                }
                // record-slo=250ms,10s: the comma belongs to the value.
                out.put(lastKey, out.get(lastKey) + "," + piece);
                continue;
            }
            String key = piece.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("agent argument '" + piece.strip() + "' has no key before '='");
            }
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("agent argument " + key + " is given twice");
            }
            out.put(key, piece.substring(eq + 1));
            lastKey = key;
        }
        return Collections.unmodifiableMap(out);
    }

    /** Renders settings back into an agent argument that {@link #parse} reads as the same map. */
    public static String render(Map<String, String> settings) {
        requireNonNull(settings, "settings must not be null");
        StringJoiner out = new StringJoiner(",");
        settings.forEach((key, value) -> {
            boolean valueSplits = false;
            String[] pieces = value.split(",", -1);
            for (int i = 1; i < pieces.length; i++) {
                valueSplits |= pieces[i].indexOf('=') >= 0;
            }
            if (key.isBlank() || key.indexOf('=') >= 0 || key.indexOf(',') >= 0 || valueSplits) {
                throw new IllegalArgumentException(key + "=" + value + " cannot be written as an agent argument");
            }
            out.add(key + "=" + value);
        });
        return out.toString();
    }
}
