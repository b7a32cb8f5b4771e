package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.ExitWith;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A credential that cannot go in an HTTP header is named, never shown, and never costs the run. */
class CredentialProblemsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private RunnerProcess run(String job, Path token, Path spool) throws Exception {
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        return RunnerProcess.run(dir, Map.of(), "--gateway", GATEWAY.get().baseUri().toString(), "--job", job,
                "--bearer-token-file", token.toString(), "--push-timeout", "3s", "--spool-dir", spool.toString(),
                "--no-agent", "--", jar.toString(), "0");
    }

    private static List<String> files(Path spool, String suffix) throws Exception {
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }

    @Test
    void bearerTokenFileWithALineBreakIsNamedAndNoOutputLineHoldsAnyPartOfTheToken() throws Exception {
        String first = "tok-" + UUID.randomUUID();
        String second = "next-" + UUID.randomUUID();
        Path token = Files.writeString(dir.resolve("token"), first + "\n" + second + "\n");
        RunnerProcess r = run("token_with_newline", token, dir.resolve("spool"));
        assertEquals(0, r.status(), r.stderr());
        for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
            assertFalse(line.contains(first) || line.contains(second), "secret in output: " + line);
        }
        assertTrue(r.stderr().contains(token.toString()) && r.stderr().contains("line break"), r.stderr());
    }

    @Test
    void tokenWithALoneCarriageReturnIsNotTheRunsFaultTheRunWaitsUntilTheFileIsMended() throws Exception {
        Path spool = dir.resolve("spool");
        Path token = Files.writeString(dir.resolve("token"), "tok-" + UUID.randomUUID() + "\rrest");
        RunnerProcess first = run("cr_token", token, spool);
        assertEquals(0, first.status(), first.stderr());
        assertTrue(first.stderr().contains(token.toString()), "the line names the file: " + first.stderr());
        assertTrue(first.stderr().contains("saved to"), first.stderr());
        RunnerProcess second = run("cr_token", token, spool);
        assertEquals(List.of(), files(spool, ".rejected"), "a bad credential is not the run's fault: "
                + second.stderr());
        assertEquals(2, files(spool, ".push").size(), second.stderr());

        Files.writeString(token, "tok-mended\n");
        RunnerProcess mended = run("cr_token", token, spool);
        assertTrue(mended.stderr().contains("pushed PUT"), mended.stderr());
        assertEquals(List.of(), files(spool, ".push"), mended.stderr());
        assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_success", "cr_token"));
    }
}
