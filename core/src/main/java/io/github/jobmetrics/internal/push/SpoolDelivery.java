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
 * Delivers what waits in the {@link Spool} for one gateway (or one remote-write receiver) before a run's own
 * push, oldest first, and decides whether that push may go now. Order matters per group: a newer push must never
 * reach a group before an older one, so an entry that cannot be delivered holds back the later entries and runs of
 * its own group only; other groups go ahead. Entries for other targets (another gateway, any remote-write receiver
 * for a gateway's delivery, and the reverse) are left alone (they age out as usual).
 *
 * <p>What each answer does to an entry: delivered, it is removed. A permanent refusal (3xx, 4xx other than 401,
 * 403, 408 and 429) moves it aside as {@code *.rejected}. 401 and 403 are about credentials, which a later run may
 * have right: the entry is kept, its group waits, and it ages out with the spool's bounds. A 5xx, 408 or 429 keeps
 * it and holds its group too. No answer at all (gateway unreachable, timed out, credentials unreadable) stops the
 * delivery: everything stays for the next run. Each held entry is named with its answer.
 */
public final class SpoolDelivery {
    private final Spool spool;
    private final String receiver;
    private final String target;
    private final GroupCarryOver carryOver;
    private final @Nullable BodyCheck bodyCheck;
    private final Consumer<String> err;

    /** Why a spooled body cannot be delivered, or null when it can. */
    @FunctionalInterface
    public interface BodyCheck {
        @Nullable
        String problem(byte[] body);
    }

    SpoolDelivery(Spool spool, URI gateway, GroupCarryOver carryOver, Consumer<String> err) {
        this(spool, gateway.toString(), Spool.target(gateway), carryOver, null, err);
    }

    private SpoolDelivery(Spool spool, String receiver, String target, GroupCarryOver carryOver,
            @Nullable BodyCheck bodyCheck, Consumer<String> err) {
        this.spool = requireNonNull(spool, "spool must not be null");
        this.receiver = requireNonNull(receiver, "receiver must not be null");
        this.target = requireNonNull(target, "target must not be null");
        this.carryOver = requireNonNull(carryOver, "carryOver must not be null");
        this.bodyCheck = bodyCheck;
        this.err = requireNonNull(err, "err must not be null");
    }

    /**
     * The delivery of what waits for the remote-write receiver at {@code url}, and only that: same order, holding
     * and answers as for a gateway; nothing is carried from a group. {@code bodyCheck} says why a body is not a
     * write request this version would send.
     */
    public static SpoolDelivery forRemoteWrite(Spool spool, URI url, BodyCheck bodyCheck, Consumer<String> err) {
        return new SpoolDelivery(spool, "remote-write receiver " + url, Spool.remoteWriteTarget(url),
                new GroupCarryOver(null, null), requireNonNull(bodyCheck, "bodyCheck must not be null"), err);
    }

    /**
     * Delivers the entries for this gateway, then answers why a push to {@code ownGroup} must wait behind them
     * (and be spooled), or null when it may go now.
     */
    @Nullable
    public String deliver(RetryingClient client, Deadline deadline, String ownGroup) {
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
                // What waits once the bounds are kept, read under the lock: no other run delivers it meanwhile.
                held[0] = deliverUnderLock(client, deadline, ownGroup, forTarget(spool.prune()));
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
    private String deliverUnderLock(RetryingClient client, Deadline deadline, String ownGroup,
            List<Spool.Entry> waiting) throws IOException {
        Map<String, String> heldGroups = new HashMap<>();
        String stoppedBy = null;
        for (Spool.Entry entry : waiting) {
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
                err.accept("jobmetrics: delivered spooled " + old + " to " + receiver);
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
        if (bodyCheck != null) {
            String problem = bodyCheck.problem(old.bodyUnsafe());
            if (problem != null) {
                spool.unusable(entry, "is not delivered: it is not a write jobmetrics would make (" + problem + ")");
                return null;
            }
            return old;
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

    /**
     * Whether pushes of {@code ownGroup} wait in the spool for this target; reads the entries' headers only and
     * sends nothing. False when the spool cannot be read (the delivery then says why).
     */
    public boolean hasWaiting(String ownGroup) {
        try {
            return forTarget(spool.pending()).stream().anyMatch(e -> e.groupPath().equals(ownGroup));
        } catch (IOException e) {
            return false;
        }
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
    public static boolean isPermanentRejection(PushFailure f) {
        int status = f.status().orElse(-1);
        return status >= 300 && status < 500 && !isCredentials(f) && status != 408 && status != 429;
    }

    private static boolean isCredentials(PushFailure f) {
        int status = f.status().orElse(-1);
        return status == 401 || status == 403;
    }
}
