package io.github.jobmetrics.agent.internal;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

/**
 * Wraps one method's code in a timed call: a start value taken on entry, and an ending call on every return and on
 * every exception leaving the method, which is then thrown on unchanged. What it writes, in Java terms:
 *
 * <pre>
 * long start = Probes.enter(id);
 * try { ...the method... ; Probes.record(null, id, start); return ...; }
 * catch (Throwable t) { Probes.record(t, id, start); throw t; }
 * </pre>
 *
 * <p>The start value lives in the two local slots right after the parameters; the method's own locals move up by
 * two, in its instructions, its debug tables and its stack map frames. The class reader must expand the frames
 * ({@code ClassReader.EXPAND_FRAMES}) so that each one can take the start slot, and nothing is computed from the
 * class hierarchy: no class is loaded while weaving. Adapters nest: each wraps what the one before it wrote.
 *
 * <p>The handler goes last in the exception table, after the method's own handlers, so it sees only what the
 * method lets escape. Constructors are never given to it (their {@code this} is unusable before {@code super()}).
 */
final class TimedMethod extends MethodVisitor {
    /** The calls a timed method makes; its ending call takes {@code (Throwable thrown, ...)}, null thrown first. */
    interface Calls {
        /** Leaves a long on the stack: the start value. */
        void enter(MethodVisitor mv);

        /** With the thrown exception (or null) on the stack and the start value in {@code startSlot}, ends the call. */
        void exit(MethodVisitor mv, int startSlot);

        /** Stack slots the ending call needs above the thrown exception. */
        int exitStack();
    }

    private static final String THROWABLE = "java/lang/Throwable";

    private final Calls calls;
    private final int startSlot;
    private final boolean frames;
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label handler = new Label();
    private boolean started;

    /**
     * @param access the method's access flags, for whether it has a {@code this}
     * @param descriptor the method's descriptor, for the size of its parameters
     * @param frames whether the class file has stack map frames (version 50, Java 6, and later)
     */
    TimedMethod(MethodVisitor next, int access, String descriptor, boolean frames, Calls calls) {
        super(Opcodes.ASM9, next);
        this.calls = calls;
        this.frames = frames;
        int parameters = Type.getArgumentsAndReturnSizes(descriptor) >> 2;
        // getArgumentsAndReturnSizes counts an implicit this; a static method has none.
        this.startSlot = (access & Opcodes.ACC_STATIC) != 0 ? parameters - 1 : parameters;
    }

    /**
     * The method's own exception table comes first (the reader visits it before any instruction), then this
     * adapter's handler and the entry code: called before every visit that is not an exception-table entry.
     */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        super.visitTryCatchBlock(bodyStart, bodyEnd, handler, THROWABLE);
        calls.enter(mv);
        super.visitVarInsn(Opcodes.LSTORE, startSlot);
        super.visitLabel(bodyStart);
    }

    private int moved(int slot) {
        return slot >= startSlot ? slot + 2 : slot;
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        start();
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be expanded (ClassReader.EXPAND_FRAMES)");
        }
        Object[] locals = new Object[numLocal + 1 + startSlot];
        int n = 0;
        int slot = 0;
        int i = 0;
        while (slot < startSlot) {
            Object entry = i < numLocal ? local[i++] : Opcodes.TOP;
            locals[n++] = entry;
            slot += entry == Opcodes.LONG || entry == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slot != startSlot) {
            // A long or double written over the last parameter's slot and the next: legal, but never javac's.
            throw new IllegalStateException("a two-slot local straddles the first slot after the parameters");
        }
        locals[n++] = Opcodes.LONG;
        while (i < numLocal) {
            locals[n++] = local[i++];
        }
        super.visitFrame(type, n, locals, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        start();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            super.visitInsn(Opcodes.ACONST_NULL);
            calls.exit(mv, startSlot);
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitLabel(bodyEnd);
        super.visitLabel(handler);
        if (frames) {
            Object[] locals = new Object[startSlot + 1];
            java.util.Arrays.fill(locals, 0, startSlot, Opcodes.TOP);
            locals[startSlot] = Opcodes.LONG;
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
        }
        super.visitInsn(Opcodes.DUP);
        calls.exit(mv, startSlot);
        super.visitInsn(Opcodes.ATHROW);
        // At a return: the value, the null thrown and the ending's arguments; in the handler: two Throwables too.
        int ending = 1 + calls.exitStack();
        super.visitMaxs(Math.max(maxStack + ending, 1 + ending), maxLocals + 2);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        start();
        super.visitVarInsn(opcode, moved(varIndex));
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        start();
        super.visitIincInsn(moved(varIndex), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
            int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end, moved(index));
    }

    @Override
    public org.objectweb.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath,
            Label[] start, Label[] end, int[] index, String descriptor, boolean visible) {
        int[] moved = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            moved[i] = moved(index[i]);
        }
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, moved, descriptor, visible);
    }

    @Override
    public void visitLabel(Label label) {
        start();
        super.visitLabel(label);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        start();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        start();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        start();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        start();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrapMethodHandle,
            Object... bootstrapMethodArguments) {
        start();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        start();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        start();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        start();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        start();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        start();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
