package io.github.jobmetrics.internal.push.remotewrite;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.push.GroupingKey;
import java.net.URI;
import java.util.Optional;

/**
 * Wires a {@link RemoteWriteSink} from settings: {@code remote-write}, {@code remote-write.headers}, and the same
 * {@code push-timeout} and {@code push-retries} as the gateway path. The caller delivers the run's final families
 * to it beside (or instead of) the Pushgateway push.
 */
public final class RemoteWriteSinks {
    private RemoteWriteSinks() {
    }

    /** The sink for the run of {@code group}; empty when {@code remote-write} is not set. */
    public static Optional<RemoteWriteSink> create(Settings settings, GroupingKey group) {
        Optional<URI> url = settings.remoteWrite();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        // Credentials and TLS are not wired yet: the gateway's live in run.PushEngines, private there.
        RemoteWritePusher pusher = new RemoteWritePusher(url.get(), settings.remoteWriteHeaders(), Optional::empty,
                null);
        return Optional.of(new RemoteWriteSink(url.get(), pusher, group, settings.pushTimeout(),
                settings.pushRetries()));
    }
}
