package io.github.jobmetrics.agent.internal;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.run.RunSession;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * Watches class loading for the classes named in the patterns, and the job's classes that extend or implement them,
 * and has {@link Weaver} add the probes to them. It references no ASM class itself: ASM loads with the first class
 * that a pattern names. Woven code may run before the run has started; its calls then wait in {@link Probes}.
 */
public final class RecordTransformer implements ClassFileTransformer {
    // Ordered so that the most telling state of a probe wins (AtomicIntegerArray#accumulateAndGet with max).
    private static final int NOT_SEEN = 0;
    private static final int JDK_ONLY = 1;
    private static final int NO_METHOD = 2;
    private static final int MATCHED = 3;
    private static final int LOADER_BLIND = 4;
    private static final int FAILED = 5;
    /** How many classes and overloads a message names per pattern. */
    private static final int SEEN_LIMIT = 6;
    /** How many methods the discovery report names. */
    private static final int DISCOVER_TOP = 25;

    private static final ProtectionDomain AGENT_DOMAIN = RecordTransformer.class.getProtectionDomain();

    private final List<MethodProbe> probes;
    /** The patterns' types (internal names), each with its probes; a class of that name or a subtype matches. */
    private final Map<String, Integer> typeIndex = new HashMap<>();
    /** The same, by binary name ({@code com.acme.Etl}), as {@link Class#getName} gives it. */
    private final Map<String, Integer> typeByBinaryName = new HashMap<>();
    private final List<List<MethodProbe>> probesOfType = new ArrayList<>();
    private final Supertypes supertypes;
    private final AtomicIntegerArray state;
    /** Per probe: the declaring or implementing classes seen, then the same-named methods of other parameters. */
    private final Set<String>[] seenClasses;
    private final Set<String>[] seenOverloads;
    /** The patterns' types by the name after their package, for a pattern whose package is wrong. */
    private final Map<String, List<MethodProbe>> bySimpleName = new HashMap<>();
    private final Set<String>[] sameName;
    private final Consumer<String> err;
    private final boolean countNested;
    /** {@code org/h2/}: the classes whose every method is timed for discovery; null when discovery is off. */
    private final @Nullable String discoverPrefix;
    private final @Nullable String discoverPackage;
    /** {@code -Dio.github.jobmetrics.agent.timing=true}: when weaving and the run's start end, on stderr. */
    private static final boolean TIMING = Boolean.getBoolean("io.github.jobmetrics.agent.timing");
    private final long madeNanos = System.nanoTime();
    private volatile String failure;
    /** Set when the run did not start: nothing would count the calls, so nothing more is woven. */
    private volatile boolean stopped;

    private RecordTransformer(List<MethodProbe> probes, boolean countNested, @Nullable String discover,
            Consumer<String> err) {
        this.probes = List.copyOf(probes);
        this.discoverPackage = discover;
        this.discoverPrefix = discover == null ? null : discover.replace('.', '/') + "/";
        this.countNested = countNested;
        this.err = err;
        this.state = new AtomicIntegerArray(probes.size());
        List<String> types = new ArrayList<>();
        for (MethodProbe p : probes) {
            Integer t = typeIndex.get(p.internalClassName());
            if (t == null) {
                t = types.size();
                typeIndex.put(p.internalClassName(), t);
                typeByBinaryName.put(p.className(), t);
                types.add(p.internalClassName());
                probesOfType.add(new ArrayList<>());
            }
            probesOfType.get(t).add(p);
            String type = p.internalClassName();
            String simple = type.substring(type.lastIndexOf('/') + 1);
            // No lambda (computeIfAbsent) here: this runs before main, where the first lambda costs milliseconds.
            List<MethodProbe> same = bySimpleName.get(simple);
            if (same == null) {
                same = new ArrayList<>();
                bySimpleName.put(simple, same);
            }
            same.add(p);
        }
        this.supertypes = new Supertypes(types);
        this.seenClasses = newSets(probes.size());
        this.seenOverloads = newSets(probes.size());
        this.sameName = newSets(probes.size());
    }

    @SuppressWarnings("unchecked")
    private static Set<String>[] newSets(int n) {
        Set<String>[] sets = new Set[n];
        for (int i = 0; i < n; i++) {
            sets[i] = new LinkedHashSet<>();
        }
        return sets;
    }

