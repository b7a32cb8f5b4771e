package io.github.jobmetrics.samples;

import java.util.List;

/**
 * Generated input with exactly known shares: every 50th row is malformed, every 20th is slow to load. The
 * figures are exact so that tests and the end-to-end proof can compare Prometheus' answers with them.
 */
final class SeededRows {
    static final int MALFORMED_EVERY = 50;
    static final int SLOW_EVERY = 20;
    static final List<String> COUNTRIES = List.of("DE", "FR", "NL", "PL", "SE");

    private SeededRows() {
    }

    /** Row {@code i} as a CSV line: {@code id,country,amount}; malformed rows have a non-numeric amount. */
    static String row(long seed, int i) {
        String country = COUNTRIES.get((int) Math.floorMod(seed + i, (long) COUNTRIES.size()));
        String amount = i % MALFORMED_EVERY == 0 ? "n/a" : Integer.toString(Math.floorMod(i * 7919 + (int) seed, 1000));
        return i + "," + country + "," + amount;
    }

    static boolean isSlow(int i) {
        return i % SLOW_EVERY == 0;
    }

    static int malformedCount(int rows) {
        return (rows + MALFORMED_EVERY - 1) / MALFORMED_EVERY;
    }

    static int slowCount(int rows) {
        return (rows + SLOW_EVERY - 1) / SLOW_EVERY;
    }
}
