package io.github.jobmetrics.internal.push;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.textformat.TextFormatException;
import io.github.jobmetrics.internal.textformat.TextFormatParser;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Delivers what waits in the {@link Spool} for one gateway before a run's own push, oldest first, and decides
 * whether that push may go now. Order matters per group: a newer push must never reach a group before an older
 * one, so an entry that cannot be delivered holds back the later entries and runs of its own group only; other
 * groups go ahead. Entries for other gateways are left alone (they age out as usual).
 *
 * <p>What each answer does to an entry: delivered, it is removed. A permanent refusal (3xx, 4xx other than 401,
 * 403, 408 and 429) moves it aside as {@code *.rejected}. 401 and 403 are about credentials, which a later run may
 * have right: the entry is kept, its group waits, and it ages out with the spool's bounds. A 5xx, 408 or 429 keeps
 * it and holds its group too. No answer at all (gateway unreachable, timed out, credentials unreadable) stops the
 * delivery: everything stays for the next run. Each held entry is named with its answer.
 */
final class SpoolDelivery {
    private final Spool spool;
    private final URI gateway;
    private final String target;
    private final GroupCarryOver carryOver;
    private final Consumer<String> err;

    SpoolDelivery(Spool spool, URI gateway, GroupCarryOver carryOver, Consumer<String> err) {
        this.spool = requireNonNull(spool, "spool must not be null");
        this.gateway = requireNonNull(gateway, "gateway must not be null");
        this.target = Spool.target(gateway);
        this.carryOver = requireNonNull(carryOver, "carryOver must not be null");
        this.err = requireNonNull(err, "err must not be null");
    }

    /**
     * Delivers the entries for this gateway, then answers why a push to {@code ownGroup} must wait behind them
     * (and be spooled), or null when it may go now.
     */
    @Nullable
    String deliver(RetryingClient client, Deadline deadline, String ownGroup) {
        String[] held = {null};
        try {
            List<Spool.Entry> all = spool.pending();
            if (all.isEmpty()) {
                return null;
            }
            List<Spool.Entry> mine = forTarget(all);
            // Even with nothing for this gateway, the lock is tried once so that entries of others age out.
            boolean ownWaiting = mine.stream().anyMatch(e -> e.groupPath().equals(ownGroup));
            // Only a push with older entries of its own group waiting has to wait for another run's delivery.
            boolean locked = spool.underLock(ownWaiting ? deadline.remaining() : Duration.ZERO, () -> {
                spool.prune();
                held[0] = deliverUnderLock(client, deadline, ownGroup);
            });
            if (!locked && ownWaiting) {
                return "another run held the spool " + spool.dir() + " for the whole push-timeout while older"
                        + " pushes of this group wait there";
            }
        } catch (IOException e) {
            err.accept("jobmetrics: cannot read spool " + spool.dir() + ": " + Spool.describe(e));
            return null;
        }
        return held[0];
    }

    @Nullable
    private String deliverUnderLock(RetryingClient client, Deadline deadline, String ownGroup) throws IOException {
        Map<String, String> heldGroups = new HashMap<>();
        String stoppedBy = null;
        for (Spool.Entry entry : forTarget(spool.pending())) {
            String group = entry.groupPath();
            if (stoppedBy != null || heldGroups.containsKey(group)) {
                heldGroups.putIfAbsent(group, stoppedBy);
                continue;
            }
            PushRequest old = checked(entry);
            if (old == null) {
                continue;
            }
            try {
                client.push(carryOver.resolve(old, client, deadline, err), deadline);
                spool.delivered(entry);
                err.accept("jobmetrics: delivered spooled " + old + " to " + gateway);
            } catch (PushFailure f) {
                String answer = "spooled push " + entry.describe() + " for " + group + " failed: " + f.getMessage();
                if (isPermanentRejection(f)) {
                    spool.rejected(entry, f.getMessage());
                } else if (f.status().isEmpty()) {
                    stoppedBy = answer + "; it and every later spooled push wait for the next run";
                    heldGroups.put(group, stoppedBy);
                    err.accept("jobmetrics: " + stoppedBy);
                } else {
                    String why = answer + "; later pushes of that group wait behind it until it is delivered"
                            + (isCredentials(f) ? " (check the credentials)" : "")
                            + " or ages out of the spool";
                    heldGroups.put(group, why);
                    err.accept("jobmetrics: " + why);
                }
            }
        }
        String why = heldGroups.get(ownGroup);
        return why == null ? null : "it waits behind " + why;
    }

    /**
     * The entry's request after the same checks a fresh push gets: families the Pushgateway would refuse, or that
     * contradict the entry's own group, are dropped and named. An entry whose body is not exposition text is
     * moved aside.
     */
    @Nullable
    private PushRequest checked(Spool.Entry entry) {
        PushRequest old = spool.read(entry);
        if (old == null) {
            return null;
        }
        List<MetricFamilySamples> families;
        GroupingKey group;
        try {
            group = GroupingKey.fromPath(old.groupPath());
            families = TextFormatParser.parse(new ByteArrayInputStream(old.bodyUnsafe()));
        } catch (TextFormatException | RuntimeException e) {
            spool.unusable(entry, "is not delivered: it is not a push jobmetrics would make (" + e.getMessage()
                    + ")");
            return null;
        }
        List<MetricFamilySamples> kept = ExpositionCheck.check(families, group, err);
        if (kept.size() == families.size()) {
            return old;
        }
        return new PushRequest(old.method(), old.groupPath(), Exposition.bytes(kept), old.carry());
    }

    private List<Spool.Entry> forTarget(List<Spool.Entry> entries) {
        List<Spool.Entry> out = new ArrayList<>();
        for (Spool.Entry e : entries) {
            if (e.target().equals(target)) {
                out.add(e);
            }
        }
        return out;
    }

    /** A refusal about the entry itself; 401 and 403 are about credentials, which a later run may have right. */
    static boolean isPermanentRejection(PushFailure f) {
        int status = f.status().orElse(-1);
        return status >= 300 && status < 500 && !isCredentials(f) && status != 408 && status != 429;
    }

    private static boolean isCredentials(PushFailure f) {
        int status = f.status().orElse(-1);
        return status == 401 || status == 403;
    }
}
