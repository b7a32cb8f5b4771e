package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.CopiesStdin;
import io.github.jobmetrics.cli.jobs.EchoAgent;
import io.github.jobmetrics.cli.jobs.Greeting;
import io.github.jobmetrics.cli.jobs.Hello;
import io.github.jobmetrics.cli.jobs.PrintsProperty;
import io.github.jobmetrics.cli.jobs.UsesLibrary;
import io.github.jobmetrics.cli.jobs.WritesMegabytes;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The kinds of job the runner wraps, their input and output, the metrics file, and jobs that cannot start. */
class JobKindsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private List<String> args(String job, String... jobArgs) {
        List<String> args = new ArrayList<>(List.of("--gateway=" + GATEWAY.get().baseUri(), "--job=" + job,
                "--no-agent", "--"));
        args.addAll(List.of(jobArgs));
        return args;
    }

    private RunnerProcess run(String job, String... jobArgs) throws Exception {
        return RunnerProcess.run(dir, Map.of(), args(job, jobArgs).toArray(new String[0]));
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void jarWithAClassPathManifestFindsItsLibrary() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        TestJars.jar(dir.resolve("lib"), "greeting.jar", null, null, Greeting.class);
        Path jar = TestJars.jar(dir, "uses-library.jar", UsesLibrary.class, "lib/greeting.jar", UsesLibrary.class);
        RunnerProcess r = run("class_path", jar.toString(), "a", "b c");
        assertEquals(0, r.status(), r.stderr());
        assertEquals("greeting from the library jar a b c\n", r.stdout());
    }

    @Test
    void mainClassAndClasspathAfterTheDoubleDash() throws Exception {
        Path lib = TestJars.jar(dir, "greeting.jar", null, null, Greeting.class);
        Path app = TestJars.jar(dir, "app-classes.jar", null, null, UsesLibrary.class);
        RunnerProcess r = run("main_class_cp", "--main-class", UsesLibrary.class.getName(), "--classpath",
                app + ":" + lib, "--not-an-option");
        assertEquals(0, r.status(), r.stderr());
        assertEquals("greeting from the library jar --not-an-option\n", r.stdout());
        assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_success", "main_class_cp"));
    }

    @Test
    void jvmOptionsReachTheJobsJvm() throws Exception {
        Path jar = TestJars.jobJar(dir, PrintsProperty.class);
        RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--gateway", GATEWAY.get().baseUri().toString(), "--job",
                "jvm_options", "--no-agent", "--jvm-option", "-Dtest.value=42", "--jvm-option=-Xmx48m", "--",
                jar.toString(), "test.value");
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().startsWith("test.value=42 maxMemoryMiB="), r.stdout());
        int maxMiB = Integer.parseInt(r.stdout().strip().substring(r.stdout().lastIndexOf('=') + 1));
        assertTrue(maxMiB <= 48, r.stdout());
    }

    @Test
    void stdinIsPipedThroughToTheJob() throws Exception {
        Path jar = TestJars.jobJar(dir, CopiesStdin.class);
        try (RunnerProcess r = RunnerProcess.start(dir, Map.of(), args("stdin", jar.toString()))) {
            try (OutputStream in = r.process().getOutputStream()) {
                in.write("first line\nsecond line\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(0, r.awaitExit(), r.stderr());
            assertEquals("first line\nsecond line\n", r.stdout());
        }
    }

    @Test
    void fiftyMegabytesOfStdoutPassThroughAPipeWithoutDeadlock() throws Exception {
        Path jar = TestJars.jobJar(dir, WritesMegabytes.class);
        List<String> cmd = new ArrayList<>(List.of(RunnerProcess.java(), "-jar",
                RunnerProcess.runnerJar().toString()));
        cmd.addAll(args("megabytes", jar.toString(), "50"));
        Path err = dir.resolve("megabytes.err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try {
            p.getOutputStream().close();
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream out = p.getInputStream()) {
                    return out.transferTo(OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(50L << 20, read.get(RunnerProcess.BOUND.toSeconds(), TimeUnit.SECONDS));
            assertTrue(p.waitFor(RunnerProcess.BOUND.toSeconds(), TimeUnit.SECONDS), "the runner ended");
            assertEquals(0, p.exitValue(), Files.readString(err));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void shellScriptWritingTheTextfileGetsItsMetricsPushedWithTheRun() throws Exception {
        Path script = script("rows.sh", "cat > \"$JOBMETRICS_TEXTFILE\" <<'EOF'\n"
                + "# HELP etl_rows_total Rows written.\n# TYPE etl_rows_total counter\n"
                + "etl_rows_total{table=\"orders\"} 42\nEOF\nexit 0\n");
        RunnerProcess r = run("textfile", script.toString());
        assertEquals(0, r.status(), r.stderr());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(42, page.require("etl_rows_total", "textfile", "table=\"orders\""));
        assertEquals(1, page.require("batch_job_success", "textfile"));
    }

    @Test
    void brokenTextfileIsReportedWithItsLineNumberAndTheRunIsStillPushed() throws Exception {
        Path script = script("broken.sh", "printf '# TYPE ok_total counter\\nnot a metric line\\n' "
                + "> \"$JOBMETRICS_TEXTFILE\"\nexit 3\n");
        RunnerProcess r = run("broken_textfile", script.toString());
        assertEquals(3, r.status(), r.stderr());
        assertTrue(r.stderr().contains("JOBMETRICS_TEXTFILE file written by the job is not Prometheus text format,"
                + " line 2:"), r.stderr());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(3, page.require("batch_job_exit_code", "broken_textfile"));
        assertTrue(page.value("ok_total", "broken_textfile").isEmpty(), "nothing from the broken file");
    }

    @Test
    void groupingKeysWithSlashesArriveIntact() throws Exception {
        Path script = script("ok.sh", "exit 0\n");
        RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--gateway", GATEWAY.get().baseUri().toString(),
                "--job", "slashes", "--grouping-key", "path=data/in/2024", "--grouping-key", "team=a/b",
                "--", script.toString());
        assertEquals(0, r.status(), r.stderr());
        assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_success", "slashes",
                "path=\"data/in/2024\"", "team=\"a/b\""));
    }

    @Test
    void missingJarIs127AndIsPushed() throws Exception {
        RunnerProcess r = run("missing_jar", dir.resolve("nope.jar").toString());
        assertEquals(127, r.status(), r.stderr());
        assertTrue(r.stderr().contains("nope.jar: no such file"), r.stderr());
        assertEquals(127, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_exit_code", "missing_jar"));
    }

    @Test
    void missingCommandIs127() throws Exception {
        RunnerProcess r = run("missing_command", "no-such-command-jobmetrics", "--x");
        assertEquals(127, r.status(), r.stderr());
        assertTrue(r.stderr().contains("cannot run no-such-command-jobmetrics: No such file or directory"),
                r.stderr());
        assertEquals(127, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_exit_code", "missing_command"));
    }

    @Test
    void nonExecutableFileIs126() throws Exception {
        Path script = dir.resolve("not-executable.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        RunnerProcess r = run("not_executable", script.toString());
        assertEquals(126, r.status(), r.stderr());
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());
        assertEquals(126, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_exit_code", "not_executable"));
    }

    @Test
    void missingAgentIsOneWarningAndTheJobRunsWithoutIt() throws Exception {
        // A copy alone in its directory: the build puts the real agent next to target/job-runner.jar.
        Path alone = Files.copy(RunnerProcess.runnerJar(), Files.createDirectories(dir.resolve("alone"))
                .resolve("job-runner.jar"), StandardCopyOption.REPLACE_EXISTING);
        Path jar = TestJars.jobJar(dir, Hello.class);
        try (RunnerProcess r = RunnerProcess.start(alone, dir, Map.of(), List.of("--gateway",
                GATEWAY.get().baseUri().toString(), "--job", "no_agent_jar", "--", jar.toString()))) {
            r.process().getOutputStream().close();
            assertEquals(0, r.awaitExit(), r.stderr());
            assertEquals("hello\n", r.stdout());
            assertEquals(1, r.stderr().lines().filter(l -> l.contains("no agent at")).count(), r.stderr());
        }
    }

    @Test
    void agentNextToTheRunnerJarIsAttachedWithTheRecordOptions() throws Exception {
        Path install = Files.createDirectories(dir.resolve("opt"));
        Path runner = Files.copy(RunnerProcess.runnerJar(), install.resolve("job-runner.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EchoAgent.class.getName());
        String entry = EchoAgent.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(
                install.resolve(Runner.AGENT_JAR_NAME)), manifest);
                InputStream in = EchoAgent.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        Path jar = TestJars.jobJar(dir, Hello.class);
        try (RunnerProcess r = RunnerProcess.start(runner, dir, Map.of(), List.of("--gateway",
                GATEWAY.get().baseUri().toString(), "--job", "agent_args", "--records", "com.acme.Etl#row;com.acme.Etl#flush",
                "--records-stage", "load=com.acme.Load#batch", "--input", "com.acme.In#read", "--",
                jar.toString()))) {
            r.process().getOutputStream().close();
            assertEquals(0, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("echo-agent args: records=com.acme.Etl#row;com.acme.Etl#flush,"
                    + "records.load=com.acme.Load#batch,input=com.acme.In#read textfile set: true"), r.stderr());
            assertFalse(r.stderr().contains("no agent at"), r.stderr());
        }
    }
}
