package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.run.HandoffEnding;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndingHandoffTest {
    @TempDir
    Path dir;

    @Test
    void eachEndingReadsBackInTheRunnerAsTheSameReasonAndStatus() throws Exception {
        List<RunEnding> endings = List.of(RunEnding.success(1),
                RunEnding.failure(1, FailureReason.UNCAUGHT_EXCEPTION, 1),
                RunEnding.failure(1, FailureReason.UNCAUGHT_EXCEPTION, 0),
                RunEnding.failure(1, FailureReason.EXIT_CODE, 143),
                RunEnding.failure(1, FailureReason.SIGNAL, 143));
        for (RunEnding ending : endings) {
            int status = ending.exitCode().getAsInt();
            // What the runner knows by itself: the status only.
            RunEnding seen = RunEnding.failure(2, FailureReason.EXIT_CODE, status);
            RunEnding refined = HandoffEnding.refine(seen, TextFormatParser.parse(EndingHandoff.text(ending)));
            assertEquals(ending.success(), refined.success(), ending::toString);
            assertEquals(ending.reason(), refined.reason(), ending::toString);
            assertEquals(ending.exitCode(), refined.exitCode(), ending::toString);
        }
    }

    @Test
    void anEndingWithoutAStatusHasNothingToHandOffAndWritesNoFile() {
        RunEnding unknown = RunEnding.failure(1, FailureReason.EXIT_CODE, null);
        assertNull(EndingHandoff.text(unknown));
        Path file = dir.resolve("handoff.prom");
        EndingHandoff.write(file.toString(), unknown, System.err);
        assertFalse(Files.exists(file));
    }

    @Test
    void aFileThatCannotBeWrittenIsOneLineAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("missing-dir").resolve("handoff.prom");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EndingHandoff.write(file.toString(), RunEnding.success(1), new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("jobmetrics: cannot write metrics to JOBMETRICS_HANDOFF file "
                + file), lines.get(0));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
