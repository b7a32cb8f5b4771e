package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link Pusher} on the JDK's {@link HttpURLConnection}. It sets its own timeouts, never follows redirects
 * (a 3xx is a failure: following one once replaced a parent group), configures TLS per connection without
 * touching JVM-wide state, and keeps the server's error text for the one-line error.
 */
public final class HttpPusher implements Pusher {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_ERROR_TEXT = 300;

    private final URI base;
    private final String shownBase;
    private final Supplier<Optional<String>> authorization;
    @Nullable private final SSLSocketFactory sslSocketFactory;
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param base the gateway's base URL, without credentials
     * @param authorization the {@code Authorization} header value per request, read at each push
     * @param sslSocketFactory TLS for {@code https://} targets; null for the JVM's defaults
     */
    public HttpPusher(URI base, Supplier<Optional<String>> authorization,
            @Nullable SSLSocketFactory sslSocketFactory) {
        requireNonNull(base, "base must not be null");
        if (base.getUserInfo() != null) {
            throw new IllegalArgumentException("the gateway URL must not carry credentials");
        }
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.shownBase = this.base.toString();
        this.authorization = requireNonNull(authorization, "authorization must not be null");
        this.sslSocketFactory = sslSocketFactory;
    }

    @Override
    public void send(PushRequest request, Duration timeout) throws PushFailure {
        exchange(request.method().name(), request.groupPath(), timeout, conn -> {
            conn.setDoOutput(true);
            conn.setRequestProperty("Content-Type", CONTENT_TYPE);
            // Fixed length: the JDK then never re-sends a body on its own.
            conn.setFixedLengthStreamingMode(request.bodyLength());
            try (OutputStream out = conn.getOutputStream()) {
                out.write(request.bodyUnsafe());
            }
        }, in -> {
            in.readNBytes(64 * 1024);
            return null;
        });
    }

    @Override
    public String readMetrics(Duration timeout) throws PushFailure {
        return exchange("GET", "/metrics", timeout, conn -> { },
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** One request: open, send, insist on a 2xx, read the answer; every I/O problem becomes a {@link PushFailure}. */
    private <T> T exchange(String method, String path, Duration timeout, RequestWriter writer,
            ResponseReader<T> reader) throws PushFailure {
        String what = method + " " + path;
        HttpURLConnection conn = open(path, timeout, what);
        try {
            conn.setRequestMethod(method);
            writer.write(conn);
            expect2xx(conn, what);
            try (InputStream in = conn.getInputStream()) {
                return reader.read(in);
            }
        } catch (PushFailure e) {
            throw e;
        } catch (IOException e) {
            throw connectionFailure(what, e);
        } finally {
            close(conn);
        }
    }

    private interface RequestWriter {
        void write(HttpURLConnection conn) throws IOException;
    }

    private interface ResponseReader<T> {
        T read(InputStream in) throws IOException;
    }

    @Override
    public void abort() {
        for (HttpURLConnection c : inFlight) {
            c.disconnect();
        }
    }

    private HttpURLConnection open(String path, Duration timeout, String what) throws PushFailure {
        HttpURLConnection conn;
        try {
            URL url = URI.create(base + path).toURL();
            conn = (HttpURLConnection) url.openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw PushFailure.connection("cannot open " + shownBase + " for " + what + ": " + oneLine(e), null);
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        conn.setConnectTimeout(millis);
        conn.setReadTimeout(millis);
        conn.setInstanceFollowRedirects(false);
        conn.setUseCaches(false);
        if (conn instanceof HttpsURLConnection https && sslSocketFactory != null) {
            https.setSSLSocketFactory(sslSocketFactory);
        }
        Optional<String> auth;
        try {
            auth = authorization.get();
        } catch (RuntimeException e) {
            // The supplier's message names the setting and the file, never the secret.
            throw PushFailure.permanent("cannot read credentials: " + e.getMessage());
        }
        auth.ifPresent(a -> conn.setRequestProperty("Authorization", a));
        inFlight.add(conn);
        return conn;
    }

    private void close(HttpURLConnection conn) {
        inFlight.remove(conn);
        conn.disconnect();
    }

    private void expect2xx(HttpURLConnection conn, String what) throws IOException {
        int status = conn.getResponseCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String text = errorText(conn);
        throw PushFailure.http(status, "Pushgateway " + shownBase + " answered " + status + " to " + what
                + (text.isEmpty() ? "" : ": " + text), retryAfter(conn.getHeaderField("Retry-After")));
    }

    private static String errorText(HttpURLConnection conn) {
        try (InputStream err = conn.getErrorStream()) {
            if (err == null) {
                return "";
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[512];
            int n;
            while (buf.size() < MAX_ERROR_TEXT * 4 && (n = err.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
            }
            return shorten(buf.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "";
        }
    }

    private PushFailure connectionFailure(String what, IOException e) {
        String kind = e instanceof SocketTimeoutException ? "timed out" : "failed";
        return PushFailure.connection(what + " to " + shownBase + " " + kind + ": " + oneLine(e), e);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return shorten(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return one.length() <= MAX_ERROR_TEXT ? one : one.substring(0, MAX_ERROR_TEXT) + "...";
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    @Nullable
    static Duration retryAfter(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
