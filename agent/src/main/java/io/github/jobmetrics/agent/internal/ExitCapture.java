package io.github.jobmetrics.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

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
 * once per JVM. The weaving uses the ASM copy inside Byte Buddy rather than Byte Buddy's {@code Advice}: it loads
 * a few dozen classes instead of several hundred, and it runs in every JVM the agent rides in, before {@code main}
 * (an exit in the first milliseconds must be seen too).
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
        try {
            // Plain ASM reader (not Byte Buddy's OpenedClassReader, whose set-up loads Byte Buddy's version
            // machinery); a writer sharing the reader's constant pool copies the untouched methods byte for byte.
            ClassReader reader = new ClassReader(classfileBuffer);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    return "exit".equals(name) && "(I)V".equals(descriptor) ? new StatusFirst(mv) : mv;
                }
            }, ClassReader.EXPAND_FRAMES);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            // A transformer's exception is swallowed by the JVM; returning null keeps Runtime as it was.
            return null;
        }
    }

    /** Prepends the guarded reflective call to the method body, with its two stack map frames. */
    private static final class StatusFirst extends MethodVisitor {
        private static final Object[] LOCALS = {RUNTIME, Opcodes.INTEGER};

        StatusFirst(MethodVisitor delegate) {
            super(Opcodes.ASM9, delegate);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            Label body = new Label();
            super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
            super.visitLabel(start);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader",
                    "()Ljava/lang/ClassLoader;", false);
            super.visitLdcInsn(ExitStatus.class.getName());
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/ClassLoader", "loadClass",
                    "(Ljava/lang/String;)Ljava/lang/Class;", false);
            super.visitLdcInsn("exit");
            super.visitInsn(Opcodes.ICONST_1);
            super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Class");
            super.visitInsn(Opcodes.DUP);
            super.visitInsn(Opcodes.ICONST_0);
            super.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Integer", "TYPE", "Ljava/lang/Class;");
            super.visitInsn(Opcodes.AASTORE);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getMethod",
                    "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", false);
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitInsn(Opcodes.ICONST_1);
            super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
            super.visitInsn(Opcodes.DUP);
            super.visitInsn(Opcodes.ICONST_0);
            super.visitVarInsn(Opcodes.ILOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;",
                    false);
            super.visitInsn(Opcodes.AASTORE);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/reflect/Method", "invoke",
                    "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false);
            super.visitInsn(Opcodes.POP);
            super.visitLabel(end);
            super.visitJumpInsn(Opcodes.GOTO, body);
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_NEW, 2, LOCALS, 1, new Object[] {"java/lang/Throwable"});
            super.visitInsn(Opcodes.POP);
            super.visitLabel(body);
            super.visitFrame(Opcodes.F_NEW, 2, LOCALS, 0, new Object[0]);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 7), Math.max(maxLocals, 2));
        }
    }
}
