package io.github.jobmetrics.agent.internal;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The same prologue as {@link ExitPrologue}, written with ASM: the fallback for a
 * {@code Runtime} whose {@code exit} the class-file editor does not recognise. A class of its own so that ASM is
 * loaded only when it is needed.
 */
final class AsmExitPrologue {
    private AsmExitPrologue() {
    }

    /** The edited class file, or null (the class then stays as it was). */
    static byte[] apply(byte[] classfileBuffer) {
        try {
            // A writer sharing the reader's constant pool copies the untouched methods byte for byte.
            ClassReader reader = new ClassReader(classfileBuffer);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                private String owner;

                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                        String[] interfaces) {
                    owner = name;
                    super.visit(version, access, name, signature, superName, interfaces);
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    boolean instanceExit = "exit".equals(name) && "(I)V".equals(descriptor)
                            && (access & Opcodes.ACC_STATIC) == 0;
                    return instanceExit ? new StatusFirst(mv, owner) : mv;
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
        private final Object[] locals;

        StatusFirst(MethodVisitor delegate, String owner) {
            super(Opcodes.ASM9, delegate);
            this.locals = new Object[] {owner, Opcodes.INTEGER};
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
            super.visitFrame(Opcodes.F_NEW, 2, locals, 1, new Object[] {"java/lang/Throwable"});
            super.visitInsn(Opcodes.POP);
            super.visitLabel(body);
            super.visitFrame(Opcodes.F_NEW, 2, locals, 0, new Object[0]);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 7), Math.max(maxLocals, 2));
        }
    }
}
