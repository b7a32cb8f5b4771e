package io.github.jobmetrics.internal.textformat;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;

/**
 * Splits input into lines on {@code \n} while enforcing the size limits and refusing characters the Pushgateway
 * refuses (carriage returns, NUL, text that is not valid UTF-8), so later stages only see well-formed lines.
 */
final class LineReader {

    private final Reader in;
    private final int maxLineChars;
    private final long maxInputChars;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private boolean endOfInput;
    private long totalChars;
    private int lineNumber;

    LineReader(Reader in, int maxLineChars, long maxInputChars) {
        this.in = requireNonNull(in, "in must not be null");
        this.maxLineChars = maxLineChars;
        this.maxInputChars = maxInputChars;
    }

    /** Returns the number of the line last returned by {@link #next()}. */
    int lineNumber() {
        return lineNumber;
    }

    /** Returns the next line without its {@code \n}, or {@code null} once the input is used up. */
    String next() throws TextFormatException {
        StringBuilder line = new StringBuilder();
        boolean sawAnything = false;
        boolean pendingHighSurrogate = false;
        lineNumber++;
        while (true) {
            if (position == limit && !fill()) {
                break;
            }
            char c = buffer[position++];
            sawAnything = true;
            if (++totalChars > maxInputChars) {
                throw new TextFormatException(lineNumber, "input is longer than " + maxInputChars + " characters",
                        "split it into smaller expositions");
            }
            if (c == '\n') {
                break;
            }
            if (pendingHighSurrogate != Character.isLowSurrogate(c)) {
                throw notUtf8("an unpaired UTF-16 surrogate");
            }
            pendingHighSurrogate = Character.isHighSurrogate(c);
            if (c == '\r') {
                throw new TextFormatException(lineNumber, "carriage return at column " + (line.length() + 1),
                        "lines end with \\n alone (no CRLF), as the Pushgateway requires");
            }
            if (c == '\0') {
                throw new TextFormatException(lineNumber, "NUL character at column " + (line.length() + 1),
                        "the text format has no NUL characters");
            }
            if (line.length() >= maxLineChars) {
                throw new TextFormatException(lineNumber, "line is longer than " + maxLineChars + " characters",
                        "lines are at most " + maxLineChars + " characters");
            }
            line.append(c);
        }
        if (pendingHighSurrogate) {
            throw notUtf8("an unpaired UTF-16 surrogate");
        }
        if (!sawAnything) {
            lineNumber--;
            return null;
        }
        return line.toString();
    }

    private boolean fill() throws TextFormatException {
        if (endOfInput) {
            return false;
        }
        try {
            int read;
            do {
                read = in.read(buffer, 0, buffer.length);
            } while (read == 0);
            if (read < 0) {
                endOfInput = true;
                return false;
            }
            position = 0;
            limit = read;
            return true;
        } catch (CharacterCodingException e) {
            // Raised by a Reader whose decoder reports malformed input instead of replacing it.
            throw notUtf8("bytes that are not valid UTF-8");
        } catch (IOException e) {
            // Failing to read is not a format problem; callers must not mistake it for a malformed file.
            throw new UncheckedIOException("could not read exposition at line " + lineNumber, e);
        }
    }

    private TextFormatException notUtf8(String what) {
        return new TextFormatException(lineNumber, "input contains " + what, "the text format is UTF-8");
    }
}
