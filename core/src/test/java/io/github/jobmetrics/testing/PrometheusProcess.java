package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (Debian's {@code prometheus}) accepting remote write ({@code --web.enable-remote-write-receiver})
 * on a free loopback port, with its own temporary TSDB, started and stopped by the test that uses it.
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final String BINARY = "prometheus";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts one and waits (at most 30 s) until it answers {@code /-/ready}. */
    public static PrometheusProcess start() throws IOException, InterruptedException {
        return start("");
    }

    /** As {@link #start()}, with {@code extraConfig} (YAML) appended to its configuration file. */
    public static PrometheusProcess start(String extraConfig) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.next();
            Path dir = Files.createTempDirectory("prometheus-rw");
            Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n"
                    + extraConfig);
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(List.of(BINARY, "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-remote-write-receiver"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusProcess prom = new PrometheusProcess(p, port, dir);
            if (ReadyProbe.await(prom.http, p, prom.uri("/-/ready"), Duration.ofSeconds(30))) {
                return prom;
            }
            last = new IOException("prometheus did not become ready on port " + port + ": " + Files.readString(log));
            prom.close();
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
