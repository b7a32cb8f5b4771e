package io.github.jobmetrics.agent.internal;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which of the patterns' types a class extends or implements, as a bit set over the types (the first 64 distinct
 * types; a pattern beyond them matches its own class only). Asked while a class is being defined: the class's
 * direct supertypes come from its header, theirs from their {@link Class} objects, loaded through the class's own
 * loader as the JVM is about to load them anyway. Answers are kept by name.
 */
final class Supertypes {
    private static final List<String> JDK_PACKAGES = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");

    private final Map<String, Integer> bits;
    /** Whether a pattern names a JDK type: only then are the JDK's classes worth walking. */
    private final boolean jdkTypes;
    private final Map<String, Long> known = new ConcurrentHashMap<>();

    /** {@code types} are internal names, each at its index. */
    Supertypes(List<String> types) {
        Map<String, Integer> b = new java.util.HashMap<>();
        boolean jdk = false;
        for (int i = 0; i < types.size() && i < Long.SIZE; i++) {
            b.put(types.get(i), i);
            jdk |= isJdk(types.get(i));
        }
        this.bits = b;
        this.jdkTypes = jdk;
    }

    static boolean isJdk(String internalName) {
        for (String p : JDK_PACKAGES) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The types that the class with this header extends or implements, not counting itself. */
    long of(ClassHeader header, ClassLoader loader) {
        long mask = header.superName() == null ? 0 : of(header.superName(), loader);
        for (String i : header.interfaces()) {
            mask |= of(i, loader);
        }
        return mask;
    }

    /** The types that an already loaded class extends or implements, not counting itself. */
    long ofLoaded(Class<?> type) {
        long mask = of(type.getSuperclass());
        for (Class<?> i : type.getInterfaces()) {
            mask |= of(i);
        }
        return mask;
    }

    private long of(String internalName, ClassLoader loader) {
        Long m = known.get(internalName);
        if (m != null) {
            return m;
        }
        if (!jdkTypes && isJdk(internalName)) {
            return 0;
        }
        try {
            return of(Class.forName(internalName.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // The JVM will fail this class's load itself; its own name is all that is known.
            return bit(internalName);
        }
    }

    private long of(@Nullable Class<?> type) {
        if (type == null) {
            return 0;
        }
        String name = type.getName().replace('.', '/');
        Long m = known.get(name);
        if (m != null) {
            return m;
        }
        if (!jdkTypes && isJdk(name)) {
            return 0;
        }
        long mask = bit(name) | of(type.getSuperclass());
        for (Class<?> i : type.getInterfaces()) {
            mask |= of(i);
        }
        known.put(name, mask);
        return mask;
    }

    private long bit(String internalName) {
        Integer b = bits.get(internalName);
        return b == null ? 0 : 1L << b;
    }
}
