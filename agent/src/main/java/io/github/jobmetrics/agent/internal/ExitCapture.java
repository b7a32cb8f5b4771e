package io.github.jobmetrics.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;

/**
 * Makes {@code java.lang.Runtime#exit(int)} tell {@link ExitStatus} its status before anything else, because a
 * shutdown hook cannot see the status on JDK 17 and {@code SecurityManager} is gone on 24+.
 *
 * <p>Code woven into {@code Runtime} runs in a bootstrap class and can only name bootstrap classes. Rather than
 * put a helper on the bootstrap class path (which makes the JVM print a class-sharing warning on the job's
 * stderr and switch class sharing off for application classes), the woven prologue is, in Java terms:
 *
 * <pre>
 * try {
 *     ClassLoader.getSystemClassLoader().loadClass("...ExitStatus")
 *             .getMethod("exit", int.class).invoke(null, status);
 * } catch (Throwable ignored) {
 * }
 * </pre>
 *
 * It uses only {@code java.lang} types, cannot change how {@code exit} behaves, and costs one reflective call
 * once per JVM. It runs in every JVM the agent rides in, before {@code main} (an exit in the first milliseconds
 * must be seen too), so the class file is edited by {@link ExitPrologue}, a few hundred lines of our own that
 * load in a millisecond; ASM (some 20 ms of class loading, also loaded by patterns) is the fallback for a
 * {@code Runtime} of a shape the editor does not know.
 */
public final class ExitCapture implements ClassFileTransformer {
    private static final String RUNTIME = "java/lang/Runtime";

    private ExitCapture() {
    }

    /**
     * Installs the capture; returns null on success, else why not (one line). Without it the run still sees
     * signals and uncaught exceptions; only the status of {@code System.exit} is unknown.
     */
    public static String install(Instrumentation inst) {
        if (!inst.isRetransformClassesSupported() || !inst.isModifiableClass(Runtime.class)) {
            return "java.lang.Runtime cannot be retransformed in this JVM";
        }
        ExitCapture transformer = new ExitCapture();
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(Runtime.class);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            inst.removeTransformer(transformer);
            return "cannot instrument java.lang.Runtime#exit: " + e;
        }
        // Stays registered so that another agent retransforming Runtime later does not drop the capture.
        return null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null || !RUNTIME.equals(className)) {
            return null;
        }
        byte[] patched = ExitPrologue.apply(classfileBuffer, ExitStatus.class.getName());
        if (patched != null) {
            return patched;
        }
        // Shapes the editor does not know (a future JDK's Runtime) go through ASM, loaded only then.
        return AsmExitPrologue.apply(classfileBuffer);
    }
}
