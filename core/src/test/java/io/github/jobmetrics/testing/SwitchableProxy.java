package io.github.jobmetrics.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback stand-in for a gateway that goes away and comes back at the same address: while up it forwards every
 * request to the real gateway behind it; while down it answers 503, which the push treats as a passing outage.
 */
public final class SwitchableProxy implements AutoCloseable {
    private final HttpServer server;
    private final URI target;
    private final AtomicBoolean up = new AtomicBoolean(true);

    private SwitchableProxy(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code target}, up. */
    public static SwitchableProxy start(URI target) throws IOException {
        return new SwitchableProxy(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                target);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void up(boolean up) {
        this.up.set(up);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!up.get()) {
                ex.sendResponseHeaders(503, -1);
                return;
            }
            HttpURLConnection conn = (HttpURLConnection) target.resolve(ex.getRequestURI().getRawPath()).toURL()
                    .openConnection();
            conn.setConnectTimeout(5_000);
            conn.setReadTimeout(5_000);
            conn.setRequestMethod(ex.getRequestMethod());
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                conn.setRequestProperty("Content-Type", type);
            }
            if (body.length > 0) {
                conn.setDoOutput(true);
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = conn.getResponseCode();
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            byte[] answer = in == null ? new byte[0] : in.readAllBytes();
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
