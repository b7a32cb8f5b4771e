package io.github.jobmetrics.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class ClassHeaderTest {
    /** A class with a long and a double constant (two pool slots each) and strings before its supertypes. */
    abstract static class Sample extends java.util.AbstractList<String> implements Callable<Long>, Runnable {
        static final long BIG = 1L << 40;
        static final double HALF = 0.5;

        @Override
        public Long call() {
            return BIG + (long) HALF + "text".length();
        }
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheSuperclassAndInterfacesOfAClassFile() throws IOException {
        ClassHeader h = ClassHeader.read(bytesOf(Sample.class));
        assertEquals("java/util/AbstractList", h.superName());
        assertArrayEquals(new String[] {"java/util/concurrent/Callable", "java/lang/Runnable"}, h.interfaces());
    }

    @Test
    void objectHasNoSuperclass() throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("Object.class")) {
            assertNull(ClassHeader.read(in.readAllBytes()).superName());
        }
    }

    @Test
    void aTruncatedClassFileIsRefused() throws IOException {
        byte[] bytes = bytesOf(Sample.class);
        byte[] cut = java.util.Arrays.copyOf(bytes, 40);
        assertThrows(IllegalArgumentException.class, () -> ClassHeader.read(cut));
    }
}
