package io.github.jobmetrics.internal.textformat;

/** Renders a piece of untrusted input for an error message: quoted, escaped and short. */
final class Snippet {

    /** Longest excerpt of input an error message quotes; keeps messages well under the 80 character promise. */
    static final int MAX_CHARS = 60;

    private Snippet() {
    }

    /** Returns {@code text} in double quotes, control characters escaped, cut at {@link #MAX_CHARS} with "...". */
    static String quote(CharSequence text) {
        int shown = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(shown + 8).append('"');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    // Control and lone surrogate characters would garble terminals and log files.
                    if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > shown) {
            out.append("...");
        }
        return out.toString();
    }

    /** Returns a quoted excerpt of {@code line} starting at {@code from} and running to the next blank. */
    static String token(String line, int from) {
        // One character past the limit is enough for quote() to mark the cut.
        int end = from;
        while (end < line.length() && end - from <= MAX_CHARS && !Names.isBlank(line.charAt(end))) {
            end++;
        }
        return quote(line.substring(from, end));
    }
}
