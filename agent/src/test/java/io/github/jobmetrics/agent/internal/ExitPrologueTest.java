package io.github.jobmetrics.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The class-file edit on look-alikes of {@code Runtime.exit}, loaded by a loader of their own so that the JVM
 * verifies the edited code (stack map frames included) before it runs.
 */
class ExitPrologueTest {

    /** Shaped like JDK 17's exit: a local and a branch, so a stack map frame of its own. */
    public static final class Branchy {
        public final List<Integer> seen = new ArrayList<>();

        public void exit(int status) {
            Object check = System.getProperty("no.such.property");
            if (check != null) {
                seen.add(-1);
            }
            seen.add(status);
        }
    }

    /** Shaped like JDK 25's exit: straight code, no stack map table at all. */
    public static final class Straight {
        public final List<Integer> seen = new ArrayList<>();

        public void exit(int status) {
            seen.add(status);
        }
    }

    /** A loop back to the first instruction would put a frame at offset 0. */
    public static final class Throwing {
        public void exit(int status) {
            throw new IllegalStateException("exit " + status);
        }
    }

    /** What the prologue calls instead of ExitStatus, to see the status arrive. */
    public static final class Recorder {
        static final List<Integer> STATUSES = new ArrayList<>();

        private Recorder() {
        }

        public static void exit(int status) {
            STATUSES.add(status);
        }
    }

    /** Throws inside the reflective call: the guard must swallow it. */
    public static final class FailingRecorder {
        private FailingRecorder() {
        }

        public static void exit(int status) {
            throw new IllegalStateException("recorder fails");
        }
    }

    @Test
    void branchyExitCallsTheHelperFirstAndThenRunsAsBefore() throws Exception {
        Recorder.STATUSES.clear();
        Object target = load(Branchy.class, Recorder.class);
        target.getClass().getMethod("exit", int.class).invoke(target, 7);
        assertEquals(List.of(7), Recorder.STATUSES);
        assertEquals(List.of(7), target.getClass().getField("seen").get(target));
    }

    @Test
    void straightExitGetsAStackMapTableOfItsOwn() throws Exception {
        Recorder.STATUSES.clear();
        Object target = load(Straight.class, Recorder.class);
        target.getClass().getMethod("exit", int.class).invoke(target, 3);
        assertEquals(List.of(3), Recorder.STATUSES);
        assertEquals(List.of(3), target.getClass().getField("seen").get(target));
    }

    @Test
    void aFailingHelperDoesNotChangeWhatExitDoes() throws Exception {
        Object target = load(Straight.class, FailingRecorder.class);
        target.getClass().getMethod("exit", int.class).invoke(target, 4);
        assertEquals(List.of(4), target.getClass().getField("seen").get(target));
    }

    @Test
    void exceptionsOfTheOldCodeStillPropagate() throws Exception {
        Recorder.STATUSES.clear();
        Object target = load(Throwing.class, Recorder.class);
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> target.getClass().getMethod("exit", int.class).invoke(target, 9));
        assertEquals("exit 9", e.getCause().getMessage());
        assertEquals(List.of(9), Recorder.STATUSES);
    }

    @Test
    void asmFallbackWritesTheSamePrologue() throws Exception {
        byte[] patched = AsmExitPrologue.apply(bytes(Straight.class));
        assertNotNull(patched);
        Object target = define(Straight.class, patched).getDeclaredConstructor().newInstance();
        target.getClass().getMethod("exit", int.class).invoke(target, 11);
        // The one test in this JVM that reaches the real helper.
        assertEquals(ExitStatus.EXIT, ExitStatus.cause());
        assertEquals(11, ExitStatus.status());
        assertEquals(List.of(11), target.getClass().getField("seen").get(target));
    }

    @Test
    void theRunningJdksRuntimeIsEditable() throws IOException {
        assertNotNull(ExitPrologue.apply(bytes(Runtime.class), ExitStatus.class.getName()));
    }

    @Test
    void aClassWithoutExitIsLeftAlone() throws IOException {
        assertNull(ExitPrologue.apply(bytes(ExitPrologueTest.class), ExitStatus.class.getName()));
        assertNull(ExitPrologue.apply(bytes(Recorder.class), ExitStatus.class.getName()), "static exit(int)");
        assertNull(ExitPrologue.apply(new byte[] {1, 2, 3}, ExitStatus.class.getName()));
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the edited {@code target} in a fresh loader; its prologue finds {@code helper} in the system one. */
    private static Object load(Class<?> target, Class<?> helper) throws Exception {
        byte[] patched = ExitPrologue.apply(bytes(target), helper.getName());
        assertNotNull(patched, "not edited");
        return define(target, patched).getDeclaredConstructor().newInstance();
    }

    private static Class<?> define(Class<?> target, byte[] patched) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(target.getName())) {
                    return defineClass(name, patched, 0, patched.length);
                }
                return ClassLoader.getSystemClassLoader().loadClass(name);
            }
        };
        return loader.loadClass(target.getName());
    }
}
