package io.github.jobmetrics.internal.textformat;

/** The name rules of the text format, kept in one place so samples and metadata lines agree. */
final class Names {

    static final String METRIC_NAME_RULE = "metric names match [a-zA-Z_:][a-zA-Z0-9_:]*";
    static final String LABEL_NAME_RULE = "label names match [a-zA-Z_][a-zA-Z0-9_]* and are not __name__";

    private Names() {
    }

    /** Returns the end (exclusive) of the metric name starting at {@code from}; {@code from} if none starts there. */
    static int metricNameEnd(String line, int from) {
        int i = from;
        if (i < line.length() && isMetricNameStart(line.charAt(i))) {
            i++;
            while (i < line.length() && (isMetricNameStart(line.charAt(i)) || isDigit(line.charAt(i)))) {
                i++;
            }
        }
        return i;
    }

    /** Returns the end (exclusive) of the label name starting at {@code from}; {@code from} if none starts there. */
    static int labelNameEnd(String line, int from) {
        int i = from;
        if (i < line.length() && isLabelNameStart(line.charAt(i))) {
            i++;
            while (i < line.length() && (isLabelNameStart(line.charAt(i)) || isDigit(line.charAt(i)))) {
                i++;
            }
        }
        return i;
    }

    private static boolean isMetricNameStart(char c) {
        return isLabelNameStart(c) || c == ':';
    }

    private static boolean isLabelNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Returns the first index at or after {@code from} that is not a space or tab. */
    static int skipBlanks(String line, int from) {
        int i = from;
        while (i < line.length() && isBlank(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
