package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes that could not be delivered, kept on disk until a later run delivers them, oldest first. Each entry is
 * one file, written to a temporary name and moved into place atomically, so a crash never leaves half an entry.
 * A file that cannot be read is moved aside with a warning, never deleted silently. The spool keeps at most
 * {@code maxEntries} entries no older than {@code maxAge}; what falls outside is removed with a warning.
 */
public final class Spool {
    static final String SUFFIX = ".push";
    static final String REJECTED_SUFFIX = ".rejected";
    static final String UNREADABLE_SUFFIX = ".unreadable";
    private static final String MAGIC = "jobmetrics-spool 1";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path dir;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<String> warnings;

    public Spool(Path dir, int maxEntries, Duration maxAge, Clock clock, Consumer<String> warnings) {
        this.dir = requireNonNull(dir, "dir must not be null");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.maxAge = requireNonNull(maxAge, "maxAge must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.warnings = requireNonNull(warnings, "warnings must not be null");
    }

    /** A spool with the default bounds: 100 entries, 7 days. */
    public static Spool withDefaults(Path dir, Consumer<String> warnings) {
        return new Spool(dir, 100, Duration.ofDays(7), Clock.systemUTC(), warnings);
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code request} as a new entry and returns its file. */
    public Path save(PushRequest request) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("%013d-%06d-%d%s", clock.millis(), SEQUENCE.incrementAndGet() % 1_000_000,
                ProcessHandle.current().pid(), SUFFIX);
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        byte[] header = (MAGIC + "\n" + request.method() + " " + request.groupPath() + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(header));
            ch.write(java.nio.ByteBuffer.wrap(request.bodyUnsafe()));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        enforceBounds();
        return target;
    }

    /** Entries waiting, oldest first. */
    public List<Path> pending() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** Reads an entry; an unreadable one is moved aside, reported, and answered with null. */
    PushRequest read(Path entry) {
        try {
            byte[] all = Files.readAllBytes(entry);
            int firstNl = indexOf(all, 0);
            int secondNl = firstNl < 0 ? -1 : indexOf(all, firstNl + 1);
            if (secondNl < 0 || secondNl + 1 >= all.length || all[secondNl + 1] != '\n'
                    || !MAGIC.equals(new String(all, 0, firstNl, StandardCharsets.UTF_8))) {
                throw new IOException("not a jobmetrics spool entry");
            }
            String[] target = new String(all, firstNl + 1, secondNl - firstNl - 1, StandardCharsets.UTF_8)
                    .split(" ", 2);
            byte[] body = java.util.Arrays.copyOfRange(all, secondNl + 2, all.length);
            return new PushRequest(PushRequest.Method.valueOf(target[0]), target[1], body);
        } catch (IOException | RuntimeException e) {
            moveAside(entry, UNREADABLE_SUFFIX, "cannot be read (" + e.getMessage() + ")");
            return null;
        }
    }

    void delivered(Path entry) throws IOException {
        Files.deleteIfExists(entry);
    }

    void rejected(Path entry, String why) {
        moveAside(entry, REJECTED_SUFFIX, "was refused by the Pushgateway and will not be retried: " + why);
    }

    /**
     * Runs {@code work} while holding the spool's lock, so two runs on one machine never deliver the same entry
     * twice. Returns false without running it when another process holds the lock.
     */
    boolean underLock(IoAction work) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                lock.release();
            }
        }
    }

    /** Work done under the spool lock. */
    interface IoAction {
        void run() throws IOException;
    }

    private void enforceBounds() throws IOException {
        List<Path> entries = pending();
        long oldestAllowed = clock.millis() - maxAge.toMillis();
        int removed = 0;
        for (int i = 0; i < entries.size(); i++) {
            Path p = entries.get(i);
            boolean tooMany = entries.size() - i > maxEntries;
            if (tooMany || createdMillis(p) < oldestAllowed) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            warnings.accept("jobmetrics: removed " + removed + " spooled push(es) from " + dir
                    + " beyond the spool bound of " + maxEntries + " entries or " + maxAge.toDays() + " days");
        }
    }

    private static long createdMillis(Path p) {
        String name = p.getFileName().toString();
        int dash = name.indexOf('-');
        try {
            return Long.parseLong(name.substring(0, dash));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private void moveAside(Path entry, String suffix, String why) {
        Path aside = entry.resolveSibling(entry.getFileName() + suffix);
        try {
            Files.move(entry, aside, StandardCopyOption.REPLACE_EXISTING);
            warnings.accept("jobmetrics: spooled push " + entry.getFileName() + " " + why + "; kept as " + aside);
        } catch (IOException e) {
            warnings.accept("jobmetrics: spooled push " + entry + " " + why + " and could not be moved aside: "
                    + e.getMessage());
        }
    }

    private static int indexOf(byte[] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
