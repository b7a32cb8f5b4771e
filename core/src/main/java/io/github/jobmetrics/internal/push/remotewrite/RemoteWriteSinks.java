package io.github.jobmetrics.internal.push.remotewrite;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushCredentials;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.UnavailablePusher;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Wires a {@link RemoteWriteSink} from settings: {@code remote-write}, {@code remote-write.headers}, and the same
 * {@code push-timeout}, {@code push-retries}, credentials and TLS as the gateway path. The caller delivers the run's final families
 * to it beside (or instead of) the Pushgateway push.
 */
public final class RemoteWriteSinks {
    /** Optional dependencies of the core: the runner bundles them, job code using the API adds them. */
    private static final String[][] LIBRARIES = {
        {"com.google.protobuf.GeneratedMessage", "com.google.protobuf:protobuf-java"},
        {"org.xerial.snappy.Snappy", "org.xerial.snappy:snappy-java"},
    };

    private RemoteWriteSinks() {
    }

    /**
     * The sink for the run of {@code group}; empty when {@code remote-write} is not set, or when a library it needs
     * is not on the class path, which is then said in one line on {@code err}.
     */
    public static Optional<RemoteWriteSink> create(Settings settings, GroupingKey group, Consumer<String> err) {
        Optional<URI> url = settings.remoteWrite();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String missing = missingLibrary(RemoteWriteSinks.class.getClassLoader());
        if (missing != null) {
            err.accept("jobmetrics: remote-write is set but " + missing + " is not on the class path (an optional"
                    + " dependency of io.github.jobmetrics:jobmetrics); nothing is written to " + url.get());
            return Optional.empty();
        }
        Pusher[] pushers = pushers(settings, url.get(), err);
        return Optional.of(new RemoteWriteSink(url.get(), pushers[0], group, settings.pushTimeout(),
                settings.pushRetries(), Spool.withDefaults(settings.spoolDir(), err), err, pushers[1]));
    }

    /**
     * Two pushers with the same credentials and TLS as the gateway's, from the same settings and secret sources:
     * the final write's and the start sample's own (abandoning a slow start write aborts its connection only).
     */
    private static Pusher[] pushers(Settings settings, URI url, Consumer<String> err) {
        try {
            Supplier<Optional<String>> authorization = PushCredentials.authorization(settings);
            SSLSocketFactory tls = PushCredentials.tls(settings);
            Map<String, String> headers = settings.remoteWriteHeaders();
            return new Pusher[] {new RemoteWritePusher(url, headers, authorization, tls),
                new RemoteWritePusher(url, headers, authorization, tls)};
        } catch (IOException e) {
            // As for the gateway: never fail the job for this; the write fails with this reason.
            err.accept("jobmetrics: remote write: " + e.getMessage());
            Pusher unavailable = new UnavailablePusher(e.getMessage());
            return new Pusher[] {unavailable, unavailable};
        }
    }

    /** The Maven coordinates of the first library {@code loader} cannot find, or null when it has them all. */
    @Nullable
    static String missingLibrary(@Nullable ClassLoader loader) {
        for (String[] library : LIBRARIES) {
            try {
                Class.forName(library[0], false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return library[1];
            }
        }
        return null;
    }
}
