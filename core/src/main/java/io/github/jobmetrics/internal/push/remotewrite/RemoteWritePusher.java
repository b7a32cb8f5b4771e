package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.push.HttpPusher;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link Pusher} that POSTs a request body, already a snappy-compressed {@code WriteRequest}, to a remote-write
 * receiver's URL with the remote-write 1.0 headers and any extra ones (a tenant header). The request's group path
 * is not part of the URL: a receiver has one endpoint. Like {@link HttpPusher}: no redirects, its own timeouts,
 * TLS per connection, and the receiver's error text kept for the one-line error.
 */
public final class RemoteWritePusher implements Pusher {

    private final URI url;
    private final Map<String, String> headers;
    private final Supplier<Optional<String>> authorization;
    @Nullable private final SSLSocketFactory sslSocketFactory;
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param url the receiver's write endpoint, for example {@code http://prometheus:9090/api/v1/write}
     * @param headers extra request headers, for example {@code X-Scope-OrgID}
     * @param authorization the {@code Authorization} header value per request, read at each push
     * @param sslSocketFactory TLS for {@code https://} targets; null for the JVM's defaults
     */
    public RemoteWritePusher(URI url, Map<String, String> headers, Supplier<Optional<String>> authorization,
            @Nullable SSLSocketFactory sslSocketFactory) {
        this.url = requireNonNull(url, "url must not be null");
        if (url.getUserInfo() != null) {
            throw new IllegalArgumentException("the remote-write URL must not carry credentials");
        }
        this.headers = Map.copyOf(headers);
        this.authorization = requireNonNull(authorization, "authorization must not be null");
        this.sslSocketFactory = sslSocketFactory;
    }

    @Override
    public void send(PushRequest request, Duration timeout) throws PushFailure {
        Optional<String> auth = HttpPusher.authorization(authorization);
        HttpPusher.Redactor redactor = new HttpPusher.Redactor(auth);
        HttpURLConnection conn = open(timeout, auth, redactor);
        try {
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            conn.setRequestProperty("Content-Type", "application/x-protobuf");
            conn.setRequestProperty("Content-Encoding", "snappy");
            conn.setRequestProperty("X-Prometheus-Remote-Write-Version", "0.1.0");
            conn.setRequestProperty("User-Agent", "jobmetrics");
            headers.forEach(conn::setRequestProperty);
            byte[] body = request.body();
            conn.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = conn.getOutputStream()) {
                out.write(body);
            }
            int status = conn.getResponseCode();
            if (status < 200 || status >= 300) {
                // The receiver's text may echo a request header: it passes the redactor like the gateway's.
                String text = redactor.apply(HttpPusher.errorText(conn));
                throw PushFailure.http(status, "remote-write receiver " + url + " answered " + status
                        + (text.isEmpty() ? "" : ": " + text), HttpPusher.retryAfter(conn.getHeaderField(
                        "Retry-After")));
            }
            try (InputStream in = conn.getInputStream()) {
                in.readNBytes(64 * 1024);
            }
        } catch (PushFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String kind = e instanceof SocketTimeoutException ? "timed out" : "failed";
            // No cause: its message could quote what the redactor removed.
            throw PushFailure.connection("POST to remote-write receiver " + url + " " + kind + ": "
                    + redactor.apply(HttpPusher.shorten(e.toString())), null);
        } finally {
            inFlight.remove(conn);
            conn.disconnect();
        }
    }

    /** A receiver has no page of groups: nothing is carried over from it. */
    @Override
    public String readMetrics(Duration timeout) throws PushFailure {
        throw PushFailure.permanent("a remote-write receiver has no /metrics page to read");
    }

    @Override
    public void abort() {
        for (HttpURLConnection c : inFlight) {
            c.disconnect();
        }
    }

    private HttpURLConnection open(Duration timeout, Optional<String> auth, HttpPusher.Redactor redactor)
            throws PushFailure {
        HttpURLConnection conn;
        try {
            conn = (HttpURLConnection) url.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw PushFailure.connection("cannot open remote-write receiver " + url + ": "
                    + redactor.apply(HttpPusher.shorten(e.toString())), null);
        }
        HttpPusher.prepare(conn, timeout, sslSocketFactory, auth);
        inFlight.add(conn);
        return conn;
    }
}
