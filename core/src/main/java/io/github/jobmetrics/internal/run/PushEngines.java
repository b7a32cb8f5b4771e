package io.github.jobmetrics.internal.run;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.HttpPusher;
import io.github.jobmetrics.internal.push.PushCredentials;
import io.github.jobmetrics.internal.push.PushEngine;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.UnavailablePusher;
import io.github.jobmetrics.internal.push.Spool;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/** Wires a {@link PushEngine} from settings: target, credentials, TLS, retries, spool, accumulate. */
final class PushEngines {
    private PushEngines() {
    }

    static PushEngine create(Settings settings, GroupingKey group, MetricNames names, Consumer<String> err) {
        PushEngine.Builder b = PushEngine.builder()
                .group(group)
                .pushTimeout(settings.pushTimeout())
                .retries(settings.pushRetries())
                .spool(Spool.withDefaults(settings.spoolDir(), err))
                .keepLastSuccess(names.lastSuccess())
                .print(settings.print())
                .err(err);
        Optional<URI> gateway = settings.gateway();
        if (gateway.isPresent()) {
            b.gateway(gateway.get(), pusher(settings, gateway.get(), err));
        }
        if (settings.accumulate()) {
            b.accumulate(names.counterLabels());
        }
        return b.build();
    }

    private static Pusher pusher(Settings settings, URI gateway, Consumer<String> err) {
        try {
            return new HttpPusher(gateway, PushCredentials.authorization(settings), PushCredentials.tls(settings));
        } catch (IOException e) {
            // Never fail the job for this: the run is spooled with the reason, and pushed once TLS is mended.
            err.accept("jobmetrics: " + e.getMessage());
            return new UnavailablePusher(e.getMessage());
        }
    }
}
