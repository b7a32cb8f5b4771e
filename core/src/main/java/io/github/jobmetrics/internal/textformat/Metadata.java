package io.github.jobmetrics.internal.textformat;

import io.prometheus.client.Collector;

/**
 * A HELP or TYPE line.
 *
 * @param name the metric name exactly as written on the line
 * @param help the unescaped help text, or {@code null} on a TYPE line
 * @param type the declared type ({@code UNKNOWN} for "untyped"), or {@code null} on a HELP line
 */
record Metadata(String name, String help, Collector.Type type) {
}
