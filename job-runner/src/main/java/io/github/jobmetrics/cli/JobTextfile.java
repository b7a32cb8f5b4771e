package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.config.Durations;
import io.github.jobmetrics.internal.run.RunSession;
import io.github.jobmetrics.internal.textformat.TextFormatException;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** Largest textfile read: a few MiB is already far more series than one push should carry. */
    static final long MAX_BYTES = 4L << 20;
    /** How long reading it may take; a regular file of {@link #MAX_BYTES} takes milliseconds. */
    static final Duration READ_BOUND = Duration.ofSeconds(2);

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
     * The job's metrics, or none when it wrote no file. Anything else (not a regular file, over {@link #MAX_BYTES},
     * malformed, too big for the heap, not read within {@link #READ_BOUND} or before {@code giveUp} completes) is
     * reported in one line on {@code err} and yields none: the run is still pushed. Never throws.
     */
    List<MetricFamilySamples> read(Consumer<String> err) {
        return read(err, new CompletableFuture<>());
    }

    /** As {@link #read(Consumer)}; the read is given up when {@code giveUp} completes (a signal). */
    List<MetricFamilySamples> read(Consumer<String> err, CompletableFuture<?> giveUp) {
        try {
            Outcome outcome = readBounded(giveUp);
            if (outcome.problem != null) {
                err.accept(RunnerCommandLine.NAME + ": " + RunSession.TEXTFILE_ENV + " file written by the job "
                        + outcome.problem + "; its metrics are not pushed, the run's are");
            }
            return outcome.families;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.accept(RunnerCommandLine.NAME + ": cannot read the " + RunSession.TEXTFILE_ENV + " file (" + e
                    + "); its metrics are not pushed, the run's are");
            return List.of();
        }
    }

    private record Outcome(List<MetricFamilySamples> families, @Nullable String problem) {
        static Outcome problem(String problem) {
            return new Outcome(List.of(), problem);
        }
    }

    private Outcome readBounded(CompletableFuture<?> giveUp) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Outcome(List.of(), null);
        } catch (IOException e) {
            return Outcome.problem("cannot be read (" + e.getMessage() + ")");
        }
        if (!attributes.isRegularFile()) {
            // A FIFO would block the open forever; a link could point anywhere the runner may read.
            return Outcome.problem("is " + kind(attributes) + ", not a regular file, and is not read");
        }
        if (attributes.size() > MAX_BYTES) {
            return Outcome.problem(tooLarge(attributes.size(), ""));
        }
        CompletableFuture<Outcome> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> read.complete(readAndParse()), "jobmetrics-textfile");
        reader.setDaemon(true); // one stuck in open or read must not keep the runner alive
        reader.start();
        try {
            CompletableFuture.anyOf(read, giveUp).get(READ_BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Outcome.problem("was not read within " + Durations.format(READ_BOUND));
        } catch (ExecutionException e) {
            // giveUp failed: treat it as completed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return read.getNow(Outcome.problem("was not read: a signal arrived while reading it"));
    }

    private Outcome readAndParse() {
        try (InputStream in = new BoundedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS),
                MAX_BYTES)) {
            return new Outcome(TextFormatParser.parse(in), null);
        } catch (NoSuchFileException e) {
            return new Outcome(List.of(), null);
        } catch (TextFormatException e) {
            return Outcome.problem("is not Prometheus text format, " + e.getMessage());
        } catch (TooLarge e) {
            return Outcome.problem(tooLarge(e.size, " or more"));
        } catch (IOException | UncheckedIOException e) {
            return Outcome.problem("cannot be read (" + e.getMessage() + ")");
        } catch (OutOfMemoryError e) {
            // What was parsed so far is garbage once this returns; the run's own push needs little.
            return Outcome.problem("does not fit in the runner's heap (" + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB; give the runner more with -Xmx)");
        }
    }

    private static String tooLarge(long size, String orMore) {
        return "has " + size + " bytes" + orMore + ", over the runner's limit of " + (MAX_BYTES >> 20) + " MiB (it is parsed"
                + " in the runner's heap and pushed in one request, which proxies cap at about 1 MB)";
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return "a FIFO, socket or device";
    }

    /** Over the byte limit: the file grew after its size was checked. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long size;

        TooLarge(long size) {
            super("over " + MAX_BYTES + " bytes", null);
            this.size = size;
        }
    }

    /** Counts what the parser reads and stops it past the limit. */
    private static final class BoundedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge(count);
            }
        }
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
