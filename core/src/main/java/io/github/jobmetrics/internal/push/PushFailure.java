package io.github.jobmetrics.internal.push;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One failed attempt to talk to the Pushgateway, with what is needed to decide on a retry. The message is one
 * line and carries the server's own error text, never a credential.
 */
public final class PushFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    @Nullable private final transient Duration retryAfter;

    private PushFailure(String message, int status, boolean retryable, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** No answer: connection refused, reset, unknown host, timed out. Always worth a retry. */
    public static PushFailure connection(String message, @Nullable Throwable cause) {
        return new PushFailure(message, -1, true, null, cause);
    }

    /** A non-2xx answer; retried only for 429, 502, 503 and 504 (and other 5xx). */
    public static PushFailure http(int status, String message, @Nullable Duration retryAfter) {
        return new PushFailure(message, status, isRetryableStatus(status), retryAfter, null);
    }

    /** A failure no retry can mend: the deadline passed, credentials cannot be read. */
    public static PushFailure permanent(String message) {
        return new PushFailure(message, -1, false, null, null);
    }

    static boolean isRetryableStatus(int status) {
        return status == 429 || status >= 500 && status <= 599 && status != 501 && status != 505;
    }

    /** The same failure with {@code message} instead, for adding how many attempts were made. */
    PushFailure withMessage(String message) {
        PushFailure f = new PushFailure(message, status, retryable, retryAfter, getCause());
        return f;
    }

    /** The HTTP status, if the server answered. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The server's {@code Retry-After}, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
