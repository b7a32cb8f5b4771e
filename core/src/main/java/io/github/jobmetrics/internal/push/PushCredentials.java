package io.github.jobmetrics.internal.push;

import io.github.jobmetrics.config.Secrets;
import io.github.jobmetrics.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * The credentials and TLS every HTTP target of a run uses, the Pushgateway and a remote-write receiver alike, from
 * the same settings and secret sources: {@code basic-auth-user} with its password, or a bearer token, and the
 * {@code tls.*} stores. One place, so both targets follow one rule.
 */
public final class PushCredentials {
    private PushCredentials() {
    }

    /**
     * The Authorization header, re-read from its file or the environment at every push. A secret that cannot be
     * read fails with a message naming the setting, never the secret.
     */
    public static Supplier<Optional<String>> authorization(Settings settings) {
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

    /** TLS from the {@code tls.*} settings; the exception's message names the store, never its password. */
    public static SSLSocketFactory tls(Settings settings) throws IOException {
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
