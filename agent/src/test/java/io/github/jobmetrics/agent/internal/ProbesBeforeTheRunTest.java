package io.github.jobmetrics.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.model.StageCounters;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A named class is woven before the run has started; a call of it that ends before the start waits for the run's
 * counters and is counted then, or counts nothing if the run never starts. Each test loads its own copy of
 * {@link Probes} (and of the woven class) in a class loader of its own, so that it starts from "no run yet".
 */
class ProbesBeforeTheRunTest {
    /** The woven class. */
    public static final class Counted {
        private Counted() {
        }

        public static int twice(int v) {
            return 2 * v;
        }
    }

    /** Defines Probes, its nested classes and the woven Counted itself; asks the test's loader for the rest. */
    private static final class FreshProbesLoader extends ClassLoader {
        private final byte[] woven;

        FreshProbesLoader(byte[] woven) {
            super(ProbesBeforeTheRunTest.class.getClassLoader());
            this.woven = woven;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean probes = name.equals(Probes.class.getName()) || name.startsWith(Probes.class.getName() + "$");
            if (!probes && !name.equals(Counted.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                byte[] bytes = probes ? bytesOf(name) : woven;
                return defineClass(name, bytes, 0, bytes.length);
            }
        }
    }

    private static byte[] bytesOf(String className) {
        try (InputStream in = ProbesBeforeTheRunTest.class.getResourceAsStream(
                "/" + className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Fresh {
        final Class<?> counted;
        final Class<?> probes;

        Fresh() throws ClassNotFoundException {
            String internal = Counted.class.getName().replace('.', '/');
            MethodProbe probe = new MethodProbe(0, MethodProbe.Kind.RECORD, "main", Counted.class.getName() + "#twice");
            byte[] woven = Weaver.weave(internal, bytesOf(Counted.class.getName()), List.of(probe), 1,
                    new Weaver.Found() {
                        @Override
                        public void accept(int id, boolean found) {
                        }

                        @Override
                        public void otherOverload(int id, String parameters) {
                        }
                    }, false);
            assertNotNull(woven);
            FreshProbesLoader loader = new FreshProbesLoader(woven);
            counted = Class.forName(Counted.class.getName(), true, loader);
            probes = Class.forName(Probes.class.getName(), true, loader);
            assertTrue(probes != Probes.class, "a copy of Probes of its own");
        }

        void call(String method, Class<?>[] types, Object... args) throws ReflectiveOperationException {
            Method m = probes.getDeclaredMethod(method, types);
            m.setAccessible(true);
            m.invoke(null, args);
        }

        /** Calls Counted.twice(v) on a thread of its own. */
        CompletableFuture<Integer> twiceInTheBackground(int v) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    result.complete((Integer) counted.getMethod("twice", int.class).invoke(null, v));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }, "woven-call");
            t.setDaemon(true);
            t.start();
            waitUntilWaiting(t);
            return result;
        }
    }

    /** Until the thread waits (for the run), at most 5 s. */
    private static void waitUntilWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, t.getState(), "the call waits for the run's counters");
    }

    private static double records(RunRegistry registry) {
        for (MetricFamilySamples f : registry.collectRecords()) {
            for (MetricFamilySamples.Sample s : f.samples) {
                if (s.name.endsWith("records_total")) {
                    return s.value;
                }
            }
        }
        return 0;
    }

    @Test
    void aCallEndingBeforeTheRunStartsWaitsAndIsCountedOnceTheRunHasItsCounters() throws Exception {
        Fresh fresh = new Fresh();
        fresh.call("expect", new Class<?>[] {int.class, boolean.class}, 1, false);
        CompletableFuture<Integer> result = fresh.twiceInTheBackground(21);
        assertFalse(result.isDone(), "the call has not returned before the run started");
        RunRegistry registry = RunRegistry.builder().build();
        fresh.call("install", new Class<?>[] {StageCounters[].class, boolean.class},
                new StageCounters[] {registry.stage("main")}, false);
        assertEquals(42, result.get(5, TimeUnit.SECONDS));
        assertEquals(1.0, records(registry));
    }

    @Test
    void aCallWaitingForARunThatNeverStartsReturnsAsSoonAsTheAgentGivesUp() throws Exception {
        Fresh fresh = new Fresh();
        fresh.call("expect", new Class<?>[] {int.class, boolean.class}, 1, false);
        CompletableFuture<Integer> result = fresh.twiceInTheBackground(4);
        fresh.call("abandon", new Class<?>[0]);
        assertEquals(8, result.get(5, TimeUnit.SECONDS), "the job's method returns what it returns, uncounted");
    }
}
