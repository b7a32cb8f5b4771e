package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

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

    /**
     * What must come from the group's current state in the Pushgateway when the push is finally sent, which for a
     * spooled push is a later run's moment, not this one's.
     */
    public enum Carry {
        /** Continue the record counters from the group's values ({@code accumulate}). */
        COUNTERS,
        /** Keep the group's last-success timestamp (a failed run has none of its own). */
        LAST_SUCCESS
    }

    private final Method method;
    private final String groupPath;
    private final byte[] body;
    private final Set<Carry> carry;

    /** {@code groupPath} as {@link GroupingKey#path()} gives it; {@code body} in text format 0.0.4. */
    public PushRequest(Method method, String groupPath, byte[] body) {
        this(method, groupPath, body, Set.of());
    }

    /** As {@link #PushRequest(Method, String, byte[])}, completed from the group's state when sent. */
    public PushRequest(Method method, String groupPath, byte[] body, Set<Carry> carry) {
        this.method = requireNonNull(method, "method must not be null");
        this.groupPath = requireNonNull(groupPath, "groupPath must not be null");
        if (!groupPath.startsWith("/metrics/job")) {
            throw new IllegalArgumentException("groupPath must start with /metrics/job, was " + groupPath);
        }
        this.body = requireNonNull(body, "body must not be null").clone();
        this.carry = carry.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(carry));
    }

    /** What must be read from the group before sending; empty for a push that is complete as it is. */
    public Set<Carry> carry() {
        return carry;
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
        return method + " " + groupPath + " (" + body.length + " bytes" + (carry.isEmpty() ? "" : ", carrying "
                + carry) + ")";
    }
}
