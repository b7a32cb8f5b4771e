package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent's remote write: {@code job-metrics-agent-remote-write.jar}, built with the agent and placed next to it,
 * holds the core's remote-write classes with protobuf-java (moved under the agent's shaded prefix) and snappy-java.
 * The agent jar leaves them out to stay small, and appends this jar to the system class path only when a run has
 * {@code remote-write}, before the run starts, so the core's run resolves the remote-write classes as usual. Appended
 * after the job's own class path: a job's own snappy-java is the one used, and our protobuf never meets the job's.
 */
final class RemoteWriteSideJar {
    /** What the side jar's name adds to the agent jar's: {@code job-metrics-agent.jar} has it next to it. */
    static final String SUFFIX = "-remote-write.jar";

    /** A class only the side jar (or a job that bundles the whole core) has; its presence is the check. */
    static final String MARKER = "io/github/jobmetrics/internal/push/remotewrite/RemoteWriteSinks.class";

    private RemoteWriteSideJar() {
    }

    /**
     * Makes the remote-write classes reachable from the system class loader: appends the side jar next to
     * {@code agentJar} unless the class path already has them. Returns null when they are reachable, otherwise
     * the one line that says which file is missing or unusable and where it goes.
     */
    static @Nullable String append(Instrumentation inst, @Nullable Path agentJar, @Nullable String agentVersion,
            ClassLoader system) {
        if (system.getResource(MARKER) != null) {
            // A job that bundles the core with protobuf and snappy-java (the API) already has them.
            return null;
        }
        if (agentJar == null) {
            return "jobmetrics agent: remote-write is set but the agent jar's location is not known, so"
                    + " job-metrics-agent-remote-write.jar next to it cannot be found; this run is measured and pushed"
                    + " without remote write";
        }
        Path side = besides(agentJar.toAbsolutePath());
        if (!Files.isRegularFile(side)) {
            return line(side, "is missing");
        }
        try (JarFile jar = new JarFile(side.toFile())) {
            if (jar.getEntry(MARKER) == null) {
                return line(side, "is not the agent's remote-write jar");
            }
            String sideVersion = version(jar.getManifest());
            if (agentVersion != null && sideVersion != null && !agentVersion.equals(sideVersion)) {
                return line(side, "is version " + sideVersion + ", the agent " + agentVersion);
            }
            inst.appendToSystemClassLoaderSearch(jar);
            return null;
        } catch (IOException | RuntimeException e) {
            return line(side, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The side jar's place: next to {@code agentJar}, named after it ({@code x.jar}: {@code x-remote-write.jar}). */
    static Path besides(Path agentJar) {
        String name = agentJar.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
        return agentJar.resolveSibling(base + SUFFIX);
    }

    /** The jar {@code type} was loaded from, or null when that is not a local file. */
    static @Nullable Path jarOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            return location == null || !"file".equals(location.getProtocol()) ? null : Path.of(location.toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable String version(@Nullable Manifest manifest) {
        return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }

    private static String line(Path side, String why) {
        return "jobmetrics agent: remote-write is set but " + side + " " + why + "; put the"
                + " job-metrics-agent-remote-write.jar built with this agent next to the agent jar, as "
                + side.getFileName() + ", to write runs by remote write; this run is measured and pushed without it";
    }
}
