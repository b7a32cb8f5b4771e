package io.github.jobmetrics.internal.config;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in settings, and as seconds in label values.
 *
 * <p>{@link #parse} accepts a number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}), where the number may have a decimal fraction
 * ({@code 1.5s}, {@code 0.5h}) as long as the result is a whole number of nanoseconds; and ISO-8601 as read by
 * {@link Duration#parse} in either case ({@code PT10S}, {@code pt1m30s}). A day is 24 hours. Negative durations
 * are refused; zero is accepted here and refused by the settings that need a positive duration.
 */
public final class Durations {

    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "use 250ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S";

    /** The longest duration {@link #parse} accepts: every duration must fit in a long of nanoseconds. */
    public static final Duration MAX = Duration.ofNanos(Long.MAX_VALUE);

    /** {@link #MAX} in whole days, as messages name it. */
    public static final String MAX_SHOWN = MAX.toDays() + "d";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    // Largest unit first, so format() prefers "1m" to "60s" when both are equally short.
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
        1_000_000_000L, 1_000_000L};

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 250ms}, {@code 1.5s}, {@code 2h} or {@code PT10S}.
     *
     * @param text the duration; surrounding white space is ignored
     * @return the duration, zero or positive
     * @throws TooLong if the text is a duration longer than {@link #MAX}
     * @throws IllegalArgumentException if the text is not such a duration, is negative or is finer than a
     *     nanosecond
     */
    public static Duration parse(String text) {
        requireNonNull(text, "text must not be null");
        String trimmed = text.strip();
        Matcher simple = SIMPLE.matcher(trimmed);
        if (simple.matches()) {
            BigDecimal nanos = new BigDecimal(simple.group(1))
                    .multiply(BigDecimal.valueOf(UNIT_NANOS[unitIndex(simple.group(2))]));
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new TooLong(trimmed);
            }
            try {
                return Duration.ofNanos(nanos.longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("not a whole number of nanoseconds: " + trimmed, e);
            }
        }
        if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
            Duration parsed;
            try {
                parsed = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                    throw new TooLong(trimmed); // the right form, with a number too large for a long
                }
                throw new IllegalArgumentException("not an ISO-8601 duration: " + trimmed, e);
            }
            if (parsed.isNegative()) {
                throw new IllegalArgumentException("negative duration: " + trimmed);
            }
            if (parsed.compareTo(MAX) > 0) {
                throw new TooLong(trimmed);
            }
            return parsed;
        }
        throw new IllegalArgumentException("not a duration: " + trimmed);
    }

    /**
     * Formats a duration in the shortest form {@link #parse} reads back: {@code 250ms}, {@code 10s}, {@code 1m},
     * {@code 1.5s}, {@code 36h}. Forms that would start with {@code 0.} are not used ({@code 100ms}, not
     * {@code 0.1s}); durations below a millisecond, with sub-millisecond parts or negative fall back to
     * ISO-8601 ({@code PT0.0000015S}).
     */
    public static String format(Duration duration) {
        requireNonNull(duration, "duration must not be null");
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        BigDecimal nanos = new BigDecimal(duration.getSeconds()).scaleByPowerOfTen(9)
                .add(BigDecimal.valueOf(duration.getNano()));
        String best = null;
        for (int i = 0; i < UNITS.length; i++) {
            BigDecimal amount;
            try {
                amount = nanos.divide(BigDecimal.valueOf(UNIT_NANOS[i])).stripTrailingZeros();
            } catch (ArithmeticException endlessFraction) {
                continue; // 1ms in days has no finite decimal form
            }
            if (amount.compareTo(BigDecimal.ONE) < 0) {
                continue;
            }
            String candidate = amount.toPlainString() + UNITS[i];
            if (best == null || candidate.length() < best.length()) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Formats a duration as plain decimal seconds for a label value: {@code 0.25}, {@code 10}, {@code 0.001},
     * {@code 3600}; no exponent and no trailing zeros.
     */
    public static String toSecondsLabel(Duration duration) {
        requireNonNull(duration, "duration must not be null");
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        if (seconds.signum() == 0) {
            return "0";
        }
        return seconds.stripTrailingZeros().toPlainString();
    }

    /** A well-formed duration longer than {@link #MAX}: the message says so and names the maximum. */
    public static final class TooLong extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooLong(String text) {
            super("too long: " + text + "; the longest duration is " + MAX_SHOWN);
        }
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new AssertionError(unit);
    }
}