    /**
     * Registers the transformer now (ids of {@code probes} must be 0..n-1 in order) and hands the run's counters to
     * woven code once {@code run} has started, on a daemon thread. Named classes that are loaded already (by
     * another agent's premain, or before an attach) are instrumented before this returns, so that none of their
     * calls from {@code main} on is missed.
     */
    public static RecordTransformer install(Instrumentation inst, List<MethodProbe> probes, boolean countNested,
            @Nullable String discover, Future<RunSession> run, Consumer<String> err) {
        RecordTransformer transformer = new RecordTransformer(probes, countNested, discover, err);
        // Before the first class is woven: woven code sizes its per-thread state by the number of probes.
        Probes.expect(probes.size(), countNested);
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        // Hundreds of classes, most of them the JDK's, in interpreted code before main: one map lookup each.
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (isJobLoader(c.getClassLoader())) {
                if (transformer.named(c) && inst.isModifiableClass(c)) {
                    loaded.add(c);
                }
            } else {
                Integer own = transformer.typeByBinaryName.get(c.getName());
                if (own != null) {
                    // A JDK type named by a pattern, loaded already: its implementations in the job are what counts.
                    transformer.mark(transformer.probesOfType.get(own), JDK_ONLY);
                }
            }
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                err.accept("jobmetrics agent: cannot instrument already loaded " + c.getName() + ": " + e);
            }
        }
        Thread counting = new Thread(() -> transformer.startCounting(run), "jobmetrics-agent-counters");
        counting.setDaemon(true);
        counting.start();
        return transformer;
    }

    /** Whether a class of a job's class loader, loaded before the agent, is a pattern's type or a subtype. */
    private boolean named(Class<?> c) {
        return typeByBinaryName.containsKey(c.getName())
                || c.getProtectionDomain() != AGENT_DOMAIN && supertypes.ofLoaded(c) != 0;
    }

    /** The JDK's own classes are never woven: a pattern's type there matches the job's implementations only. */
    private static boolean isJobLoader(@Nullable ClassLoader loader) {
        return loader != null && loader != ClassLoader.getPlatformClassLoader();
    }

    /** Hands the run's counters to woven code once the run has started, or tells it that there will be none. */
    private void startCounting(Future<RunSession> run) {
        try {
            RunSession session = run.get();
            timing("run started");
            if (session != null) {
                ProbeCounters.install(probes, session.registry(), countNested);
                return;
            }
            failure = "the run did not start";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while the run started";
        } catch (ExecutionException e) {
            failure = "the run did not start";
        }
        // The run's start was reported already; classes loaded from now on stay as they are.
        stopped = true;
        Probes.abandon();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        List<MethodProbe> wanted = null;
        try {
            Integer own = typeIndex.get(className);
            if (own == null) {
                noteSameName(className);
            }
            // The agent's own classes (ASM, the client library) share the job's class loader, not its code.
            boolean jobLoader = isJobLoader(loader) && protectionDomain != AGENT_DOMAIN;
            long inherited = jobLoader ? supertypes.of(ClassHeader.read(classfileBuffer), loader) : 0;
            boolean discovering = jobLoader && discoverPrefix != null && className.startsWith(discoverPrefix);
            if (own == null && inherited == 0 && !discovering) {
                return null;
            }
            wanted = new ArrayList<>();
            if (own != null) {
                wanted.addAll(probesOfType.get(own));
            }
            int exact = wanted.size();
            for (int t = 0; t < probesOfType.size() && t < Long.SIZE; t++) {
                if ((inherited & (1L << t)) != 0) {
                    wanted.addAll(probesOfType.get(t));
                }
            }
            if (!jobLoader) {
                mark(wanted, JDK_ONLY);
                return null;
            }
            seen(wanted, className);
            if (!seesProbes(loader)) {
                mark(wanted, LOADER_BLIND);
                return null;
            }
            if (stopped) {
                return null;
            }
            byte[] woven = Weaver.weave(className, classfileBuffer, wanted, exact, new Found(), discovering);
            timing("woven " + className);
            return woven;
        } catch (RuntimeException | LinkageError e) {
            // The JVM would swallow it; the class then loads unchanged and the run says why at its end.
            if (wanted != null) {
                mark(wanted, FAILED);
            }
            if (failure == null) {
                failure = className.replace('/', '.') + ": " + e;
            }
            return null;
        }
    }

    /** What the weaver found, kept for the report at the run's end. */
    private final class Found implements Weaver.Found {
        @Override
        public void accept(int id, boolean found) {
            state.accumulateAndGet(id, found ? MATCHED : NO_METHOD, Math::max);
        }

        @Override
        public void otherOverload(int id, String parameters) {
            add(seenOverloads[id], parameters);
        }
    }

    private void noteSameName(String className) {
        List<MethodProbe> same = bySimpleName.get(className.substring(className.lastIndexOf('/') + 1));
        if (same != null) {
            for (MethodProbe p : same) {
                add(sameName[p.id()], className.replace('/', '.'));
            }
        }
    }

    private void seen(List<MethodProbe> wanted, String className) {
        for (MethodProbe p : wanted) {
            add(seenClasses[p.id()], className.replace('/', '.'));
        }
    }

    private static void add(Set<String> set, String value) {
        synchronized (set) {
            if (set.size() < SEEN_LIMIT) {
                set.add(value);
            }
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

    /** With {@code discover}, the lines of its report (the most-called methods); empty without. */
    public List<String> discoveryReport() {
        return discoverPackage == null ? List.of() : Discovery.report(discoverPackage, DISCOVER_TOP);
    }

    /** One line naming every pattern that matched no method, why, and what was seen instead; null when all matched. */
    public String unmatchedReport() {
        StringJoiner out = new StringJoiner("; ");
        for (MethodProbe p : probes) {
            String classes = names(seenClasses[p.id()]);
            switch (state.get(p.id())) {
                case MATCHED:
                    break;
                case JDK_ONLY:
                    out.add(p.describe() + " (" + p.className() + " was loaded, but no class of the job extending"
                            + " or implementing it; the JDK's own classes are not counted)");
                    break;
                case NO_METHOD:
                    String others = names(seenOverloads[p.id()]);
                    out.add(p.describe() + " (class has no such method: none in " + classes
                            + (others.isEmpty() ? "" : "; with other parameters: " + others) + ")");
                    break;
                case LOADER_BLIND:
                    out.add(p.describe() + " (" + classes + ": class loaded by a class loader that cannot see the"
                            + " agent, not counted)");
                    break;
                case FAILED:
                    out.add(p.describe() + " (instrumentation failed: " + failure + ")");
                    break;
                default:
                    String same = names(sameName[p.id()]);
                    out.add(p.describe() + " (class never loaded, nor any class extending or implementing it"
                            + (same.isEmpty() ? "" : "; loaded with that name in another package: " + same) + ")");
            }
        }
        String s = out.toString();
        return s.isEmpty() ? null : "jobmetrics agent: patterns that matched nothing: " + s;
    }

    private static String names(Set<String> set) {
        synchronized (set) {
            return String.join(", ", set) + (set.size() >= SEEN_LIMIT ? ", ..." : "");
        }
    }
}
