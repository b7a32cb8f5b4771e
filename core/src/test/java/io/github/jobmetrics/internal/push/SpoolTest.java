package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    private static final URI GATEWAY = URI.create("http://127.0.0.1:9091");
    @TempDir Path dir;
    private final List<String> warnings = new ArrayList<>();

    private static PushRequest request(String body) {
        return new PushRequest(PushRequest.Method.POST, "/metrics/job/x/env@base64/YSBi",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private String body(Spool spool, Spool.Entry entry) {
        return new String(spool.read(entry).body(), StandardCharsets.UTF_8);
    }

    /** An entry as the spool writes it, with any name and any written time. */
    private Path plant(String name, long writtenMillis, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "jobmetrics-spool 2\ntarget http://127.0.0.1:9091\nwritten " + writtenMillis
                + "\nPUT /metrics/job/x\n\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void savedEntryReadsBackExactlyAndOldestComesFirst() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        spool.save(GATEWAY, request("first 1\n"));
        spool.save(GATEWAY, request("second 2\n"));
        List<Spool.Entry> pending = spool.pending();
        assertEquals(2, pending.size());
        PushRequest first = spool.read(pending.get(0));
        assertEquals(PushRequest.Method.POST, first.method());
        assertEquals("/metrics/job/x/env@base64/YSBi", first.groupPath());
        assertArrayEquals("first 1\n".getBytes(StandardCharsets.UTF_8), first.body());
        assertTrue(files().stream().noneMatch(n -> n.endsWith(".tmp")), "no temp file left: " + files());
    }

    @Test
    void entryNamesItsGatewayWithoutCredentialsQueryOrTrailingSlash() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        Path saved = spool.save(URI.create("HTTPS://ci:pw-never-written@Gateway.Example:9443/pg/?x=1#f"),
                request("a 1\n"));
        String text = Files.readString(saved);
        assertFalse(text.contains("pw-never-written") || text.contains("ci:"), text);
        assertEquals("https://gateway.example:9443/pg", spool.pending().get(0).target());
    }

    @Test
    void directoryIsCreatedPrivateAndEntriesAreReadableByTheOwnerOnly() throws Exception {
        Path fresh = dir.resolve("state").resolve("spool");
        Spool spool = Spool.withDefaults(fresh, warnings::add);
        Path saved = spool.save(GATEWAY, request("a 1\n"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
    }

    @Test
    void directoryOtherUsersCanWriteToIsNotUsedAndSaysSoOnce() throws Exception {
        plant("0000000000001-000001-1.push", System.currentTimeMillis(), "planted_metric 666\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Spool spool = Spool.withDefaults(dir, warnings::add);
        assertTrue(spool.pending().isEmpty(), "a planted entry is never offered for delivery");
        assertTrue(spool.pending().isEmpty());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("is not used: other users can write to it (mode rwxrwxrwx)"),
                warnings.get(0));
        IOException e = assertThrows(IOException.class, () -> spool.save(GATEWAY, request("a 1\n")));
        assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
        assertFalse(e.getMessage().contains(dir.toString()), "the caller names the directory: " + e.getMessage());
    }

    @Test
    void directoryOwnedByAnotherUserIsNotUsed() throws Exception {
        plant("0000000000001-000001-1.push", System.currentTimeMillis(), "planted_metric 666\n");
        Object owner = Files.getAttribute(dir, "unix:uid");
        Object someoneElse = ((Integer) owner) + 1;
        Spool spool = new Spool(new SpoolDirectory(dir, someoneElse), 100, Duration.ofDays(7), Clock.systemUTC(),
                warnings::add);
        assertTrue(spool.pending().isEmpty());
        assertTrue(warnings.get(0).contains("it belongs to another user (uid " + owner), warnings.toString());
        assertThrows(IOException.class, () -> spool.save(GATEWAY, request("a 1\n")));
    }

    @Test
    void entryFileOtherUsersCouldWriteIsMovedAsideNotDelivered() throws Exception {
        Path planted = plant("0000000000001-000001-1.push", System.currentTimeMillis(), "x 1\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        Spool spool = Spool.withDefaults(dir, warnings::add);
        assertTrue(spool.pending().isEmpty());
        assertTrue(Files.exists(dir.resolve("0000000000001-000001-1.push.unreadable")), files().toString());
    }

    @Test
    void unreadableEntryIsMovedAsideWithAWarningNotDeleted() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        Files.writeString(dir.resolve("0000000000001-000001-1.push"), "garbage");
        assertTrue(spool.pending().isEmpty());
        assertTrue(Files.exists(dir.resolve("0000000000001-000001-1.push.unreadable")));
        assertEquals(1, warnings.size());
    }

    @Test
    void entryOfTheEarlierFormatWithoutItsGatewayIsMovedAsideNotDeliveredAnywhere() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        Files.writeString(dir.resolve("0000000000001-000001-1.push"),
                "jobmetrics-spool 1\nPUT /metrics/job/x\n\nx 1\n");
        assertTrue(spool.pending().isEmpty());
        assertTrue(warnings.get(0).contains("did not record its gateway"), warnings.toString());
    }

    @Test
    void spoolKeepsAtMostItsBoundOfEntriesDroppingTheOldestWithAWarning() throws Exception {
        Spool spool = new Spool(dir, 3, Duration.ofDays(7), Clock.systemUTC(), warnings::add);
        for (int i = 0; i < 5; i++) {
            spool.save(GATEWAY, request("n " + i + "\n"));
        }
        List<Spool.Entry> pending = spool.pending();
        assertEquals(3, pending.size());
        assertEquals("n 2\n", body(spool, pending.get(0)));
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreRemovedWithAWarning() throws Exception {
        Clock old = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
        new Spool(dir, 10, Duration.ofDays(7), old, warnings::add).save(GATEWAY, request("old 1\n"));
        Spool now = Spool.withDefaults(dir, warnings::add);
        now.save(GATEWAY, request("new 1\n"));
        assertEquals(1, now.pending().size());
        assertTrue(warnings.get(0).contains("removed 1 spooled"), warnings.toString());
    }

    @Test
    void entryWrittenFarInTheFutureAgesOutInsteadOfStayingForever() throws Exception {
        plant("9999999999999-000001-1.push", Instant.parse("2286-11-20T00:00:00Z").toEpochMilli(), "future 1\n");
        Spool spool = Spool.withDefaults(dir, warnings::add);
        spool.save(GATEWAY, request("now 1\n"));
        List<Spool.Entry> pending = spool.pending();
        assertEquals(1, pending.size(), files().toString());
        assertEquals("now 1\n", body(spool, pending.get(0)));
    }

    @Test
    void futureDatedNameDoesNotMakeTheCountBoundDeleteNewerEntriesFirst() throws Exception {
        long dayAgo = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        plant("9999999999999-000001-1.push", dayAgo, "oldest 1\n");
        Spool spool = new Spool(dir, 2, Duration.ofDays(7), Clock.systemUTC(), warnings::add);
        spool.save(GATEWAY, request("a 1\n"));
        spool.save(GATEWAY, request("b 1\n"));
        List<Spool.Entry> pending = spool.pending();
        assertEquals(List.of("a 1\n", "b 1\n"), pending.stream().map(e -> body(spool, e)).toList());
    }

    @Test
    void failedSaveSaysWhatWentWrongOnceWithoutRepeatingThePath() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Spool spool = Spool.withDefaults(notADirectory.resolve("spool"), warnings::add);
        IOException e = assertThrows(IOException.class, () -> spool.save(GATEWAY, request("a 1\n")));
        assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
        assertNotNull(e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void ioProblemsAreDescribedInWords() {
        assertEquals("no such file", Spool.describe(new java.nio.file.NoSuchFileException("/a/b", null, null)));
        assertEquals("file system error: No space left on device",
                Spool.describe(new java.nio.file.FileSystemException("/a/b", null, "No space left on device")));
        assertEquals("No space left on device", Spool.describe(new IOException("No space left on device")));
    }
}
