package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

/**
 * One push: the HTTP method, the group and the exposition body. {@code PUT} replaces the whole group;
 * {@code POST} replaces only the metric families it carries. Immutable.
 */
public final class PushRequest {
    /** How the group is written. */
    public enum Method {
        /** Replace the group. */
        PUT,
        /** Replace only the families in the body. */
        POST
    }

    private final Method method;
    private final String groupPath;
    private final byte[] body;

    /** {@code groupPath} as {@link GroupingKey#path()} gives it; {@code body} in text format 0.0.4. */
    public PushRequest(Method method, String groupPath, byte[] body) {
        this.method = requireNonNull(method, "method must not be null");
        this.groupPath = requireNonNull(groupPath, "groupPath must not be null");
        if (!groupPath.startsWith("/metrics/job")) {
            throw new IllegalArgumentException("groupPath must start with /metrics/job, was " + groupPath);
        }
        this.body = requireNonNull(body, "body must not be null").clone();
    }

    public Method method() {
        return method;
    }

    public String groupPath() {
        return groupPath;
    }

    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public String toString() {
        return method + " " + groupPath + " (" + body.length + " bytes)";
    }
}
