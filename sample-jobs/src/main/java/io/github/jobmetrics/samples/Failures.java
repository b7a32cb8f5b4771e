package io.github.jobmetrics.samples;

import java.util.ArrayList;
import java.util.List;

/** The ways a sample job can be told to fail at its end. */
final class Failures {
    private Failures() {
    }

    /** Fails as {@code how} says; returns the exit status for {@code exit}, 0 for {@code none}. */
    static int apply(String how) {
        switch (how) {
            case "none":
                return 0;
            case "exit":
                return 3;
            case "exception":
                throw new IllegalStateException("told to fail with an exception");
            case "system-exit":
                System.exit(4);
                return 4;
            case "oom":
                List<long[]> hog = new ArrayList<>();
                for (int i = 0; i < 1_000_000; i++) {
                    hog.add(new long[1 << 20]);
                }
                return hog.size();
            default:
                throw new IllegalArgumentException("--fail must be none, exit, exception, system-exit or oom");
        }
    }
}
