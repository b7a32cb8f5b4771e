package io.github.jobmetrics.internal.run;

import io.github.jobmetrics.config.Secrets;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.HttpPusher;
import io.github.jobmetrics.internal.push.PushEngine;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.UnavailablePusher;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.TlsSocketFactories;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

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
            return new HttpPusher(gateway, authorization(settings), tls(settings));
        } catch (IOException e) {
            // Never fail the job for this: the run is spooled with the reason, and pushed once TLS is mended.
            err.accept("jobmetrics: " + e.getMessage());
            return new UnavailablePusher(e.getMessage());
        }
    }

    /** The Authorization header, re-read from its file or the environment at every push. */
    private static Supplier<Optional<String>> authorization(Settings settings) {
        Secrets secrets = settings.secrets();
        Optional<String> user = settings.basicAuthUser();
        return () -> {
            try {
                if (user.isPresent()) {
                    String password = secrets.basicAuthPassword().orElse("");
                    return Optional.of("Basic " + Base64.getEncoder().encodeToString(
                            (user.get() + ":" + password).getBytes(StandardCharsets.UTF_8)));
                }
                return secrets.bearerToken().map(token -> "Bearer " + token);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), null);
            }
        };
    }

    private static SSLSocketFactory tls(Settings settings) throws IOException {
        Secrets secrets = settings.secrets();
        try {
            return TlsSocketFactories.create(settings.tlsTrustStore().orElse(null),
                    secrets.trustStorePassword().orElse(null), settings.tlsKeyStore().orElse(null),
                    secrets.keyStorePassword().orElse(null));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
