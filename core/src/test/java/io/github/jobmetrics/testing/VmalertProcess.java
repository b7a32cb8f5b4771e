package io.github.jobmetrics.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code vmalert} (Debian's {@code victoria-metrics}) evaluating a rules file against a VictoriaMetrics on
 * loopback and writing its recorded series and {@code ALERTS} back into it, on a free loopback port, started and
 * stopped by the test that uses it. vmalert refuses to start alerting rules without a notifier and this version
 * has no blackhole notifier, so an in-process loopback server stands in for Alertmanager and answers 200.
 */
public final class VmalertProcess implements AutoCloseable {
    private static final String BINARY = "vmalert";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpServer notifier;
    private final AtomicInteger notifications;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private VmalertProcess(Process process, int port, Path dir, HttpServer notifier, AtomicInteger notifications) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.notifier = notifier;
        this.notifications = notifications;
    }

    /**
     * Starts one evaluating {@code rules} every {@code interval} against {@code store}, and waits (at most 30 s)
     * until it answers {@code /health}.
     */
    public static VmalertProcess start(Path rules, VictoriaMetricsProcess store, Duration interval)
            throws IOException, InterruptedException {
        String base = store.uri("").toString();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            AtomicInteger notifications = new AtomicInteger();
            HttpServer notifier = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            notifier.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                notifications.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            notifier.start();
            int port = FreePort.next();
            Path dir = Files.createTempDirectory("vmalert");
            Path log = dir.resolve("vmalert.log");
            String every = interval.toMillis() + "ms";
            // Its remote-write client flushes every 5 s by default; the tests poll for what it wrote.
            Process p = new ProcessBuilder(List.of(BINARY, "-rule=" + rules, "-datasource.url=" + base,
                    "-remoteWrite.url=" + base, "-remoteWrite.flushInterval=" + every,
                    "-notifier.url=http://127.0.0.1:" + notifier.getAddress().getPort(),
                    "-evaluationInterval=" + every, "-httpListenAddr=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            VmalertProcess vmalert = new VmalertProcess(p, port, dir, notifier, notifications);
            if (ReadyProbe.await(vmalert.http, p, vmalert.uri("/health"), Duration.ofSeconds(30))) {
                return vmalert;
            }
            last = new IOException("vmalert did not become ready on port " + port + ": " + Files.readString(log));
            vmalert.close();
        }
        throw last;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String get(String path) throws IOException, InterruptedException {
        return LoopbackServers.get(http, uri(path));
    }

    /** How many notifications vmalert sent to the stand-in Alertmanager so far. */
    public int notifications() {
        return notifications.get();
    }

    /** What vmalert logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("vmalert.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            LoopbackServers.stop(process, dir);
        } finally {
            notifier.stop(0);
        }
    }
}
