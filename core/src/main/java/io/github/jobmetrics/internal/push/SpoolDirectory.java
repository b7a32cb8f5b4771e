package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The spool's directory, trusted only while it belongs to this user and nobody else can write to it: whoever can
 * put a file there could have it pushed with this user's credentials. Created {@code 0700}; entries are written
 * {@code 0600}. On a file system without POSIX attributes there is nothing to check and it is trusted.
 */
final class SpoolDirectory {
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path dir;
    private final @Nullable Object currentUid;

    /** {@code currentUid} is this process's {@code unix:uid}; null where the platform cannot tell. */
    SpoolDirectory(Path dir, @Nullable Object currentUid) {
        this.dir = requireNonNull(dir, "dir must not be null");
        this.currentUid = currentUid;
    }

    static SpoolDirectory ofCurrentUser(Path dir) {
        return new SpoolDirectory(dir, currentUid());
    }

    Path path() {
        return dir;
    }

    /** Creates the directory {@code 0700} when missing, then answers why it cannot be trusted, or null. */
    @Nullable
    String prepare() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PRIVATE_DIR);
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // another run made it a moment ago: the check below decides
            }
        }
        return untrustedReason();
    }

    /** Why the existing directory must not be used, or null when it may (or does not exist). */
    @Nullable
    String untrustedReason() throws IOException {
        if (!Files.exists(dir)) {
            return null;
        }
        if (!Files.isDirectory(dir)) {
            return "it is not a directory";
        }
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (currentUid != null) {
            Object owner = Files.getAttribute(dir, "unix:uid");
            if (!currentUid.equals(owner)) {
                return "it belongs to another user (uid " + owner + ", this process runs as uid " + currentUid
                        + "); use a directory of your own";
            }
        }
        Set<PosixFilePermission> p = attrs.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "other users can write to it (mode " + PosixFilePermissions.toString(p)
                    + "); make it private with chmod 700";
        }
        return null;
    }

    /** Why one entry file must not be trusted (a link, another owner, writable by others), or null. */
    @Nullable
    String untrustedEntryReason(Path file) throws IOException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        if (!attrs.isRegularFile()) {
            return "it is not a regular file";
        }
        if (currentUid != null && !currentUid.equals(Files.getAttribute(file, "unix:uid",
                LinkOption.NOFOLLOW_LINKS))) {
            return "it belongs to another user";
        }
        Set<PosixFilePermission> p = attrs.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "other users can write to it";
        }
        return null;
    }

    /** The effective uid, read from {@code /proc/self} (Linux); null elsewhere, where ownership goes unchecked. */
    @Nullable
    private static Object currentUid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
