package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.push.PushRequest.Carry;
import io.github.jobmetrics.internal.textformat.TextFormatException;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Completes a push from its group's current state just before it is sent, so that every push is a {@code PUT}
 * and the group holds exactly the run's figures afterwards. A failed run has no last success of its own: the
 * group's previous one is read and sent along (a {@code POST} would keep it, but would also keep every series of
 * the previous run that this run lacks). With {@code accumulate}, counters continue from the group's values.
 * Done at send time, not when the run ends, so a push that waited in the spool continues from what the group
 * holds when it lands, after any run delivered before it.
 */
final class GroupCarryOver {
    private final @Nullable GatewayCounterCarryOver counters;
    private final @Nullable String lastSuccessName;

    /**
     * {@code counterLabels}: the counters {@code accumulate} continues (null when it is off);
     * {@code lastSuccessName}: the run's last-success gauge (null to keep a failed run's POST).
     */
    GroupCarryOver(@Nullable Map<String, List<String>> counterLabels, @Nullable String lastSuccessName) {
        this.counters = counterLabels == null ? null : new GatewayCounterCarryOver(counterLabels);
        this.lastSuccessName = lastSuccessName;
    }

    /** The push of a run that ended as {@code success} says, with what it must carry when it is sent. */
    PushRequest pending(GroupingKey group, byte[] body, boolean success) {
        EnumSet<Carry> carry = EnumSet.noneOf(Carry.class);
        if (counters != null) {
            carry.add(Carry.COUNTERS);
        }
        if (!success && lastSuccessName != null) {
            carry.add(Carry.LAST_SUCCESS);
        }
        boolean put = success || lastSuccessName != null;
        return new PushRequest(put ? PushRequest.Method.PUT : PushRequest.Method.POST, group.path(), body, carry);
    }

    /**
     * The request to send for {@code pending}: unchanged when it carries nothing, else a {@code PUT} completed from
     * the gateway's page. When the page cannot be had for a lasting reason, the push still goes out as well as it
     * can (a {@code POST} for a failed run, counters from zero), saying so; a passing reason is thrown, so the
     * push waits in the spool with what it must carry.
     */
    PushRequest resolve(PushRequest pending, RetryingClient client, Deadline deadline, Consumer<String> err)
            throws PushFailure {
        requireNonNull(pending, "pending must not be null");
        if (pending.carry().isEmpty()) {
            return pending;
        }
        GroupState state;
        try {
            state = new GroupState(TextFormatParser.parse(client.readMetrics(deadline)),
                    GroupingKey.fromPath(pending.groupPath()));
        } catch (PushFailure f) {
            if (f.retryable()) {
                throw f;
            }
            return withoutState(pending, f.getMessage(), err);
        } catch (TextFormatException e) {
            return withoutState(pending, "the page is not text format: " + e.getMessage(), err);
        }
        List<MetricFamilySamples> families;
        try {
            families = TextFormatParser.parse(new String(pending.bodyUnsafe(), StandardCharsets.UTF_8));
        } catch (TextFormatException e) {
            // Bodies are written by this code; one that does not parse goes out as it is.
            err.accept("jobmetrics: cannot complete " + pending + " from the group's state: " + e.getMessage());
            return new PushRequest(PushRequest.Method.POST, pending.groupPath(), pending.body());
        }
        return new PushRequest(PushRequest.Method.PUT, pending.groupPath(),
                Exposition.bytes(complete(families, pending.carry(), state)));
    }

    private List<MetricFamilySamples> complete(List<MetricFamilySamples> families, Set<Carry> carry,
            GroupState state) {
        List<MetricFamilySamples> out = families;
        if (carry.contains(Carry.COUNTERS) && counters != null) {
            out = counters.apply(out, state);
        }
        if (carry.contains(Carry.LAST_SUCCESS) && lastSuccessName != null) {
            Map<TreeMap<String, String>, Double> previous = state.series(lastSuccessName, List.of());
            if (!previous.isEmpty() && families.stream().noneMatch(f -> f.name.equals(lastSuccessName))) {
                out = new ArrayList<>(out);
                out.add(new MetricFamilySamples(lastSuccessName, Collector.Type.GAUGE,
                        "Unix time of the last successful run.", List.of(new Sample(lastSuccessName, List.of(),
                                List.of(), previous.values().iterator().next()))));
            }
        }
        return out;
    }

    private static PushRequest withoutState(PushRequest pending, String why, Consumer<String> err) {
        boolean keepLastSuccess = pending.carry().contains(Carry.LAST_SUCCESS);
        err.accept("jobmetrics: cannot read the group's current state from the gateway (" + why + "); "
                + (keepLastSuccess ? "pushed with POST to keep its last success, so series of the previous run"
                        + " that this run lacks may remain" : "")
                + (keepLastSuccess && pending.carry().contains(Carry.COUNTERS) ? ", and " : "")
                + (pending.carry().contains(Carry.COUNTERS) ? "accumulate: this run's counters start from zero" : ""));
        return new PushRequest(keepLastSuccess ? PushRequest.Method.POST : PushRequest.Method.PUT,
                pending.groupPath(), pending.body());
    }
}
