package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process groups as Linux's {@code /proc} shows them. Java has no call for a process's group, and a group whose
 * first process has ended is out of reach of {@link ProcessHandle#descendants()}.
 */
final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /**
     * Whether a process of group {@code pgid} is still running. Zombies do not count: with the runner as PID 1 in a
     * container, orphans of the job become its children and nobody reaps them, though they have ended.
     */
    static boolean hasRunningMember(long pgid) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                Stat stat = stat(entry.resolve("stat"));
                if (stat != null && stat.group == pgid && stat.state != 'Z' && stat.state != 'X') {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private record Stat(char state, long group) {
    }

    private static @Nullable Stat stat(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so fields start after the last ')'.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", 4);
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return null; // ended meanwhile, or not Linux
        }
    }
}
