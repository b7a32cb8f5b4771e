package io.github.jobmetrics.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.model.StageCounters;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weaves methods of many shapes (wide parameters, locals after them, a loop at the first instruction, handlers of
 * their own, synchronized, switches, lambdas, recursion), each wrapped twice (a pattern and discovery), loads the
 * result through the JVM's verifier and checks that every method behaves as before and is counted exactly.
 */
class WeaverTest {
    private static final String[] METHODS = {"wide", "loopFirst", "ownHandlers", "sync", "throwsIt", "switchy",
        "lambdas", "recursive", "flags"};
    private static final String DISCOVERED = Shapes.class.getName();

    private static RunRegistry registry;
    private static Class<?> woven;

    /** The methods under test; static, so the woven copy can be called without building one. */
    public static final class Shapes {
        public static long wide(long a, double b, int c) {
            long x = a;
            double y = b;
            for (int i = 0; i < c; i++) {
                x += i;
                y *= 2;
            }
            return x + (long) y;
        }

        public static int loopFirst(int n) {
            while (true) {
                if (n-- <= 0) {
                    return n;
                }
            }
        }

        public static String ownHandlers(String s) {
            StringBuilder out = new StringBuilder();
            try {
                out.append(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                out.append("bad");
            } finally {
                out.append('!');
            }
            return out.toString();
        }

        public static synchronized double sync(double d) {
            return d / 2;
        }

        public static void throwsIt(int i) {
            if (i > 0) {
                throw new IllegalStateException("row " + i);
            }
        }

        public static Object[] switchy(int k) {
            switch (k) {
                case 1:
                    return new Object[] {"one"};
                case 5:
                    return new Object[] {"five", 5};
                default:
                    return new Object[0];
            }
        }

        public static int lambdas(int base) {
            IntUnaryOperator add = v -> v + base;
            return add.applyAsInt(base);
        }

        public static int recursive(int n) {
            return n <= 0 ? 0 : 1 + recursive(n - 1);
        }

        public static boolean flags(char c, float f, byte b, short s) {
            return c == 'x' && f > 1.5f && b == 1 && s == 2;
        }

        private Shapes() {
        }
    }

    /** Defines the woven bytes under the class's own name, asking the test's loader for everything else. */
    private static final class WovenLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        WovenLoader(String name, byte[] bytes) {
            super(WeaverTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (!className.equals(name)) {
                return super.loadClass(className, resolve);
            }
            synchronized (getClassLoadingLock(className)) {
                Class<?> c = findLoadedClass(className);
                return c != null ? c : defineClass(className, bytes, 0, bytes.length);
            }
        }
    }

    @BeforeAll
    static void weaveShapes() throws IOException, ClassNotFoundException {
        registry = RunRegistry.builder().build();
        List<MethodProbe> probes = new ArrayList<>();
        StageCounters[] counters = new StageCounters[METHODS.length];
        for (int i = 0; i < METHODS.length; i++) {
            probes.add(new MethodProbe(i, MethodProbe.Kind.RECORD, METHODS[i], Shapes.class.getName() + "#" + METHODS[i]));
            counters[i] = registry.stage(METHODS[i]);
        }
        Probes.install(counters, false);
        String internal = Shapes.class.getName().replace('.', '/');
        byte[] original;
        try (InputStream in = Shapes.class.getResourceAsStream("/" + internal + ".class")) {
            original = in.readAllBytes();
        }
        List<Integer> found = new ArrayList<>();
        byte[] bytes = Weaver.weave(internal, original, probes, probes.size(), new Weaver.Found() {
            @Override
            public void accept(int id, boolean hit) {
                if (hit) {
                    found.add(id);
                }
            }

            @Override
            public void otherOverload(int id, String parameters) {
            }
        }, true);
        assertNotNull(bytes);
        assertEquals(METHODS.length, found.size(), "every probe found its method: " + found);
        woven = Class.forName(Shapes.class.getName(), true, new WovenLoader(Shapes.class.getName(), bytes));
    }

