package io.github.jobmetrics.agent.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts the guarded reflective call described in {@link ExitCapture} in front of a class's {@code exit(int)} by
 * editing the class file directly: new constant pool entries are appended, the method's code, exception table,
 * line and local variable tables and stack map frames are shifted, nothing else is touched. It exists because
 * loading ASM costs about 20 ms on the job's start-up path and this costs about 1; {@link ExitCapture} falls back
 * to ASM when {@link #apply} does not recognise the method's shape (it returns null then).
 *
 * <p>Prologue, in bytes (P is a multiple of 4 so that the alignment of any switch in the old code is kept):
 * <pre>
 * 0: [reflective call, as in ExitCapture]  pop      -- guarded by a handler for Throwable
 * E: goto P
 * H: pop                                          -- the handler; frame: same locals, stack [Throwable]
 *    nop...                                        -- padding
 * P: old code                                     -- frame: same locals, empty stack
 * </pre>
 */
final class ExitPrologue {
    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private ExitPrologue() {
    }

    /** The patched class file, or null when the class has no {@code exit(I)V} of a shape handled here. */
    static byte[] apply(byte[] classFile, String helperClassName) {
        try {
            return new Patch(classFile, helperClassName).run();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One patch run; reads the old class file and writes the new one. */
    private static final class Patch {
        private final byte[] in;
        private final String helper;
        private final Map<Integer, String> utf8 = new HashMap<>();
        private final ByteArrayOutputStream newEntries = new ByteArrayOutputStream();
        private final DataOutputStream pool = new DataOutputStream(newEntries);
        private int poolCount;

        Patch(byte[] in, String helper) {
            this.in = in;
            this.helper = helper;
        }

        byte[] run() throws IOException {
            DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(in));
            if (r.readInt() != 0xCAFEBABE) {
                return null;
            }
            int minor = r.readUnsignedShort();
            int major = r.readUnsignedShort();
            if (major < 50) {
                return null; // no stack map frames before Java 6: not a JDK this agent runs on
            }
            poolCount = r.readUnsignedShort();
            for (int i = 1; i < poolCount; i++) {
                int tag = r.readUnsignedByte();
                switch (tag) {
                    case UTF8 -> utf8.put(i, r.readUTF());
                    case INTEGER, FLOAT, FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC,
                            INVOKE_DYNAMIC -> r.skipBytes(4);
                    case LONG, DOUBLE -> {
                        r.skipBytes(8);
                        i++;
                    }
                    case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> r.skipBytes(2);
                    case METHOD_HANDLE -> r.skipBytes(3);
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            int poolEnd = in.length - r.available();
            r.skipBytes(6); // access flags, this class, super class
            r.skipBytes(2 * r.readUnsignedShort());
            skipMembers(r);
            int methods = r.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                boolean isStatic = (r.readUnsignedShort() & 0x0008) != 0;
                String name = utf8.get(r.readUnsignedShort());
                String descriptor = utf8.get(r.readUnsignedShort());
                int attributes = r.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    int attributeStart = in.length - r.available();
                    String attributeName = utf8.get(r.readUnsignedShort());
                    int length = r.readInt();
                    if ("exit".equals(name) && "(I)V".equals(descriptor) && "Code".equals(attributeName)) {
                        if (isStatic) {
                            return null; // the frames below assume locals [this, int]
                        }
                        byte[] code = newCode(attributeStart, length);
                        if (code == null) {
                            return null;
                        }
                        return assemble(minor, major, poolEnd, attributeStart, length, code);
                    }
                    r.skipBytes(length);
                }
            }
            return null;
        }

        private void skipMembers(DataInputStream r) throws IOException {
            int count = r.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                r.skipBytes(6);
                int attributes = r.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    r.skipBytes(2);
                    r.skipBytes(r.readInt());
                }
            }
        }

        private byte[] assemble(int minor, int major, int poolEnd, int attributeStart, int oldLength, byte[] code)
                throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(in.length + 512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0xCAFEBABE);
            out.writeShort(minor);
            out.writeShort(major);
            out.writeShort(poolCount);
            out.write(in, 10, poolEnd - 10);
            pool.flush();
            newEntries.writeTo(out);
            out.write(in, poolEnd, attributeStart - poolEnd);
            out.write(code);
            int after = attributeStart + 6 + oldLength;
            out.write(in, after, in.length - after);
            return bytes.toByteArray();
        }

        /** The new Code attribute, from its name index on; null for a shape not handled. */
        private byte[] newCode(int attributeStart, int length) throws IOException {
            DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(in, attributeStart, 6 + length));
            int nameIndex = r.readUnsignedShort();
            r.readInt();
            int maxStack = r.readUnsignedShort();
            int maxLocals = r.readUnsignedShort();
            byte[] oldCode = new byte[r.readInt()];
            r.readFully(oldCode);
            int handlers = r.readUnsignedShort();
            int[][] table = new int[handlers][4];
            for (int[] row : table) {
                for (int k = 0; k < 4; k++) {
                    row[k] = r.readUnsignedShort();
                }
            }

            byte[] prologue = prologue();
            int p = prologue.length;
            int e = endOfCall;
            int h = e + 3;

            ByteArrayOutputStream attr = new ByteArrayOutputStream();
            DataOutputStream w = new DataOutputStream(attr);
            w.writeShort(Math.max(maxStack, 6));
            w.writeShort(Math.max(maxLocals, 2));
            w.writeInt(p + oldCode.length);
            w.write(prologue);
            w.write(oldCode);
            w.writeShort(handlers + 1);
            w.writeShort(0);
            w.writeShort(e);
            w.writeShort(h);
            w.writeShort(classEntry("java/lang/Throwable"));
            for (int[] row : table) {
                w.writeShort(row[0] + p);
                w.writeShort(row[1] + p);
                w.writeShort(row[2] + p);
                w.writeShort(row[3]);
            }
            int attributes = r.readUnsignedShort();
            boolean sawFrames = false;
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            DataOutputStream rw = new DataOutputStream(rest);
            for (int a = 0; a < attributes; a++) {
                int name = r.readUnsignedShort();
                byte[] body = new byte[r.readInt()];
                r.readFully(body);
                String attributeName = utf8.get(name);
                byte[] shifted;
                switch (attributeName) {
                    case "LineNumberTable" -> shifted = shiftPcs(body, 4, p);
                    case "LocalVariableTable", "LocalVariableTypeTable" -> shifted = shiftPcs(body, 10, p);
                    case "StackMapTable" -> {
                        shifted = frames(body, h, p);
                        sawFrames = true;
                    }
                    default -> {
                        return null; // type annotations and the like carry offsets we do not shift
                    }
                }
                if (shifted == null) {
                    return null;
                }
                rw.writeShort(name);
                rw.writeInt(shifted.length);
                rw.write(shifted);
            }
            if (!sawFrames) {
                byte[] body = frames(new byte[] {0, 0}, h, p);
                rw.writeShort(utf8Entry("StackMapTable"));
                rw.writeInt(body.length);
                rw.write(body);
            }
            w.writeShort(attributes + (sawFrames ? 0 : 1));
            rw.flush();
            rest.writeTo(w);
            w.flush();

            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            DataOutputStream ww = new DataOutputStream(whole);
            ww.writeShort(nameIndex);
            ww.writeInt(attr.size());
            attr.writeTo(ww);
            ww.flush();
            return whole.toByteArray();
        }

        private int endOfCall;

        private byte[] prologue() throws IOException {
            ByteArrayOutputStream code = new ByteArrayOutputStream();
            DataOutputStream c = new DataOutputStream(code);
            c.writeByte(0xb8); // invokestatic ClassLoader.getSystemClassLoader
            c.writeShort(memberEntry(METHODREF, "java/lang/ClassLoader", "getSystemClassLoader",
                    "()Ljava/lang/ClassLoader;"));
            c.writeByte(0x13); // ldc_w helper name
            c.writeShort(stringEntry(helper));
            c.writeByte(0xb6); // invokevirtual ClassLoader.loadClass
            c.writeShort(memberEntry(METHODREF, "java/lang/ClassLoader", "loadClass",
                    "(Ljava/lang/String;)Ljava/lang/Class;"));
            c.writeByte(0x13); // ldc_w "exit"
            c.writeShort(stringEntry("exit"));
            c.writeByte(0x04); // iconst_1
            c.writeByte(0xbd); // anewarray Class
            c.writeShort(classEntry("java/lang/Class"));
            c.writeByte(0x59); // dup
            c.writeByte(0x03); // iconst_0
            c.writeByte(0xb2); // getstatic Integer.TYPE
            c.writeShort(memberEntry(FIELDREF, "java/lang/Integer", "TYPE", "Ljava/lang/Class;"));
            c.writeByte(0x53); // aastore
            c.writeByte(0xb6); // invokevirtual Class.getMethod
            c.writeShort(memberEntry(METHODREF, "java/lang/Class", "getMethod",
                    "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;"));
            c.writeByte(0x01); // aconst_null
            c.writeByte(0x04); // iconst_1
            c.writeByte(0xbd); // anewarray Object
            c.writeShort(classEntry("java/lang/Object"));
            c.writeByte(0x59); // dup
            c.writeByte(0x03); // iconst_0
            c.writeByte(0x1b); // iload_1
            c.writeByte(0xb8); // invokestatic Integer.valueOf
            c.writeShort(memberEntry(METHODREF, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;"));
            c.writeByte(0x53); // aastore
            c.writeByte(0xb6); // invokevirtual Method.invoke
            c.writeShort(memberEntry(METHODREF, "java/lang/reflect/Method", "invoke",
                    "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;"));
            c.writeByte(0x57); // pop
            endOfCall = code.size();
            int handler = endOfCall + 3;
            int p = (handler + 1 + 3) & ~3;
            c.writeByte(0xa7); // goto P
            c.writeShort(p - endOfCall);
            c.writeByte(0x57); // handler: pop
            while (code.size() < p) {
                c.writeByte(0x00); // nop
            }
            c.flush();
            return code.toByteArray();
        }

        /** Adds {@code by} to the first u2 of each {@code entrySize}-byte entry after a u2 count. */
        private static byte[] shiftPcs(byte[] body, int entrySize, int by) {
            byte[] out = body.clone();
            int count = ((out[0] & 0xff) << 8) | (out[1] & 0xff);
            if (2 + count * entrySize != out.length) {
                return null;
            }
            for (int i = 0; i < count; i++) {
                int at = 2 + i * entrySize;
                int pc = (((out[at] & 0xff) << 8) | (out[at + 1] & 0xff)) + by;
                out[at] = (byte) (pc >>> 8);
                out[at + 1] = (byte) pc;
            }
            return out;
        }

        /** Two new frames (handler at h, old code at p), then the old frames with the first one re-based. */
        private byte[] frames(byte[] body, int h, int p) throws IOException {
            DataInputStream r = new DataInputStream(new java.io.ByteArrayInputStream(body));
            int count = r.readUnsignedShort();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream w = new DataOutputStream(bytes);
            w.writeShort(count + 2);
            // Handler: locals as on entry, stack [Throwable]: same_locals_1_stack_item_frame_extended.
            w.writeByte(247);
            w.writeShort(h);
            w.writeByte(7); // Object_variable_info
            w.writeShort(classEntry("java/lang/Throwable"));
            // Old code start: locals as on entry, empty stack: same_frame_extended.
            w.writeByte(251);
            w.writeShort(p - h - 1);
            if (count > 0) {
                int type = r.readUnsignedByte();
                int delta;
                if (type < 64) {
                    delta = type;
                } else if (type < 128) {
                    delta = type - 64;
                } else if (type >= 247) {
                    delta = r.readUnsignedShort();
                } else {
                    return null; // reserved frame types
                }
                if (delta == 0) {
                    return null; // a frame at offset 0 would collide with ours at P
                }
                // The first old frame was at offset delta; now at delta + p, after ours at p.
                int newDelta = delta - 1;
                if (type < 64) {
                    w.writeByte(251);
                    w.writeShort(newDelta);
                } else if (type < 128) {
                    w.writeByte(247);
                    w.writeShort(newDelta);
                } else {
                    w.writeByte(type);
                    w.writeShort(newDelta);
                }
                // The rest of the first frame and every later frame are relative to it: copied as they are.
                w.write(body, body.length - r.available(), r.available());
            }
            w.flush();
            return bytes.toByteArray();
        }

        private int add(int slots) {
            int index = poolCount;
            poolCount += slots;
            if (poolCount > 0xffff) {
                throw new IllegalStateException("constant pool full");
            }
            return index;
        }

        private int utf8Entry(String s) throws IOException {
            pool.writeByte(UTF8);
            pool.writeUTF(s);
            return add(1);
        }

        private int classEntry(String internalName) throws IOException {
            int name = utf8Entry(internalName);
            pool.writeByte(CLASS);
            pool.writeShort(name);
            return add(1);
        }

        private int stringEntry(String s) throws IOException {
            int value = utf8Entry(s);
            pool.writeByte(STRING);
            pool.writeShort(value);
            return add(1);
        }

        private int memberEntry(int tag, String owner, String name, String descriptor) throws IOException {
            int ownerIndex = classEntry(owner);
            int nameIndex = utf8Entry(name);
            int descriptorIndex = utf8Entry(descriptor);
            pool.writeByte(NAME_AND_TYPE);
            pool.writeShort(nameIndex);
            pool.writeShort(descriptorIndex);
            int nameAndType = add(1);
            pool.writeByte(tag);
            pool.writeShort(ownerIndex);
            pool.writeShort(nameAndType);
            return add(1);
        }
    }
}
