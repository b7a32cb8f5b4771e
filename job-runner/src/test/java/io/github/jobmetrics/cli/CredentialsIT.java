package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.CopiesStdin;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Push credentials never show in a process listing, the job's command line or environment, or any output. */
class CredentialsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private static String ps() throws Exception {
        Process ps = new ProcessBuilder("ps", "-eww", "-o", "args").redirectErrorStream(true).start();
        String listing = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ps.waitFor(10, TimeUnit.SECONDS) && ps.exitValue() == 0, "ps ran: " + listing);
        return listing;
    }

    private void assertSecretNowhere(String secret, String job, Map<String, String> env, List<String> options)
            throws Exception {
        Path jar = TestJars.jobJar(dir, CopiesStdin.class);
        List<String> args = new java.util.ArrayList<>(List.of("--gateway", GATEWAY.get().baseUri().toString(), "--job",
                job, "--no-agent"));
        args.addAll(options);
        args.addAll(List.of("--", jar.toString()));
        try (RunnerProcess r = RunnerProcess.start(dir, env, args)) {
            r.awaitOutput("ready");
            ProcessHandle child = r.child();
            String listing = ps();
            assertTrue(listing.contains(jar.toString()), "the listing shows the job: " + listing);
            assertFalse(listing.contains(secret), "ps shows the secret");
            String cmdline = Files.readString(Path.of("/proc/" + child.pid() + "/cmdline"), StandardCharsets.UTF_8);
            assertFalse(cmdline.contains(secret), "the job's argv holds the secret");
            String environ = Files.readString(Path.of("/proc/" + child.pid() + "/environ"), StandardCharsets.UTF_8);
            assertFalse(environ.contains(secret), "the job's environment holds the secret");
            r.process().getOutputStream().close();
            assertEquals(0, r.awaitExit(), r.stderr());
            assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), r.stderr());
            assertTrue(r.stderr().contains("; pushed PUT of "), r.stderr());
        }
        assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_success", job));
    }

    @Test
    void basicAuthPasswordFromTheEnvironmentShowsNowhere() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        assertSecretNowhere(secret, "basic_env", Map.of("JOBMETRICS_BASIC_AUTH_PASSWORD", secret),
                List.of("--basic-auth-user", "ci"));
    }

    @Test
    void bearerTokenFromAFileShowsNowhere() throws Exception {
        String secret = "token-" + UUID.randomUUID();
        Path file = Files.writeString(dir.resolve("token"), secret + "\n");
        assertSecretNowhere(secret, "bearer_file", Map.of(), List.of("--bearer-token-file", file.toString()));
    }

    @Test
    void passwordGivenAsAnOptionIsRefusedWithoutEchoingIt() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        for (String[] args : List.of(new String[] {"--basic-auth-password=" + secret, "--", "true"},
                new String[] {"--bearer-token", secret, "--", "true"})) {
            RunnerProcess r = RunnerProcess.run(dir, Map.of(), args);
            assertEquals(125, r.status(), r.stderr());
            assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
            assertTrue(r.stderr().contains("is refused"), r.stderr());
            assertFalse(r.stderr().contains(secret), r.stderr());
        }
    }

    @Test
    void passwordInTheGatewayUrlIsRefusedWithoutEchoingIt() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--gateway", "http://ci:" + secret + "@127.0.0.1:1",
                "--", "true");
        assertEquals(125, r.status(), r.stderr());
        assertFalse(r.stderr().contains(secret), r.stderr());
    }
}
