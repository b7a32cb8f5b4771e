package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Pushgateway group a run belongs to: the job name and extra grouping labels, and the URL path that names
 * it. Values are encoded here, not by a client library: anything but plain {@code [A-Za-z0-9_.-]} (a {@code /},
 * a space, unicode, {@code .} or {@code ..}, an empty value) goes out base64url-encoded, so it arrives exactly as
 * given and can never turn into a redirect to the parent group.
 */
public final class GroupingKey {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String job;
    private final Map<String, String> labels;

    private GroupingKey(String job, Map<String, String> labels) {
        this.job = job;
        this.labels = labels;
    }

    /** A group of {@code job} with {@code labels} (kept in the given order). */
    public static GroupingKey of(String job, Map<String, String> labels) {
        requireNonNull(job, "job must not be null");
        requireNonNull(labels, "labels must not be null");
        if (job.isEmpty()) {
            throw new IllegalArgumentException("job name must not be empty");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String name = requireNonNull(e.getKey(), "label name must not be null");
            if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__") || name.equals("job")) {
                throw new IllegalArgumentException("grouping label \"" + name
                        + "\" is not allowed; use [a-zA-Z_][a-zA-Z0-9_]*, not starting with __ and not job");
            }
            copy.put(name, requireNonNull(e.getValue(), "label value must not be null"));
        }
        return new GroupingKey(job, Collections.unmodifiableMap(copy));
    }

    public String job() {
        return job;
    }

    /** The extra grouping labels, without {@code job}. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Every grouping label, {@code job} first, as Prometheus sees them on the pushed series. */
    public Map<String, String> allLabels() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("job", job);
        all.putAll(labels);
        return all;
    }

    /** The path below the gateway's base URL, for example {@code /metrics/job/etl/env@base64/cHJvZA}. */
    public String path() {
        StringBuilder sb = new StringBuilder("/metrics");
        segment(sb, "job", job);
        labels.forEach((k, v) -> segment(sb, k, v));
        return sb.toString();
    }

    /**
     * The group a {@link #path()} names, for pushes read back from the spool.
     *
     * @throws IllegalArgumentException if {@code path} is not such a path
     */
    public static GroupingKey fromPath(String path) {
        String[] parts = requireNonNull(path, "path must not be null").split("/", -1);
        if (parts.length < 4 || !parts[0].isEmpty() || !parts[1].equals("metrics") || parts.length % 2 != 0) {
            throw new IllegalArgumentException("not a Pushgateway group path: " + path);
        }
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = 2; i < parts.length; i += 2) {
            String name = parts[i];
            String value = parts[i + 1];
            if (name.endsWith("@base64")) {
                name = name.substring(0, name.length() - "@base64".length());
                value = value.equals("=") ? "" : new String(Base64.getUrlDecoder().decode(value),
                        StandardCharsets.UTF_8);
            }
            all.put(name, value);
        }
        String job = all.remove("job");
        if (job == null || !parts[2].startsWith("job")) {
            throw new IllegalArgumentException("not a Pushgateway group path: " + path);
        }
        return of(job, all);
    }

    private static void segment(StringBuilder sb, String name, String value) {
        if (value.isEmpty()) {
            // The Pushgateway's documented spelling of an empty value.
            sb.append('/').append(name).append("@base64/=");
        } else if (PLAIN.matcher(value).matches() && !value.equals(".") && !value.equals("..")) {
            sb.append('/').append(name).append('/').append(value);
        } else {
            sb.append('/').append(name).append("@base64/").append(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupingKey g && g.job.equals(job) && g.labels.equals(labels);
    }

    @Override
    public int hashCode() {
        return job.hashCode() * 31 + labels.hashCode();
    }

    @Override
    public String toString() {
        return path();
    }
}
