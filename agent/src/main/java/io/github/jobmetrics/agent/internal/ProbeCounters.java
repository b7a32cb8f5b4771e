package io.github.jobmetrics.agent.internal;

import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.model.StageCounters;
import java.util.List;

/** Looks up each probe's stage counters once, before any method is woven, and hands them to {@link Probes}. */
public final class ProbeCounters {
    private ProbeCounters() {
    }

    /** {@code probes} have ids 0..n-1 in order; {@code nested}: count calls inside calls of the same pattern. */
    public static void install(List<MethodProbe> probes, RunRegistry registry, boolean nested) {
        StageCounters[] byId = new StageCounters[probes.size()];
        for (MethodProbe p : probes) {
            byId[p.id()] = registry.stage(p.stage());
        }
        Probes.install(byId, nested);
    }
}
