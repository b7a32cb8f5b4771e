package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteSideJarTest {
    @TempDir
    Path dir;

    /** The jars an {@link Instrumentation} was asked to append; every other call fails the test. */
    private final List<String> appended = new ArrayList<>();
    private final Instrumentation inst = (Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                if (!method.getName().equals("appendToSystemClassLoaderSearch")) {
                    throw new AssertionError("unexpected call " + method.getName());
                }
                appended.add(((JarFile) args[0]).getName());
                return null;
            });
    /** A class loader that has no remote-write classes, as the agent jar alone. */
    private final ClassLoader withoutRemoteWrite = new URLClassLoader(new URL[0], null);

    @Test
    void theSideJarIsNamedAfterTheAgentJarNextToIt() {
        assertEquals(Path.of("/opt/jm/job-metrics-agent-remote-write.jar"),
                RemoteWriteSideJar.besides(Path.of("/opt/jm/job-metrics-agent.jar")));
        assertEquals(Path.of("/m2/agent-0.1.0-remote-write.jar"),
                RemoteWriteSideJar.besides(Path.of("/m2/agent-0.1.0.jar")));
    }

    @Test
    void theSideJarOfTheSameVersionNextToTheAgentIsAppended() throws IOException {
        Path agent = dir.resolve("job-metrics-agent.jar");
        Path side = jar(dir.resolve("job-metrics-agent-remote-write.jar"), "1.2.3", RemoteWriteSideJar.MARKER);
        assertNull(RemoteWriteSideJar.append(inst, agent, "1.2.3", withoutRemoteWrite));
        assertEquals(List.of(side.toString()), appended);
    }

    @Test
    void aMissingSideJarIsNamedWithWhereItGoesAndNothingIsAppended() {
        Path agent = dir.resolve("job-metrics-agent.jar");
        String line = RemoteWriteSideJar.append(inst, agent, "1.2.3", withoutRemoteWrite);
        assertEquals("jobmetrics agent: remote-write is set but " + dir.resolve("job-metrics-agent-remote-write.jar")
                + " is missing; put the job-metrics-agent-remote-write.jar built with this agent next to the agent"
                + " jar, as job-metrics-agent-remote-write.jar, to write runs by remote write; this run is measured"
                + " and pushed without it", line);
        assertEquals(List.of(), appended);
    }

    @Test
    void aSideJarOfAnotherVersionIsNotAppended() throws IOException {
        jar(dir.resolve("job-metrics-agent-remote-write.jar"), "1.2.2", RemoteWriteSideJar.MARKER);
        String line = RemoteWriteSideJar.append(inst, dir.resolve("job-metrics-agent.jar"), "1.2.3",
                withoutRemoteWrite);
        assertTrue(line.contains(" is version 1.2.2, the agent 1.2.3; "), line);
        assertEquals(List.of(), appended);
    }

    @Test
    void aJarWithoutTheRemoteWriteClassesOrNotAJarAtAllIsNotAppended() throws IOException {
        jar(dir.resolve("a-remote-write.jar"), "1.2.3", "other/Thing.class");
        String notSide = RemoteWriteSideJar.append(inst, dir.resolve("a.jar"), "1.2.3", withoutRemoteWrite);
        assertTrue(notSide.contains("a-remote-write.jar is not the agent's remote-write jar; "), notSide);
        Files.writeString(dir.resolve("b-remote-write.jar"), "not a zip");
        String unreadable = RemoteWriteSideJar.append(inst, dir.resolve("b.jar"), "1.2.3", withoutRemoteWrite);
        assertTrue(unreadable.contains("b-remote-write.jar cannot be read ("), unreadable);
        assertEquals(List.of(), appended);
    }

    @Test
    void aClassPathThatAlreadyHasTheRemoteWriteClassesGetsNoSideJar() throws IOException {
        // A job that bundles the whole core (the API) and its libraries: nothing to add, nothing to say.
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve(RemoteWriteSideJar.MARKER).getParent());
        Files.write(classes.resolve(RemoteWriteSideJar.MARKER), new byte[0]);
        try (URLClassLoader job = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertNull(RemoteWriteSideJar.append(inst, dir.resolve("job-metrics-agent.jar"), "1.2.3", job));
        }
        assertEquals(List.of(), appended);
    }

    @Test
    void anAgentJarOfUnknownPlaceIsSaidInOneLine() {
        String line = RemoteWriteSideJar.append(inst, null, "1.2.3", withoutRemoteWrite);
        assertTrue(line.startsWith("jobmetrics agent: remote-write is set but the agent jar's location is not"
                + " known"), line);
        assertEquals(List.of(), appended);
    }

    private static Path jar(Path file, String version, String entry) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.closeEntry();
        }
        return file;
    }
}
