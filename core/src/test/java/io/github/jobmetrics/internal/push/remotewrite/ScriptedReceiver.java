package io.github.jobmetrics.internal.push.remotewrite;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A remote-write endpoint on loopback that answers from a script of responses and records what it received.
 * MockServer cannot stand in here: its Netty pipeline decodes {@code Content-Encoding: snappy} as the framed
 * snappy stream and drops the connection on remote write's block format before any expectation is matched.
 */
final class ScriptedReceiver implements AutoCloseable {
    /** One scripted answer. */
    record Answer(int status, String body, String retryAfter) {
    }

    /** One request as received. */
    record Received(Headers headers, byte[] body) {
    }

    private final HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    ScriptedReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestHeaders(), in.readAllBytes()));
            }
            Answer a = script.poll();
            if (a == null) {
                a = new Answer(204, "", null);
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Answers the next requests in this order; once the script is used up, every request gets a 204. */
    ScriptedReceiver then(int status, String body, String retryAfter) {
        script.add(new Answer(status, body, retryAfter));
        return this;
    }

    URI writeUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
