package io.github.jobmetrics.agent.internal;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.nio.charset.StandardCharsets;

/**
 * The direct supertypes a class file names, read from its bytes without Byte Buddy or ASM: the class-load watch
 * needs them for every class the job loads, and must not load the weaver to get them.
 */
final class ClassHeader {
    private final @Nullable String superName;
    private final String[] interfaces;

    private ClassHeader(@Nullable String superName, String[] interfaces) {
        this.superName = superName;
        this.interfaces = interfaces;
    }

    /** Internal name of the superclass ({@code java/lang/Object}), null for Object itself and module-info. */
    @Nullable String superName() {
        return superName;
    }

    /** Internal names of the directly implemented (or, for an interface, extended) interfaces. */
    String[] interfaces() {
        return interfaces;
    }

    /**
     * Reads the header of {@code bytes}.
     *
     * @throws IllegalArgumentException if the bytes are not a class file this reader understands
     */
    static ClassHeader read(byte[] bytes) {
        try {
            int count = u2(bytes, 8);
            int[] offsets = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                offsets[i] = at;
                int tag = bytes[at] & 0xff;
                switch (tag) {
                    case 1: // Utf8
                        at += 3 + u2(bytes, at + 1);
                        break;
                    case 5: // Long
                    case 6: // Double
                        at += 9;
                        i++;
                        break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: // 4-byte entries
                        at += 5;
                        break;
                    case 15: // MethodHandle
                        at += 4;
                        break;
                    case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                        at += 3;
                        break;
                    default:
                        throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            // access_flags, this_class, super_class, interfaces_count
            String superName = className(bytes, offsets, u2(bytes, at + 4));
            int n = u2(bytes, at + 6);
            String[] interfaces = new String[n];
            for (int i = 0; i < n; i++) {
                interfaces[i] = className(bytes, offsets, u2(bytes, at + 8 + 2 * i));
            }
            return new ClassHeader(superName, interfaces);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }

    private static @Nullable String className(byte[] bytes, int[] offsets, int index) {
        if (index == 0) {
            return null;
        }
        int utf8 = offsets[u2(bytes, offsets[index] + 1)];
        // Class names in class files are modified UTF-8; for the names compared here it reads as UTF-8.
        return new String(bytes, utf8 + 3, u2(bytes, utf8 + 1), StandardCharsets.UTF_8);
    }

    private static int u2(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }
}
