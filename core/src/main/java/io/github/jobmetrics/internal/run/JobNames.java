package io.github.jobmetrics.internal.run;

import edu.umd.cs.findbugs.annotations.Nullable;

/** The default job name when none is configured: the jar's or the main class's simple name. */
public final class JobNames {
    private static final String FALLBACK = "batch_job";
    private static final String SOURCE_LAUNCHER = "jdk.compiler/com.sun.tools.javac.launcher.";

    private JobNames() {
    }

    /**
     * From a Java command line as in the {@code sun.java.command} property: {@code /opt/etl-1.2.jar --x} gives
     * {@code etl-1.2}, {@code com.acme.Etl arg} gives {@code Etl}, and a single-file program ({@code java Etl.java})
     * gives {@code Etl}.
     */
    public static String fromJavaCommand(@Nullable String command) {
        if (command == null || command.isBlank()) {
            return FALLBACK;
        }
        String[] words = command.trim().split("\\s+", 3);
        String first = words[0];
        if (first.startsWith(SOURCE_LAUNCHER) && words.length > 1) {
            // java /jobs/Etl.java: the JDK's source launcher runs the file, which names the job.
            first = words[1];
        }
        if (first.endsWith(".jar") || first.endsWith(".java")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            return file.substring(0, file.lastIndexOf('.'));
        }
        String simple = first.substring(first.lastIndexOf('.') + 1);
        int slash = simple.lastIndexOf('/');
        return slash >= 0 ? simple.substring(slash + 1) : simple;
    }

    /** The default name of the job running in this JVM. */
    public static String ofThisJvm() {
        return fromJavaCommand(System.getProperty("sun.java.command"));
    }
}
