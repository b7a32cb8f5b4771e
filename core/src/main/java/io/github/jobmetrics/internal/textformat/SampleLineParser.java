package io.github.jobmetrics.internal.textformat;

import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one sample line, {@code name{label="value",...} value [timestamp]}, with the blank tolerance of the
 * Prometheus Go parser and none of its silent acceptance of anything else.
 */
final class SampleLineParser {

    private static final String SAMPLE_SHAPE = "samples look like name{label=\"value\"} value [timestamp]";
    private static final String LABEL_ESCAPES = "label values may escape only \\\\, \\\" and \\n";

    // Many samples repeat the same names; sharing one String per name keeps big inputs from multiplying the heap.
    private final Map<String, String> pool = new HashMap<>();
    private List<String> lastLabelNames = Collections.emptyList();

    /** Parses {@code line}, which holds a sample, into a simpleclient sample. */
    Sample parse(String line, int lineNumber) throws TextFormatException {
        int start = Names.skipBlanks(line, 0);
        int nameEnd = Names.metricNameEnd(line, start);
        if (nameEnd == start || (nameEnd < line.length() && !Names.isBlank(line.charAt(nameEnd))
                && line.charAt(nameEnd) != '{')) {
            throw new TextFormatException(lineNumber, "bad metric name " + nameToken(line, start),
                    Names.METRIC_NAME_RULE);
        }
        String name = pooled(line.substring(start, nameEnd));
        int i = Names.skipBlanks(line, nameEnd);
        List<String> labelNames = Collections.emptyList();
        List<String> labelValues = Collections.emptyList();
        if (i < line.length() && line.charAt(i) == '{') {
            labelNames = new ArrayList<>();
            labelValues = new ArrayList<>();
            i = parseLabels(line, i + 1, lineNumber, labelNames, labelValues);
            i = Names.skipBlanks(line, i);
            labelNames = shared(labelNames);
            labelValues = Collections.unmodifiableList(labelValues);
        }
        if (i >= line.length()) {
            throw new TextFormatException(lineNumber, "sample " + Snippet.quote(name) + " has no value", SAMPLE_SHAPE);
        }
        int valueEnd = tokenEnd(line, i);
        Double value = GoFloat.parse(line.substring(i, valueEnd));
        if (value == null) {
            throw new TextFormatException(lineNumber, "value " + Snippet.token(line, i) + " is not a float",
                    GoFloat.ACCEPTED);
        }
        i = Names.skipBlanks(line, valueEnd);
        Long timestampMs = null;
        if (i < line.length()) {
            int timestampEnd = tokenEnd(line, i);
            timestampMs = parseTimestamp(line.substring(i, timestampEnd));
            if (timestampMs == null) {
                throw new TextFormatException(lineNumber, "timestamp " + Snippet.token(line, i) + " is not an int64",
                        "timestamps are milliseconds since the epoch, a signed 64-bit decimal integer");
            }
            i = Names.skipBlanks(line, timestampEnd);
            if (i < line.length()) {
                throw new TextFormatException(lineNumber,
                        "unexpected " + Snippet.token(line, i) + " after the timestamp",
                        SAMPLE_SHAPE);
            }
        }
        return new Sample(name, labelNames, labelValues, value, timestampMs);
    }

    /** Parses labels from just after the {@code '{'}; returns the index just after the closing {@code '}'}. */
    private int parseLabels(String line, int from, int lineNumber, List<String> names, List<String> values)
            throws TextFormatException {
        int i = from;
        while (true) {
            i = Names.skipBlanks(line, i);
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            int nameEnd = Names.labelNameEnd(line, i);
            if (nameEnd == i || (nameEnd < line.length() && "= \t".indexOf(line.charAt(nameEnd)) < 0)) {
                if (i >= line.length()) {
                    throw new TextFormatException(lineNumber, "labels are not closed with '}'", SAMPLE_SHAPE);
                }
                throw new TextFormatException(lineNumber, "bad label name " + labelToken(line, i),
                        Names.LABEL_NAME_RULE);
            }
            String labelName = line.substring(i, nameEnd);
            if (labelName.equals("__name__")) {
                throw new TextFormatException(lineNumber, "label name \"__name__\" is reserved", Names.LABEL_NAME_RULE);
            }
            if (names.contains(labelName)) {
                throw new TextFormatException(lineNumber, "duplicate label name " + Snippet.quote(labelName),
                        "each label name appears once per sample");
            }
            i = Names.skipBlanks(line, nameEnd);
            if (i >= line.length() || line.charAt(i) != '=') {
                throw new TextFormatException(lineNumber, "expected '=' after label name " + Snippet.quote(labelName),
                        SAMPLE_SHAPE);
            }
            i = Names.skipBlanks(line, i + 1);
            if (i >= line.length() || line.charAt(i) != '"') {
                throw new TextFormatException(lineNumber, "expected '\"' to open the value of label "
                        + Snippet.quote(labelName), SAMPLE_SHAPE);
            }
            StringBuilder value = new StringBuilder();
            i = unescapeLabelValue(line, i + 1, lineNumber, labelName, value);
            names.add(pooled(labelName));
            values.add(value.length() == 0 ? "" : value.toString());
            i = Names.skipBlanks(line, i);
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                throw new TextFormatException(lineNumber, "expected ',' or '}' after the value of label "
                        + Snippet.quote(labelName) + (i < line.length() ? ", found " + Snippet.token(line, i) : ""),
                        SAMPLE_SHAPE);
            }
        }
    }

    /** Unescapes a label value from just after its opening quote; returns the index after the closing quote. */
    private static int unescapeLabelValue(String line, int from, int lineNumber, String labelName, StringBuilder out)
            throws TextFormatException {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= line.length()) {
                break;
            }
            char escaped = line.charAt(i++);
            switch (escaped) {
                case '\\' -> out.append('\\');
                case '"' -> out.append('"');
                case 'n' -> out.append('\n');
                default -> throw new TextFormatException(lineNumber, "bad escape " + Snippet.quote("\\" + escaped)
                        + " in the value of label " + Snippet.quote(labelName), LABEL_ESCAPES);
            }
        }
        throw new TextFormatException(lineNumber, "unterminated value of label " + Snippet.quote(labelName),
                "label values end with an unescaped '\"' on the same line");
    }

    private static Long parseTimestamp(String token) {
        int digitsFrom = token.startsWith("-") || token.startsWith("+") ? 1 : 0;
        if (token.length() == digitsFrom) {
            return null;
        }
        for (int i = digitsFrom; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            // Only overflow gets here: the digits were checked above.
            return null;
        }
    }

    private static int tokenEnd(String line, int from) {
        int i = from;
        while (i < line.length() && !Names.isBlank(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String nameToken(String line, int from) {
        int end = from;
        while (end < line.length() && end - from <= Snippet.MAX_CHARS && !Names.isBlank(line.charAt(end))
                && line.charAt(end) != '{') {
            end++;
        }
        return Snippet.quote(line.substring(from, end));
    }

    private static String labelToken(String line, int from) {
        int end = from;
        while (end < line.length() && end - from <= Snippet.MAX_CHARS && "=,}\" \t".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return Snippet.quote(line.substring(from, Math.max(end, Math.min(from + 1, line.length()))));
    }

    private String pooled(String s) {
        String existing = pool.putIfAbsent(s, s);
        return existing != null ? existing : s;
    }

    private List<String> shared(List<String> labelNames) {
        if (!labelNames.equals(lastLabelNames)) {
            lastLabelNames = Collections.unmodifiableList(labelNames);
        }
        return lastLabelNames;
    }
}
