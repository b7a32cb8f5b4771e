package io.github.jobmetrics.config;

import static java.util.Objects.requireNonNull;

/**
 * A setting that cannot be used, explained on one line.
 *
 * <p>The message names the key, the source it came from, what is wrong and what is accepted, for example
 * {@code push-timeout: "10x" (environment variable JOBMETRICS_PUSH_TIMEOUT) is not a duration; use 250ms, 10s, 5m,
 * 2h, 1d or ISO-8601 such as PT10S}. It is meant to be printed as it is, after the program's name. It never holds
 * a secret: values are quoted only for keys that cannot hold one, and a file's content is never quoted.
 */
public final class SettingsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Longest quoted value; the rest is cut so one bad value cannot flood a log line. */
    private static final int MAX_QUOTED = 120;

    private final String key;
    private final String source;
    private boolean strictRequested;

    /**
     * Creates an exception whose message is {@code key (source) problem}.
     *
     * @param key the setting's key, for example {@code push-timeout}
     * @param source where the setting came from, for example {@code option --push-timeout}
     * @param problem what is wrong and what is accepted, for example {@code is not a number; use 0 to 20}
     */
    public SettingsException(String key, String source, String problem) {
        super(oneLine(requireNonNull(key, "key must not be null") + " ("
                + requireNonNull(source, "source must not be null") + ") "
                + requireNonNull(problem, "problem must not be null")));
        this.key = key;
        this.source = source;
    }

    /**
     * Creates an exception whose message quotes the offending value: {@code key: "value" (source) problem}.
     * Only for values that cannot be secret.
     */
    static SettingsException badValue(String key, String source, String value, String problem) {
        return new SettingsException(key, source, quote(value), problem);
    }

    private SettingsException(String key, String source, String quotedValue, String problem) {
        super(oneLine(key + ": " + quotedValue + " (" + source + ") " + problem));
        this.key = key;
        this.source = source;
    }

    /**
     * Whether the settings that failed asked for {@code strict=true} themselves, in whichever source (the
     * properties file included), so a caller can honour it although the settings as a whole are unusable.
     */
    public boolean strictRequested() {
        return strictRequested;
    }

    SettingsException withStrictRequested() {
        strictRequested = true;
        return this;
    }

    /** The key of the setting at fault, for example {@code push-timeout} or {@code grouping.team}. */
    public String key() {
        return key;
    }

    /**
     * Where the setting came from, for example {@code option --push-timeout}, {@code system property
     * jobmetrics.push-timeout}, {@code environment variable JOBMETRICS_PUSH_TIMEOUT} or {@code file
     * /etc/job.properties}.
     */
    public String source() {
        return source;
    }

    /** Quotes a value for a message, escaping what would break the one line and cutting what is too long. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 8).append('"');
        int shown = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < value.length()) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    // Keys and sources come from the environment too; a line break there must not split the message.
    private static String oneLine(String message) {
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
