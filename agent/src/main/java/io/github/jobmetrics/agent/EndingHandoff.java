package io.github.jobmetrics.agent;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.run.HandoffEnding;
import io.github.jobmetrics.internal.run.RunSession;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The hand-off of a run that has nothing but its ending to tell the runner (no pattern, no API run, nothing in the
 * job's default registry): the one {@link HandoffEnding} family, written with {@code java.io} and a
 * {@code StringBuilder} only, because it runs while the job's JVM exits and every class loaded there is time the
 * job is seen to take. The same text the run's full hand-off would carry for that ending.
 */
final class EndingHandoff {
    private EndingHandoff() {
    }

    /** The text of {@code ending}'s family, or null when its exit status is not known (nothing to match it by). */
    static @Nullable String text(RunEnding ending) {
        OptionalInt status = ending.exitCode();
        if (status.isEmpty()) {
            return null;
        }
        String reason = ending.reason().isPresent() ? ending.reason().get().label() : "";
        return new StringBuilder(128).append("# TYPE ").append(HandoffEnding.FAMILY).append(" gauge\n")
                .append(HandoffEnding.FAMILY).append("{reason=\"").append(reason).append("\"} ")
                .append(status.getAsInt()).append('\n').toString();
    }

    /** Writes the text to {@code file} through a temporary file beside it and a rename; one line on failure. */
    static void write(String file, RunEnding ending, PrintStream err) {
        String text = text(ending);
        if (text == null) {
            return;
        }
        File target = new File(file);
        // Not ProcessHandle.current().pid(): its class sets up lambdas, some 20 ms at this point. The name only has
        // to differ from another JVM's given the same file.
        File tmp = new File(new StringBuilder(file).append(".tmp-").append(Long.toHexString(System.nanoTime()))
                .append('-').append(Integer.toHexString(System.identityHashCode(target))).toString());
        try {
            try (FileOutputStream out = new FileOutputStream(tmp)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (!tmp.renameTo(target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException e) {
            tmp.delete();
            err.println("jobmetrics: cannot write metrics to " + RunSession.HANDOFF_ENV + " file " + file + ": " + e);
        }
    }
}
