package io.github.jobmetrics.internal.push.remotewrite;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.push.GroupingKey;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Wires a {@link RemoteWriteSink} from settings: {@code remote-write}, {@code remote-write.headers}, and the same
 * {@code push-timeout} and {@code push-retries} as the gateway path. The caller delivers the run's final families
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
        // Credentials and TLS are not wired yet: the gateway's live in internal.run.PushEngines, private there.
        RemoteWritePusher pusher = new RemoteWritePusher(url.get(), settings.remoteWriteHeaders(), Optional::empty,
                null);
        return Optional.of(new RemoteWriteSink(url.get(), pusher, group, settings.pushTimeout(),
                settings.pushRetries()));
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
