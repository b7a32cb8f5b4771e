package io.github.jobmetrics.samples;

import java.util.Locale;

/** The sample jobs' arguments: {@code --rows N --seed S --slow-ms M --fail exit|exception|system-exit|oom}. */
final class JobOptions {
    final int rows;
    final long seed;
    final int slowMillis;
    final String fail;

    private JobOptions(int rows, long seed, int slowMillis, String fail) {
        this.rows = rows;
        this.seed = seed;
        this.slowMillis = slowMillis;
        this.fail = fail;
    }

    static JobOptions parse(String[] args) {
        int rows = 1000;
        long seed = 42;
        int slowMillis = 30;
        String fail = "none";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--rows" -> rows = Integer.parseInt(require(a, v));
                case "--seed" -> seed = Long.parseLong(require(a, v));
                case "--slow-ms" -> slowMillis = Integer.parseInt(require(a, v));
                case "--fail" -> fail = require(a, v).toLowerCase(Locale.ROOT);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use --rows N --seed S --slow-ms M --fail none|exit|exception|system-exit|oom");
            }
            i++;
        }
        return new JobOptions(rows, seed, slowMillis, fail);
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
