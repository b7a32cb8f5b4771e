package io.github.jobmetrics.cli;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.List;

/**
 * The job as the user named it: a jar with its arguments, a main class on a class path with its arguments, or any
 * other command. Immutable.
 */
final class JobSpec {
    /** How the job is started. */
    enum Kind {
        /** {@code app.jar [args]}: {@code java -jar}. */
        JAR,
        /** {@code --main-class C --classpath CP [args]}: {@code java -cp CP C}. */
        MAIN_CLASS,
        /** Anything else, run as it is. */
        COMMAND
    }

    private final Kind kind;
    private final String target;
    private final @Nullable String classpath;
    private final List<String> args;

    private JobSpec(Kind kind, String target, @Nullable String classpath, List<String> args) {
        this.kind = kind;
        this.target = requireNonNull(target, "target must not be null");
        this.classpath = classpath;
        this.args = List.copyOf(args);
    }

    static JobSpec jar(String jar, List<String> args) {
        return new JobSpec(Kind.JAR, jar, null, args);
    }

    static JobSpec mainClass(String mainClass, String classpath, List<String> args) {
        return new JobSpec(Kind.MAIN_CLASS, mainClass, requireNonNull(classpath, "classpath must not be null"),
                args);
    }

    static JobSpec command(String program, List<String> args) {
        return new JobSpec(Kind.COMMAND, program, null, args);
    }

    Kind kind() {
        return kind;
    }

    /** The jar, the main class or the program. */
    String target() {
        return target;
    }

    /** The class path of a {@link Kind#MAIN_CLASS} job. */
    @Nullable String classpath() {
        return classpath;
    }

    /** The job's own arguments. */
    List<String> args() {
        return args;
    }

    boolean isJava() {
        return kind != Kind.COMMAND;
    }
}
