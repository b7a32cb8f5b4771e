package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real single-node VictoriaMetrics (Debian's {@code victoria-metrics}) on a free loopback port with its own
 * temporary storage, started and stopped by the test that uses it. Its remote-write endpoint is
 * {@code /api/v1/write}; queries go through its Prometheus-compatible API (MetricsQL).
 */
public final class VictoriaMetricsProcess implements AutoCloseable {
    private static final String BINARY = "victoria-metrics";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private VictoriaMetricsProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts one and waits (at most 30 s) until it answers {@code /health}. */
    public static VictoriaMetricsProcess start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.next();
            Path dir = Files.createTempDirectory("victoria-metrics-rw");
            Path log = dir.resolve("victoria-metrics.log");
            // No response cache and no latency offset (30 s by default, which hides samples that recent): each
            // test queries data written a moment before.
            Process p = new ProcessBuilder(List.of(BINARY, "-httpListenAddr=127.0.0.1:" + port,
                    "-storageDataPath=" + dir.resolve("data"), "-search.disableCache", "-search.latencyOffset=0s"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            VictoriaMetricsProcess vm = new VictoriaMetricsProcess(p, port, dir);
            if (ReadyProbe.await(vm.http, p, vm.uri("/health"), Duration.ofSeconds(30))) {
                return vm;
            }
            last = new IOException("victoria-metrics did not become ready on port " + port + ": "
                    + Files.readString(log));
            vm.close();
        }
        throw last;
    }

    /** The remote-write endpoint. */
    public URI writeUri() {
        return uri("/api/v1/write");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Makes every sample written so far searchable (they are otherwise buffered for about a second). */
    public void flush() throws IOException, InterruptedException {
        get("/internal/force_flush");
    }

    /** The single value of an instant query at {@code epochMillis}, as the server printed it. */
    public String scalar(String query, long epochMillis) throws IOException, InterruptedException {
        return LoopbackServers.scalar(http, uri(""), query, epochMillis);
    }

    public String get(String path) throws IOException, InterruptedException {
        return LoopbackServers.get(http, uri(path));
    }

    @Override
    public void close() {
        LoopbackServers.stop(process, dir);
    }
}
