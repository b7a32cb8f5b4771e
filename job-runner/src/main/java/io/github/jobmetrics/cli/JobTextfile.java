package io.github.jobmetrics.cli;

import io.github.jobmetrics.internal.run.RunSession;
import io.github.jobmetrics.internal.textformat.TextFormatException;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The file named by {@code JOBMETRICS_TEXTFILE}, where the job (the agent, the {@code JobMetrics} API, or any
 * program) leaves Prometheus text format for the runner's push. It lives in a fresh private directory, so no other
 * run's file is ever read, and goes away with it.
 */
final class JobTextfile implements AutoCloseable {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path dir;
    private final Path file;

    private JobTextfile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("metrics.prom");
    }

    static JobTextfile create() throws IOException {
        // Not Files.createTempDirectory: its SecureRandom costs ~15 ms of the runner's start. The name need not be
        // unguessable: the directory is created atomically, owner-only, and a clash just tries the next name.
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path dir = tmp.resolve("jobmetrics-runner-" + pid + "-" + System.nanoTime() + "-" + attempt);
            try {
                return new JobTextfile(Files.createDirectory(dir, OWNER_ONLY));
            } catch (FileAlreadyExistsException clash) {
                if (attempt >= 100) {
                    throw clash;
                }
            }
        }
    }

    /** The path the job is told; it does not exist until the job writes it. */
    Path path() {
        return file;
    }

    /**
     * The job's metrics, or none when it wrote no file. A malformed file is reported with its line number on
     * {@code err} and yields none: the run is still pushed.
     */
    List<MetricFamilySamples> read(Consumer<String> err) {
        try (InputStream in = Files.newInputStream(file)) {
            return TextFormatParser.parse(in);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (TextFormatException e) {
            err.accept(RunnerCommandLine.NAME + ": " + RunSession.TEXTFILE_ENV + " file written by the job is not"
                    + " Prometheus text format, " + e.getMessage() + "; its metrics are not pushed, the run's are");
        } catch (IOException | UncheckedIOException e) {
            err.accept(RunnerCommandLine.NAME + ": cannot read the " + RunSession.TEXTFILE_ENV + " file " + file
                    + " (" + e.getMessage() + "); its metrics are not pushed, the run's are");
        }
        return List.of();
    }

    @Override
    public void close() {
        try (Stream<Path> left = Files.list(dir)) {
            for (Path p : (Iterable<Path>) left::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp directory; the OS cleans it
        }
    }
}
