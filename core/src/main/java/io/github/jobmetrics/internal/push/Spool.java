package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes that could not be delivered, kept on disk until a later run delivers them to the same gateway, oldest
 * first (or to the same remote-write receiver, {@link #saveRemoteWrite}). Each entry is one file naming its target
 * (the gateway's base URL, or {@code remote-write } and the receiver's URL; never credentials), the time it was
 * written, the method, the group and the body; it is written {@code 0600} to a temporary name and moved into
 * place atomically, so a crash never leaves half an entry, and a failed write leaves nothing. The directory is
 * used only while it is private to this user ({@link SpoolDirectory}). A file that cannot be read is moved aside
 * with a warning, never deleted silently. The spool keeps at most {@code maxEntries} entries written no further
 * than {@code maxAge} from now (either way, so a clock that was ahead cannot keep one forever); what falls outside
 * is removed with a warning. Age and order come from the time written inside the entry, not from its name.
 */
public final class Spool {
    static final String SUFFIX = ".push";
    static final String REJECTED_SUFFIX = ".rejected";
    static final String UNREADABLE_SUFFIX = ".unreadable";
    private static final String MAGIC = "jobmetrics-spool 2";
    private static final String OLD_MAGIC = "jobmetrics-spool 1";
    /** What starts a remote-write entry's target; see {@link #remoteWriteTarget(URI)}. */
    static final String REMOTE_WRITE = "remote-write ";
    private static final int MAX_HEADER_LINE = 64 * 1024;
    private static final long LOCK_POLL_MILLIS = 20;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final SpoolDirectory directory;
    private final Path dir;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<String> warnings;
    private boolean untrustedReported;

    public Spool(Path dir, int maxEntries, Duration maxAge, Clock clock, Consumer<String> warnings) {
        this(SpoolDirectory.ofCurrentUser(requireNonNull(dir, "dir must not be null")), maxEntries, maxAge, clock,
                warnings);
    }

    Spool(SpoolDirectory directory, int maxEntries, Duration maxAge, Clock clock, Consumer<String> warnings) {
        this.directory = requireNonNull(directory, "directory must not be null");
        this.dir = directory.path();
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

    /** The form of {@code gateway} an entry records: no user-info, query, fragment or trailing slash. */
    static String target(URI gateway) {
        String path = gateway.getRawPath() == null ? "" : gateway.getRawPath().replaceAll("/+$", "");
        String host = gateway.getHost() == null ? "" : gateway.getHost().toLowerCase(Locale.ROOT);
        String scheme = gateway.getScheme() == null ? "" : gateway.getScheme().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (gateway.getPort() < 0 ? "" : ":" + gateway.getPort()) + path;
    }

    /**
     * The target a remote-write entry records: the receiver's URL in the same form, behind a word no URL starts
     * with, so a gateway's delivery never takes it (nor an older version's: it ages out there) and a receiver's
     * delivery takes only its own.
     */
    public static String remoteWriteTarget(URI receiver) {
        return REMOTE_WRITE + target(receiver);
    }

    /**
     * Writes {@code request} for {@code gateway} as a new entry and returns its file. The exception's message says
     * what went wrong in words, without the directory, which the caller names.
     */
    public Path save(URI gateway, PushRequest request) throws IOException {
        return save(target(gateway), request);
    }

    /** As {@link #save(URI, PushRequest)}, for a write to the remote-write receiver at {@code receiver}. */
    public Path saveRemoteWrite(URI receiver, PushRequest request) throws IOException {
        return save(remoteWriteTarget(receiver), request);
    }

    private Path save(String target, PushRequest request) throws IOException {
        String untrusted;
        try {
            untrusted = directory.prepare();
        } catch (IOException e) {
            throw new IOException(describe(e), e);
        }
        if (untrusted != null) {
            throw new IOException("the spool is not used: " + untrusted);
        }
        long now = clock.millis();
        String name = String.format("%013d-%06d-%d%s", now, SEQUENCE.incrementAndGet() % 1_000_000,
                ProcessHandle.current().pid(), SUFFIX);
        Path entry = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        byte[] header = (MAGIC + "\ntarget " + target + "\nwritten " + now + "\n" + request.method() + " "
                + request.groupPath() + carryField(request) + "\n\n").getBytes(StandardCharsets.UTF_8);
        try {
            try (FileChannel ch = openPrivate(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                writeFully(ch, ByteBuffer.wrap(header));
                writeFully(ch, ByteBuffer.wrap(request.bodyUnsafe()));
                ch.force(true);
            }
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, entry);
            }
        } catch (IOException e) {
            // A full disk must not leave empty temporary files behind, one per failed run.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the message below is what the user needs; a leftover .tmp is never read as an entry
            }
            throw new IOException(describe(e), e);
        }
        enforceBounds();
        return entry;
    }

    /**
     * Entries waiting, oldest first by the time written inside them. Files that are not entries of this version,
     * or that someone else could have written, are moved aside with a warning. Nothing when the directory is not
     * private (said once per spool).
     */
    List<Entry> pending() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        String untrusted = directory.untrustedReason();
        if (untrusted != null) {
            if (!untrustedReported) {
                untrustedReported = true;
                warnings.accept("jobmetrics: spool " + dir + " is not used: " + untrusted);
            }
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        for (Path file : files) {
            Entry e = readHeader(file);
            if (e != null) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(Entry::written).thenComparing(e -> e.file().getFileName().toString()));
        return out;
    }

    /** Reads an entry's request; an unreadable one is moved aside, reported, and answered with null. */
    @Nullable
    PushRequest read(Entry entry) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(entry.file(), LinkOption.NOFOLLOW_LINKS))) {
            for (int i = 0; i < 5; i++) {
                readLine(in);
            }
            return new PushRequest(entry.method(), entry.groupPath(), in.readAllBytes(), entry.carry());
        } catch (IOException | RuntimeException e) {
            moveAside(entry.file(), UNREADABLE_SUFFIX, "cannot be read (" + describe(e) + ")");
            return null;
        }
    }

    void delivered(Entry entry) throws IOException {
        Files.deleteIfExists(entry.file());
    }

    void rejected(Entry entry, String why) {
        String by = entry.target().startsWith(REMOTE_WRITE) ? "its remote-write receiver" : "the Pushgateway";
        moveAside(entry.file(), REJECTED_SUFFIX, "was refused by " + by + " and will not be retried: " + why);
    }

    void unusable(Entry entry, String why) {
        moveAside(entry.file(), UNREADABLE_SUFFIX, why);
    }

    /**
     * Runs {@code work} while holding the spool's lock, so two runs on one machine never deliver the same entry
     * twice and never overtake each other. Waits for a lock another process holds for at most {@code wait};
     * returns false without running {@code work} when it is still held then.
     */
    boolean underLock(Duration wait, IoAction work) throws IOException {
        String untrusted = directory.prepare();
        if (untrusted != null) {
            return false;
        }
        long end = System.nanoTime() + wait.toNanos();
        try (FileChannel ch = openPrivate(dir.resolve(".lock"), EnumSet.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE))) {
            FileLock lock = tryLock(ch);
            while (lock == null && System.nanoTime() - end < 0) {
                try {
                    Thread.sleep(Math.max(1, Math.min(LOCK_POLL_MILLIS,
                            TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                lock = tryLock(ch);
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

    /** Removes what is beyond the bounds and answers what waits then, oldest first; called under the lock. */
    List<Entry> prune() throws IOException {
        return enforceBounds();
    }

    /** Work done under the spool lock. */
    interface IoAction {
        void run() throws IOException;
    }

    /** One waiting entry as its header describes it; the body is read only when it is delivered. */
    record Entry(Path file, String target, long written, PushRequest.Method method, String groupPath,
            Set<PushRequest.Carry> carry) {
        /** The file's name and the time it was written, for messages. */
        String describe() {
            return file.getFileName() + " (written " + Instant.ofEpochMilli(written) + ")";
        }
    }

    @Nullable
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static FileChannel openPrivate(Path file, Set<? extends OpenOption> options) throws IOException {
        try {
            return FileChannel.open(file, options, SpoolDirectory.PRIVATE_FILE);
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    @Nullable
    private Entry readHeader(Path file) {
        try {
            String untrusted = directory.untrustedEntryReason(file);
            if (untrusted != null) {
                moveAside(file, UNREADABLE_SUFFIX, "is not delivered: " + untrusted);
                return null;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
                String magic = readLine(in);
                if (OLD_MAGIC.equals(magic)) {
                    moveAside(file, UNREADABLE_SUFFIX, "was written by an earlier version that did not record its"
                            + " gateway, so it is not delivered");
                    return null;
                }
                if (!MAGIC.equals(magic)) {
                    throw new IOException("not a jobmetrics spool entry");
                }
                String target = field(readLine(in), "target ");
                long written = Long.parseLong(field(readLine(in), "written "));
                String[] request = readLine(in).split(" ", 3);
                if (request.length < 2 || !readLine(in).isEmpty()) {
                    throw new IOException("not a jobmetrics spool entry");
                }
                PushRequest.Method method = PushRequest.Method.valueOf(request[0]);
                if (!request[1].startsWith("/metrics/job")) {
                    throw new IOException("not a jobmetrics spool entry");
                }
                return new Entry(file, target, written, method, request[1],
                        request.length > 2 ? carry(request[2]) : Set.of());
            }
        } catch (NoSuchFileException e) {
            // Delivered or removed by another run between listing and reading: nothing to say.
            return null;
        } catch (IOException | RuntimeException e) {
            moveAside(file, UNREADABLE_SUFFIX, "cannot be read (" + describe(e) + ")");
            return null;
        }
    }

    /**
     * What the push must carry from its group when delivered, after the path (which never holds a space, values
     * being encoded): {@code carry=COUNTERS,LAST_SUCCESS}.
     */
    private static String carryField(PushRequest request) {
        StringBuilder sb = new StringBuilder();
        for (PushRequest.Carry c : request.carry()) {
            sb.append(sb.length() == 0 ? " carry=" : ",").append(c.name());
        }
        return sb.toString();
    }

    private static Set<PushRequest.Carry> carry(String field) throws IOException {
        Set<PushRequest.Carry> out = EnumSet.noneOf(PushRequest.Carry.class);
        for (String name : field(field, "carry=").split(",")) {
            out.add(PushRequest.Carry.valueOf(name));
        }
        return out;
    }

    private static String field(String line, String prefix) throws IOException {
        if (!line.startsWith(prefix)) {
            throw new IOException("not a jobmetrics spool entry");
        }
        return line.substring(prefix.length());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_HEADER_LINE) {
                throw new IOException("not a jobmetrics spool entry");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Deletes the entries beyond the bounds; the ones that remain, oldest first. */
    private List<Entry> enforceBounds() throws IOException {
        List<Entry> entries = pending();
        List<Entry> kept = new ArrayList<>(entries.size());
        long now = clock.millis();
        long maxAgeMillis = maxAge.toMillis();
        int removed = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            boolean tooMany = entries.size() - i > maxEntries;
            if (tooMany || Math.abs(now - e.written()) > maxAgeMillis) {
                Files.deleteIfExists(e.file());
                removed++;
            } else {
                kept.add(e);
            }
        }
        if (removed > 0) {
            warnings.accept("jobmetrics: removed " + removed + " spooled push(es) from " + dir
                    + " beyond the spool bound of " + maxEntries + " entries or " + maxAge.toDays() + " days");
        }
        return kept;
    }

    private void moveAside(Path entry, String suffix, String why) {
        Path aside = entry.resolveSibling(entry.getFileName() + suffix);
        try {
            Files.move(entry, aside, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            warnings.accept("jobmetrics: spooled push " + entry.getFileName() + " " + why + "; kept as " + aside);
        } catch (IOException e) {
            warnings.accept("jobmetrics: spooled push " + entry + " " + why + " and could not be moved aside ("
                    + describe(e) + ")");
        }
    }

    /**
     * What an I/O problem was, in words and without the file name (the caller names the place once):
     * {@code NoSuchFileException} becomes "no such file", a full disk "file system error: No space left on device".
     */
    static String describe(Exception e) {
        String kind = words(e.getClass().getSimpleName());
        String detail;
        if (e instanceof FileSystemException fse) {
            detail = fse.getReason();
        } else {
            detail = e.getMessage();
        }
        if (e.getClass() == IOException.class) {
            return detail == null || detail.isBlank() ? "I/O error" : detail;
        }
        return detail == null || detail.isBlank() ? kind : kind + ": " + detail;
    }

    /** {@code NoSuchFileException} as "no such file". */
    private static String words(String className) {
        String base = className.replaceAll("Exception$", "");
        if (base.isEmpty()) {
            return "I/O error";
        }
        String words = base.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return words.equals("file system") ? "file system error" : words;
    }
}
