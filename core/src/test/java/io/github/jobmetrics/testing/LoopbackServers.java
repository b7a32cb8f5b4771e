package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the real servers the tests start have in common: a GET, an instant query, and stopping them cleanly. */
final class LoopbackServers {
    private static final Pattern SCALAR = Pattern.compile("\"value\":\\[[0-9.e+-]+,\"([^\"]+)\"\\]");

    private LoopbackServers() {
    }

    /** The body of a 200 answer to {@code GET uri}, within 10 s. */
    static String get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri.getRawPath() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The single value of a Prometheus-API instant query at {@code epochMillis}, as the server printed it. */
    static String scalar(HttpClient http, URI base, String query, long epochMillis)
            throws IOException, InterruptedException {
        String body = get(http, URI.create(base + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + epochMillis / 1000.0));
        Matcher m = SCALAR.matcher(body);
        if (!m.find()) {
            throw new IOException("query " + query + " gave no single value: " + body);
        }
        String value = m.group(1);
        if (m.find()) {
            throw new IOException("query " + query + " gave more than one value: " + body);
        }
        return value;
    }

    /** Stops {@code process} (TERM, then KILL after 10 s) and removes {@code scratch}, a file or directory. */
    static void stop(Process process, Path scratch) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temporary files; the OS cleans them
        }
    }
}
