package io.github.jobmetrics.agent.internal;

import io.github.jobmetrics.internal.run.RunSession;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * Watches class loading for the classes named in the patterns and has {@link Weaver} add the probes to them. It
 * references no Byte Buddy class itself: the weaver is made on a background thread while the JVM loads the job,
 * and only the load of a named class waits for it.
 */
public final class RecordTransformer implements ClassFileTransformer {
    private static final int NOT_SEEN = 0;
    private static final int NO_METHOD = 1;
    private static final int MATCHED = 2;
    private static final int LOADER_BLIND = 3;
    private static final int FAILED = 4;

    private final List<MethodProbe> probes;
    private final Map<String, List<MethodProbe>> byClass = new HashMap<>();
    private final CompletableFuture<Weaver> weaver = new CompletableFuture<>();
    private final AtomicIntegerArray state;
    private final Consumer<String> err;
    /** {@code -Dio.github.jobmetrics.agent.timing=true}: when the weaver's steps end, on stderr. */
    private static final boolean TIMING = Boolean.getBoolean("io.github.jobmetrics.agent.timing");
    private final long madeNanos = System.nanoTime();
    private volatile Thread preparing;
    private volatile Thread preloading;
    private volatile String failure;

    private RecordTransformer(List<MethodProbe> probes, Consumer<String> err) {
        this.probes = List.copyOf(probes);
        this.err = err;
        this.state = new AtomicIntegerArray(probes.size());
        for (MethodProbe p : probes) {
            byClass.computeIfAbsent(p.internalClassName(), k -> new ArrayList<>()).add(p);
        }
    }

    /**
     * Registers the transformer now and prepares the weaver on a daemon thread (ids of {@code probes} must be
     * 0..n-1 in order). Named classes that are loaded already (by another agent's premain, or before an attach)
     * are instrumented before this returns, so that none of their calls from {@code main} on is missed.
     */
    public static RecordTransformer install(Instrumentation inst, List<MethodProbe> probes,
            Future<RunSession> run, Consumer<String> err) {
        RecordTransformer transformer = new RecordTransformer(probes, err);
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (transformer.byClass.containsKey(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        Thread prepare = new Thread(() -> transformer.prepare(inst, run, loaded), "jobmetrics-agent-weaver");
        prepare.setDaemon(true);
        transformer.preparing = prepare;
        Thread preload = new Thread(Weaver::preloadClasses, "jobmetrics-agent-preload");
        preload.setDaemon(true);
        transformer.preloading = preload;
        preload.start();
        if (loaded.isEmpty()) {
            prepare.start();
        } else {
            prepare.run();
        }
        return transformer;
    }

    private void prepare(Instrumentation inst, Future<RunSession> run, List<Class<?>> loaded) {
        try {
            timing("preparing the weaver");
            Weaver ready = Weaver.create(probes);
            timing("weaver ready");
            RunSession session = run.get();
            timing("run started");
            if (session == null) {
                // The run did not start (already reported): classes load unchanged.
                failure = "the run did not start";
                weaver.completeExceptionally(new IllegalStateException(failure));
                return;
            }
            // Woven code must find its counters from the first call on.
            ProbeCounters.install(probes, session.registry());
            weaver.complete(ready);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while the run started";
            weaver.completeExceptionally(e);
            return;
        } catch (ExecutionException e) {
            failure = "the run did not start";
            weaver.completeExceptionally(e);
            return;
        } catch (RuntimeException | LinkageError e) {
            failure = "cannot load Byte Buddy: " + e;
            weaver.completeExceptionally(e);
            err.accept("jobmetrics agent: records are not counted: " + failure);
            return;
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                err.accept("jobmetrics agent: cannot instrument already loaded " + c.getName() + ": " + e);
            }
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        List<MethodProbe> wanted = className == null ? null : byClass.get(className);
        if (wanted == null || Thread.currentThread() == preparing || Thread.currentThread() == preloading) {
            return null;
        }
        try {
            if (!seesProbes(loader)) {
                mark(wanted, LOADER_BLIND);
                return null;
            }
            timing("load of " + className);
            Weaver w = weaver.join();
            timing("weaver joined");
            byte[] woven = w.weave(loader, className, classfileBuffer, wanted,
                    (id, found) -> state.accumulateAndGet(id, found ? MATCHED : NO_METHOD, Math::max));
            timing("woven " + className);
            return woven;
        } catch (RuntimeException | LinkageError e) {
            // The JVM would swallow it; the class then loads unchanged and the run says why at its end.
            mark(wanted, FAILED);
            if (failure == null) {
                failure = className.replace('/', '.') + ": " + e;
            }
            return null;
        }
    }

    private void timing(String step) {
        if (TIMING) {
            err.accept("jobmetrics agent timing: " + step + " at " + (System.nanoTime() - madeNanos) / 1_000_000
                    + " ms after install (" + Thread.currentThread().getName() + ")");
        }
    }

    private void mark(List<MethodProbe> wanted, int value) {
        for (MethodProbe p : wanted) {
            state.accumulateAndGet(p.id(), value, Math::max);
        }
    }

    /** Woven code calls {@link Probes}; a class whose loader cannot reach it is left alone rather than broken. */
    private static boolean seesProbes(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            return Class.forName(Probes.class.getName(), false, loader) == Probes.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** One line naming every pattern that matched no method, and why; null when all matched. */
    public String unmatchedReport() {
        StringJoiner out = new StringJoiner("; ");
        for (MethodProbe p : probes) {
            switch (state.get(p.id())) {
                case MATCHED:
                    break;
                case NO_METHOD:
                    out.add(p.describe() + " (class has no such method)");
                    break;
                case LOADER_BLIND:
                    out.add(p.describe() + " (class loaded by a class loader that cannot see the agent)");
                    break;
                case FAILED:
                    out.add(p.describe() + " (instrumentation failed: " + failure + ")");
                    break;
                default:
                    out.add(p.describe() + " (class never loaded)");
            }
        }
        String s = out.toString();
        return s.isEmpty() ? null : "jobmetrics agent: patterns that matched nothing: " + s;
    }
}
