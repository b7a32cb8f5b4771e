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
import java.util.ArrayList;
import java.util.List;
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

    /** The most of a {@code /metrics} page read: far more than a Pushgateway of a few thousand groups serves. */
    static final int MAX_PAGE_BYTES = 32 << 20;

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
        return exchange("GET", "/metrics", timeout, conn -> { }, in -> {
            // The page is every group's: bounded, so a huge or endless answer costs neither memory nor time.
            byte[] page = in.readNBytes(MAX_PAGE_BYTES + 1);
            if (page.length > MAX_PAGE_BYTES) {
                throw PushFailure.permanent("the gateway's /metrics page is larger than " + (MAX_PAGE_BYTES >> 20)
                        + " MiB");
            }
            return new String(page, StandardCharsets.UTF_8);
        });
    }

    /** One request: open, send, insist on a 2xx, read the answer; every I/O problem becomes a {@link PushFailure}. */
    private <T> T exchange(String method, String path, Duration timeout, RequestWriter writer,
            ResponseReader<T> reader) throws PushFailure {
        String what = method + " " + path;
        Optional<String> auth = authorization(authorization);
        Redactor redactor = new Redactor(auth);
        HttpURLConnection conn = open(path, timeout, what, auth, redactor);
        try {
            conn.setRequestMethod(method);
            writer.write(conn);
            expect2xx(conn, what, redactor);
            try (InputStream in = conn.getInputStream()) {
                return reader.read(in);
            }
        } catch (PushFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Every text the JDK or the server hands back passes the redactor: some of it quotes the header.
            throw connectionFailure(what, e, redactor);
        } finally {
            close(conn);
        }
    }

    /**
     * The {@code Authorization} header value for one request, read from {@code source}; refused before anything is
     * sent when it cannot go in a header.
     */
    public static Optional<String> authorization(Supplier<Optional<String>> source) throws PushFailure {
        Optional<String> auth;
        try {
            auth = source.get();
        } catch (RuntimeException e) {
            // The supplier's message names the setting and the file, never the secret.
            throw PushFailure.permanent("cannot read credentials: " + e.getMessage());
        }
        if (auth.isPresent() && !isHeaderSafe(auth.get())) {
            throw PushFailure.permanent("cannot send credentials: the Authorization header would hold a line break"
                    + " or another character an HTTP header cannot carry; check the credential's file or variable");
        }
        return auth;
    }

    /** Printable ASCII and spaces only: anything else is refused by the JDK, mangled, or cuts the header. */
    public static boolean isHeaderSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
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

    private HttpURLConnection open(String path, Duration timeout, String what, Optional<String> auth,
            Redactor redactor) throws PushFailure {
        HttpURLConnection conn;
        try {
            URL url = URI.create(base + path).toURL();
            conn = (HttpURLConnection) url.openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw PushFailure.connection("cannot open " + shownBase + " for " + what + ": "
                    + redactor.apply(oneLine(e)), null);
        }
        prepare(conn, timeout, sslSocketFactory, auth);
        inFlight.add(conn);
        return conn;
    }

    /**
     * What every exchange of ours sets on a connection, to a Pushgateway or a remote-write receiver: timeouts from
     * what is left of the deadline, no redirects, no caches, per-connection TLS, and credentials that are never
     * repeated in a message.
     */
    public static void prepare(HttpURLConnection conn, Duration timeout, @Nullable SSLSocketFactory tls,
            Optional<String> auth) throws PushFailure {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        conn.setConnectTimeout(millis);
        conn.setReadTimeout(millis);
        conn.setInstanceFollowRedirects(false);
        conn.setUseCaches(false);
        if (conn instanceof HttpsURLConnection https && tls != null) {
            https.setSSLSocketFactory(tls);
        }
        try {
            auth.ifPresent(a -> conn.setRequestProperty("Authorization", a));
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the whole header value: never pass it on.
            throw PushFailure.permanent("cannot send credentials: the JDK refused the Authorization header");
        }
    }

    private void close(HttpURLConnection conn) {
        inFlight.remove(conn);
        conn.disconnect();
    }

    private void expect2xx(HttpURLConnection conn, String what, Redactor redactor) throws IOException {
        int status = conn.getResponseCode();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status < 0) {
            // HttpURLConnection says -1 when the answer did not start with an HTTP status line.
            throw PushFailure.http(status, shownBase + " sent something that is not an HTTP answer to " + what
                    + " (no status line); is it a Pushgateway?", null);
        }
        String text = redactor.apply(errorText(conn));
        throw PushFailure.http(status, "Pushgateway " + shownBase + " answered " + status + " to " + what
                + (text.isEmpty() ? "" : ": " + text), retryAfter(conn.getHeaderField("Retry-After")));
    }

    /** The start of the server's error body, on one line; empty when there is none or it cannot be read. */
    public static String errorText(HttpURLConnection conn) {
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

    private PushFailure connectionFailure(String what, Exception e, Redactor redactor) {
        if (e instanceof IOException && "Unexpected end of file from server".equals(e.getMessage())) {
            return PushFailure.connection(what + " to " + shownBase + " failed: the server closed the connection"
                    + " without an HTTP answer", null);
        }
        String kind = e instanceof SocketTimeoutException ? "timed out" : "failed";
        // No cause: a cause's message could quote what the redactor removed, and nobody prints it anyway.
        return PushFailure.connection(what + " to " + shownBase + " " + kind + ": " + redactor.apply(oneLine(e)),
                null);
    }

    /** Removes the Authorization value, and the credential inside it, from any text shown to the user. */
    public static final class Redactor {
        private final List<String> secrets = new ArrayList<>();

        public Redactor(Optional<String> auth) {
            auth.ifPresent(a -> {
                secrets.add(a);
                int space = a.indexOf(' ');
                if (space > 0 && space < a.length() - 1) {
                    String credential = a.substring(space + 1);
                    secrets.add(credential);
                    secrets.add(credential.strip());
                    // A credential with line breaks shows up in messages one line at a time.
                    for (String line : credential.split("[\\r\\n]+")) {
                        if (line.strip().length() >= 4) {
                            secrets.add(line.strip());
                        }
                    }
                }
            });
            secrets.sort((x, y) -> y.length() - x.length());
        }

        public String apply(String text) {
            String out = text;
            for (String s : secrets) {
                if (!s.isEmpty()) {
                    out = out.replace(s, "<credential>");
                }
            }
            return out;
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return shorten(e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    public static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return one.length() <= MAX_ERROR_TEXT ? one : one.substring(0, MAX_ERROR_TEXT) + "...";
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    @Nullable
    public static Duration retryAfter(@Nullable String header) {
        return retryAfter(header, ZonedDateTime.now());
    }

    /** As {@link #retryAfter(String)}, an HTTP date counted from {@code now}. */
    @Nullable
    static Duration retryAfter(@Nullable String header, ZonedDateTime now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now,
                        ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
