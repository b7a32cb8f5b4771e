package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir Path dir;
    private final List<String> warnings = new ArrayList<>();

    private static PushRequest request(String body) {
        return new PushRequest(PushRequest.Method.POST, "/metrics/job/x/env@base64/YSBi",
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void savedEntryReadsBackExactlyAndOldestComesFirst() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        spool.save(request("first 1\n"));
        spool.save(request("second 2\n"));
        List<Path> pending = spool.pending();
        assertEquals(2, pending.size());
        PushRequest first = spool.read(pending.get(0));
        assertEquals(PushRequest.Method.POST, first.method());
        assertEquals("/metrics/job/x/env@base64/YSBi", first.groupPath());
        assertArrayEquals("first 1\n".getBytes(StandardCharsets.UTF_8), first.body());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test
    void unreadableEntryIsMovedAsideWithAWarningNotDeleted() throws Exception {
        Spool spool = Spool.withDefaults(dir, warnings::add);
        Path bad = dir.resolve("0000000000001-000001-1.push");
        Files.writeString(bad, "garbage");
        assertNull(spool.read(bad));
        assertTrue(Files.exists(dir.resolve("0000000000001-000001-1.push.unreadable")));
        assertEquals(1, warnings.size());
        assertTrue(spool.pending().isEmpty());
    }

    @Test
    void spoolKeepsAtMostItsBoundOfEntriesDroppingTheOldestWithAWarning() throws Exception {
        Spool spool = new Spool(dir, 3, Duration.ofDays(7), Clock.systemUTC(), warnings::add);
        for (int i = 0; i < 5; i++) {
            spool.save(request("n " + i + "\n"));
        }
        List<Path> pending = spool.pending();
        assertEquals(3, pending.size());
        assertArrayEquals("n 2\n".getBytes(StandardCharsets.UTF_8), spool.read(pending.get(0)).body());
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreRemovedWithAWarning() throws Exception {
        Clock old = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC);
        new Spool(dir, 10, Duration.ofDays(7), old, warnings::add).save(request("old 1\n"));
        Spool now = Spool.withDefaults(dir, warnings::add);
        now.save(request("new 1\n"));
        assertEquals(1, now.pending().size());
        assertTrue(warnings.get(0).contains("removed 1 spooled"), warnings.toString());
    }
}