    private static Object call(Class<?> c, String name, Object... args) throws ReflectiveOperationException {
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name)) {
                try {
                    return m.invoke(null, args);
                } catch (InvocationTargetException e) {
                    return e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static void sameResult(String name, Object... args) throws ReflectiveOperationException {
        Object before = call(Shapes.class, name, args);
        Object after = call(woven, name, args);
        if (before instanceof Object[]) {
            assertArrayEquals((Object[]) before, (Object[]) after, name);
        } else if (before instanceof Throwable) {
            assertEquals(before.getClass(), after.getClass(), name);
            assertEquals(((Throwable) before).getMessage(), ((Throwable) after).getMessage(), name);
        } else {
            assertEquals(before, after, name);
        }
    }

    private static double sample(String metric, String stage) {
        for (MetricFamilySamples f : registry.collectRecords()) {
            for (MetricFamilySamples.Sample s : f.samples) {
                int at = s.labelNames.indexOf("stage");
                if (s.name.endsWith(metric) && at >= 0 && s.labelValues.get(at).equals(stage)) {
                    return s.value;
                }
            }
        }
        return 0;
    }

    @Test
    void everyShapeReturnsAndThrowsExactlyWhatItDidBeforeWeaving() throws ReflectiveOperationException {
        assertTrue(woven != Shapes.class, "the woven copy is a class of its own");
        sameResult("wide", 3L, 1.5, 4);
        sameResult("loopFirst", 5);
        sameResult("ownHandlers", "12");
        sameResult("ownHandlers", "x");
        sameResult("sync", 3.0);
        sameResult("throwsIt", 0);
        sameResult("throwsIt", 7);
        sameResult("switchy", 1);
        sameResult("switchy", 5);
        sameResult("switchy", 2);
        sameResult("lambdas", 21);
        sameResult("recursive", 4);
        sameResult("flags", 'x', 2f, (byte) 1, (short) 2);
    }

    @Test
    void eachOutermostCallIsOneRecordAndAnEscapingExceptionOneError() throws ReflectiveOperationException {
        double before = sample("records_total", "recursive");
        call(woven, "recursive", 10);
        call(woven, "recursive", 3);
        assertEquals(before + 2, sample("records_total", "recursive"), "nested calls of the pattern are not counted");
        double thrown = sample("record_errors_total", "throwsIt");
        double calls = sample("records_total", "throwsIt");
        call(woven, "throwsIt", 1);
        call(woven, "throwsIt", 0);
        assertEquals(thrown + 1, sample("record_errors_total", "throwsIt"));
        assertEquals(calls + 2, sample("records_total", "throwsIt"));
        double handled = sample("record_errors_total", "ownHandlers");
        call(woven, "ownHandlers", "not a number");
        assertEquals(handled, sample("record_errors_total", "ownHandlers"), "an exception the method handles is not an error");
    }

    /** The calls discovery counted for {@code method} of Shapes so far. */
    private static long discoveredCalls(String method) {
        for (String line : Discovery.report(DISCOVERED, Discovery.MAX_METHODS)) {
            if (line.endsWith("records=" + DISCOVERED + "#" + method)) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    @Test
    void discoveryTimesEveryCallIncludingNestedOnesAndNeverAConstructor() throws ReflectiveOperationException {
        long loops = discoveredCalls("loopFirst");
        long recursions = discoveredCalls("recursive");
        call(woven, "loopFirst", 2);
        call(woven, "loopFirst", 2);
        call(woven, "recursive", 3);
        assertEquals(loops + 2, discoveredCalls("loopFirst"));
        assertEquals(recursions + 4, discoveredCalls("recursive"), "discovery counts every call, nested too");
        List<String> report = Discovery.report(DISCOVERED, Discovery.MAX_METHODS);
        assertNull(report.stream().filter(l -> l.endsWith("#<init>") || l.endsWith("#<clinit>")).findFirst()
                .orElse(null), "constructors and initialisers are never woven: " + Arrays.toString(report.toArray()));
    }
}
