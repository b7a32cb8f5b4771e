package io.github.jobmetrics.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A loopback HTTP server that reads the request, then answers one byte at a time with a pause between bytes, so
 * no per-read timeout ever fires. It stops after 60 s at most.
 */
public final class SlowDripServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    private SlowDripServer(ServerSocket server, Duration pause) {
        this.server = server;
        this.thread = new Thread(() -> serve(pause), "slow-drip");
        thread.setDaemon(true);
        thread.start();
    }

    public static SlowDripServer start(Duration pause) throws IOException {
        return new SlowDripServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), pause);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve(Duration pause) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.isClosed() && System.nanoTime() < end) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5_000);
                InputStream in = s.getInputStream();
                in.read(new byte[65536]);
                OutputStream out = s.getOutputStream();
                byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < answer.length + 100 && System.nanoTime() < end; i++) {
                    out.write(i < answer.length ? answer[i] : 'x');
                    out.flush();
                    Thread.sleep(pause.toMillis());
                }
            } catch (IOException e) {
                // the client gave up, or we were closed
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }
}
