package io.github.jobmetrics.internal.push;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import java.util.function.Consumer;

/** Continues the run's counters from the values a group holds in the Pushgateway now ({@code accumulate}). */
interface CounterCarryOver {
    List<MetricFamilySamples> apply(List<MetricFamilySamples> families, RetryingClient client, Deadline deadline,
            GroupingKey group, Consumer<String> err);
}
