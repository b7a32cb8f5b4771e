package io.github.jobmetrics.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packs compiled test classes (with their nested classes) into a jar, as a job or an agent would ship. */
final class JobJars {
    private JobJars() {
    }

    /** A jar of {@code classes} with the given manifest attributes ({@code Main-Class}, {@code Premain-Class}). */
    static Path jar(Path dir, String name, Map<String, String> manifest, Class<?>... classes) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf)) {
            for (Class<?> c : classes) {
                Path root = classesRoot(c);
                String prefix = c.getName().replace('.', '/');
                Path pkg = root.resolve(prefix).getParent();
                try (Stream<Path> files = Files.list(pkg)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String entry = root.relativize(f).toString().replace('\\', '/');
                        if (entry.equals(prefix + ".class") || entry.startsWith(prefix + "$")) {
                            out.putNextEntry(new JarEntry(entry));
                            out.write(Files.readAllBytes(f));
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return jar;
    }

    /** The jar or directory a class was loaded from: the dependency jars a job bundles. */
    static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path classesRoot(Class<?> c) {
        Path root = locationOf(c);
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(c + " is not in a class directory: " + root);
        }
        return root;
    }

    static String classPath(List<Path> entries) {
        return String.join(java.io.File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
