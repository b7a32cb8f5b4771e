package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packages test classes into small jars, the way a user's job jar looks. */
final class TestJars {
    private TestJars() {
    }

    /**
     * Writes {@code dir/name} holding {@code classes}, with a manifest naming {@code mainClass} and
     * {@code classPath} when they are not null.
     */
    static Path jar(Path dir, String name, @Nullable Class<?> mainClass, @Nullable String classPath,
            Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            main.put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        }
        if (classPath != null) {
            main.put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("class file not found: " + entry);
                    }
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A jar whose Main-Class is {@code mainClass}, holding only it. */
    static Path jobJar(Path dir, Class<?> mainClass) throws IOException {
        return jar(dir, mainClass.getSimpleName() + ".jar", mainClass, null, mainClass);
    }
}
