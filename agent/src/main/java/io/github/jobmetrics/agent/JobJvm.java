package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Whether this JVM is the job's. With the agent in {@code JAVA_TOOL_OPTIONS} every JVM in the container loads it,
 * and only the job's may own a run: JDK tools ({@code jps}, {@code javac}, {@code keytool}, {@code jshell}...),
 * JVMs with no application ({@code java -version}) and the job-runner itself stand down, and when
 * {@code job-main} names the job's main class or jar, so does every other JVM. Decided from the
 * {@code sun.java.command} property, which the launcher sets before any agent starts.
 */
final class JobJvm {
    /** The job-runner's main class: its JVM pushes its own run, never the agent's. */
    static final String RUNNER_MAIN = "io.github.jobmetrics.cli.RunnerMain";

    private static final String[] JDK_PACKAGES = {"jdk.", "sun.", "com.sun."};
    private static final String[] JDK_MODULES = {"java.", "jdk."};
    // java Etl.java runs the JDK's source launcher (Main in 17, SourceLauncher in 22+): an application all the same.
    private static final String SOURCE_LAUNCHER = "jdk.compiler/com.sun.tools.javac.launcher.";

    /** The jar, or the source file of {@code java Etl.java}; null for a main class. */
    private final @Nullable String jar;
    private final @Nullable String named;
    private @Nullable String mainClass;
    private boolean mainClassRead;

    private JobJvm(@Nullable String jar, @Nullable String named) {
        this.jar = jar;
        this.named = named;
    }

    /**
     * The JVM that {@code javaCommand} (as in {@code sun.java.command}) describes, or null when it runs no
     * application of its own: no command, a JDK tool, the job-runner.
     */
    static @Nullable JobJvm of(@Nullable String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return null;
        }
        String command = javaCommand.strip();
        String first = firstWord(command);
        if (first.startsWith(SOURCE_LAUNCHER)) {
            String file = firstWord(command.substring(first.length()).strip());
            return file.isEmpty() ? null : new JobJvm(file, null);
        }
        if (first.endsWith(".jar")) {
            JobJvm jvm = new JobJvm(first, null);
            String main = jvm.mainClass();
            return main != null && notAnApplication(main) ? null : jvm;
        }
        String main = first;
        int slash = first.indexOf('/');
        if (slash >= 0) {
            // module/class, as the JDK's own tools are launched (jdk.jcmd/sun.tools.jps.Jps)
            if (startsWithAny(first.substring(0, slash), JDK_MODULES)) {
                return null;
            }
            main = first.substring(slash + 1);
        }
        return notAnApplication(main) ? null : new JobJvm(null, main);
    }

    /** Up to the first white space; no regular expression, whose first use costs milliseconds before main. */
    private static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    private static boolean notAnApplication(String mainClass) {
        return mainClass.equals(RUNNER_MAIN) || startsWithAny(mainClass, JDK_PACKAGES);
    }

    /**
     * Whether {@code jobMain} names this JVM: its main class, or its jar (or source file) as given on the command
     * line or by file name ({@code etl.jar}).
     */
    boolean isNamed(String jobMain) {
        String wanted = jobMain.strip();
        if (jar != null && (wanted.equals(jar) || wanted.equals(fileName(jar)))) {
            return true;
        }
        return wanted.equals(jar == null ? named : jar.endsWith(".jar") ? mainClass() : null);
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /** The jar's Main-Class, read once; null when the jar has none or cannot be read (then it counts as a job). */
    private @Nullable String mainClass() {
        if (!mainClassRead) {
            mainClassRead = true;
            try (JarFile file = new JarFile(jar, false)) {
                Manifest manifest = file.getManifest();
                String value = manifest == null ? null
                        : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
                mainClass = value == null ? null : value.strip();
            } catch (IOException | RuntimeException e) {
                // Called from premain, where a throw would stop the JVM: a jar we cannot read counts as a job.
                mainClass = null;
            }
        }
        return mainClass;
    }

    private static boolean startsWithAny(String text, String[] prefixes) {
        for (String p : prefixes) {
            if (text.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
