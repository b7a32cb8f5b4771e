package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayExtension;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the runner reads that the job or the operator control, made hostile: a FIFO, a link, a huge file, a device,
 * and a runner with a 16 MiB heap. The job's exit status always comes out, and the run is always pushed.
 */
class HostileFilesIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    private static final List<String> SMALL_HEAP = List.of("-Xmx16m");
    @TempDir Path dir;

    private RunnerProcess run(String job, List<String> jvmOptions, String shell) throws Exception {
        List<String> args = new ArrayList<>(List.of("--gateway=" + GATEWAY.get().baseUri(), "--job=" + job,
                "--no-agent", "--", "sh", "-c", shell));
        RunnerProcess r = RunnerProcess.start(jvmOptions, dir, Map.of(), args);
        r.process().getOutputStream().close();
        r.awaitExit();
        return r;
    }

    /** A textfile of {@code series} gauges. */
    private Path prom(String name, int series) throws Exception {
        Path file = dir.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# TYPE " + name.replace('.', '_') + " gauge\n");
            for (int i = 0; i < series; i++) {
                out.write(name.replace('.', '_') + "{i=\"" + i + "\"} " + i + "\n");
            }
        }
        return file;
    }

    private void assertPushedWithStatus(String job, int status) throws Exception {
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(status, page.require("batch_job_exit_code", job));
        assertEquals(0, page.require("batch_job_success", job));
    }

    @Test
    void fifoAsTheTextfileIsNotOpenedAndTheRunIsPushedWithTheJobsStatus() throws Exception {
        RunnerProcess r = run("fifo_textfile", List.of(), "mkfifo \"$JOBMETRICS_TEXTFILE\" && exit 3");
        assertEquals(3, r.status(), r.stderr());
        assertTrue(r.stderr().contains("JOBMETRICS_TEXTFILE file written by the job is a FIFO, socket or device, not"
                + " a regular file, and is not read"), r.stderr());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "took " + r.elapsed());
        assertPushedWithStatus("fifo_textfile", 3);
    }

    @Test
    void symbolicLinkAsTheTextfileIsNotFollowed() throws Exception {
        Path elsewhere = dir.resolve("elsewhere.prom");
        Files.writeString(elsewhere, "# TYPE linked_total counter\nlinked_total 7\n");
        RunnerProcess r = run("link_textfile", List.of(), "ln -s " + elsewhere + " \"$JOBMETRICS_TEXTFILE\"; exit 4");
        assertEquals(4, r.status(), r.stderr());
        assertTrue(r.stderr().contains("is a symbolic link, not a regular file"), r.stderr());
        assertPushedWithStatus("link_textfile", 4);
        assertTrue(new GatewayPage(GATEWAY.get().metricsPage()).value("linked_total", "link_textfile").isEmpty());
    }

    @Test
    void twoHundredThousandSeriesInASmallHeapKeepTheJobsStatusAndTheRunIsPushed() throws Exception {
        Path big = prom("big.prom", 200_000);
        assertTrue(Files.size(big) > JobTextfile.MAX_BYTES, "the file is over the limit");
        RunnerProcess r = run("big_textfile", SMALL_HEAP, "cp " + big + " \"$JOBMETRICS_TEXTFILE\"; exit 3");
        assertEquals(3, r.status(), r.stderr());
        assertFalse(r.stderr().contains("OutOfMemoryError"), r.stderr());
        assertTrue(r.stderr().contains("JOBMETRICS_TEXTFILE file written by the job has " + Files.size(big)
                + " bytes, over the runner's limit of 4 MiB"), r.stderr());
        assertPushedWithStatus("big_textfile", 3);
    }

    @Test
    void textfileUnderTheLimitThatDoesNotFitTheHeapIsDroppedAndTheRunIsPushed() throws Exception {
        Path mid = prom("mid.prom", 150_000);
        assertTrue(Files.size(mid) < JobTextfile.MAX_BYTES, "the file is under the limit: " + Files.size(mid));
        RunnerProcess r = run("mid_textfile", SMALL_HEAP, "cp " + mid + " \"$JOBMETRICS_TEXTFILE\"; exit 5");
        assertEquals(5, r.status(), r.stderr());
        assertTrue(r.stderr().contains("does not fit in the runner's heap"), r.stderr());
        assertPushedWithStatus("mid_textfile", 5);
    }

    @Test
    void configThatIsADeviceOrAFifoIsRefusedWithoutReadingIt() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        for (String config : List.of("/dev/zero", fifo.toString())) {
            RunnerProcess r = RunnerProcess.start(SMALL_HEAP, dir, Map.of(), List.of("--config", config,
                    "--no-agent", "--", "true"));
            assertEquals(125, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("names file " + config + ", which is not a regular file"), r.stderr());
            assertFalse(r.stderr().contains("OutOfMemoryError"), r.stderr());
        }
    }

    @Test
    void configLargerThanAPropertiesFileCanBeIsRefused() throws Exception {
        Path huge = dir.resolve("huge.properties");
        Files.write(huge, new byte[(1 << 20) + 1]);
        Files.setPosixFilePermissions(huge, PosixFilePermissions.fromString("rw-------"));
        RunnerProcess r = RunnerProcess.start(SMALL_HEAP, dir, Map.of(), List.of("--config", huge.toString(),
                "--no-agent", "--", "true"));
        assertEquals(125, r.awaitExit(), r.stderr());
        assertTrue(r.stderr().contains("is larger than 1024 KiB"), r.stderr());
    }
}
