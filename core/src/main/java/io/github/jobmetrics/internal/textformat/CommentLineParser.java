package io.github.jobmetrics.internal.textformat;

import io.prometheus.client.Collector;

/** Parses lines starting with {@code #}: HELP and TYPE lines, or comments that carry nothing. */
final class CommentLineParser {

    private static final String HELP_SHAPE = "HELP lines look like # HELP name text";
    private static final String TYPE_SHAPE =
            "TYPE lines look like # TYPE name counter|gauge|histogram|summary|untyped";

    private CommentLineParser() {
    }

    /** Returns the HELP or TYPE line {@code line} holds, or {@code null} if it is a plain comment. */
    static Metadata parse(String line, int lineNumber) throws TextFormatException {
        // Like the Go parser: "#", optional blanks, then the keyword; anything else after "#" is a comment.
        int i = Names.skipBlanks(line, line.indexOf('#') + 1);
        boolean help = line.startsWith("HELP", i);
        if (!help && !line.startsWith("TYPE", i)) {
            return null;
        }
        int keywordEnd = i + 4;
        if (keywordEnd < line.length() && !Names.isBlank(line.charAt(keywordEnd))) {
            return null;
        }
        String shape = help ? HELP_SHAPE : TYPE_SHAPE;
        int nameStart = Names.skipBlanks(line, keywordEnd);
        if (nameStart >= line.length()) {
            throw new TextFormatException(lineNumber, (help ? "HELP" : "TYPE") + " line has no metric name", shape);
        }
        int nameEnd = Names.metricNameEnd(line, nameStart);
        if (nameEnd == nameStart || (nameEnd < line.length() && !Names.isBlank(line.charAt(nameEnd)))) {
            throw new TextFormatException(lineNumber, "bad metric name " + Snippet.token(line, nameStart),
                    Names.METRIC_NAME_RULE);
        }
        String name = line.substring(nameStart, nameEnd);
        if (help) {
            // Exactly one blank separates name and text: further blanks are text, so help survives a round trip.
            String text = nameEnd < line.length() ? line.substring(nameEnd + 1) : "";
            return new Metadata(name, unescapeHelp(text, lineNumber), null);
        }
        int typeStart = Names.skipBlanks(line, nameEnd);
        if (typeStart >= line.length()) {
            throw new TextFormatException(lineNumber, "TYPE line for " + Snippet.quote(name) + " has no type",
                    TYPE_SHAPE);
        }
        Collector.Type type = typeOf(line.substring(typeStart));
        if (type == null) {
            throw new TextFormatException(lineNumber, "unknown type " + Snippet.quote(line.substring(typeStart)),
                    TYPE_SHAPE);
        }
        return new Metadata(name, null, type);
    }

    private static Collector.Type typeOf(String word) {
        return switch (word) {
            case "counter" -> Collector.Type.COUNTER;
            case "gauge" -> Collector.Type.GAUGE;
            case "histogram" -> Collector.Type.HISTOGRAM;
            case "summary" -> Collector.Type.SUMMARY;
            case "untyped" -> Collector.Type.UNKNOWN;
            default -> null;
        };
    }

    private static String unescapeHelp(String text, int lineNumber) throws TextFormatException {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new TextFormatException(lineNumber, "HELP text ends with a lone backslash",
                        "HELP text may escape only \\\\ and \\n");
            }
            char escaped = text.charAt(++i);
            if (escaped == '\\') {
                out.append('\\');
            } else if (escaped == 'n') {
                out.append('\n');
            } else {
                throw new TextFormatException(lineNumber,
                        "bad escape " + Snippet.quote("\\" + escaped) + " in HELP text",
                        "HELP text may escape only \\\\ and \\n");
            }
        }
        return out.toString();
    }
}
