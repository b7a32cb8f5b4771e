package io.github.jobmetrics.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code discover=PACKAGE} woven methods call: calls, calls that threw and total time per {@code
 * Class#method} (overloads together, as a pattern names them), for at most {@link #MAX_METHODS} methods. A call
 * costs a map read of a constant string and three adders; the first call of a method allocates its entry. Public
 * because the calls are compiled into the job's classes; not an API.
 */
public final class Discovery {
    /** Methods beyond this many are called but not kept: memory stays bounded whatever the package holds. */
    static final int MAX_METHODS = 20_000;

    private static final Map<String, Stats> METHODS = new ConcurrentHashMap<>();
    private static final AtomicInteger DROPPED = new AtomicInteger();

    private Discovery() {
    }

    /** A call of {@code method} ({@code com.acme.Etl#load}) that started at {@code start} ended, throwing {@code thrown} or not (null). */
    public static void exit(Throwable thrown, long start, String method) {
        try {
            long nanos = System.nanoTime() - start;
            Stats s = METHODS.get(method);
            if (s == null) {
                if (METHODS.size() >= MAX_METHODS) {
                    DROPPED.incrementAndGet();
                    return;
                }
                s = METHODS.computeIfAbsent(method, k -> new Stats());
            }
            s.calls.increment();
            s.nanos.add(nanos);
            if (thrown != null) {
                s.threw.increment();
            }
        } catch (RuntimeException | Error e) {
            // Discovery must never change what the job's method returns or throws.
        }
    }

    /** The report printed at exit: a heading line, then the {@code top} most-called methods, one a line. */
    static List<String> report(String pkg, int top) {
        List<Map.Entry<String, Stats>> all = new ArrayList<>(METHODS.entrySet());
        all.sort((a, b) -> Long.compare(b.getValue().calls.sum(), a.getValue().calls.sum()));
        List<String> out = new ArrayList<>();
        out.add("jobmetrics agent: discover=" + pkg + ": " + all.size() + " methods called"
                + (DROPPED.get() > 0 ? " (more not kept: over " + MAX_METHODS + ")" : "")
                + (all.isEmpty() ? "; none under " + pkg + " in the job's class loaders" : "; the most called:"));
        if (!all.isEmpty()) {
            out.add(String.format(Locale.ROOT, "  %12s %10s %12s  %s", "calls", "threw", "total ms", "pattern"));
        }
        for (Map.Entry<String, Stats> e : all.subList(0, Math.min(top, all.size()))) {
            Stats s = e.getValue();
            out.add(String.format(Locale.ROOT, "  %12d %10d %12.1f  records=%s", s.calls.sum(), s.threw.sum(),
                    s.nanos.sum() / 1e6, e.getKey()));
        }
        return out;
    }

    private static final class Stats {
        final LongAdder calls = new LongAdder();
        final LongAdder threw = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }
}
