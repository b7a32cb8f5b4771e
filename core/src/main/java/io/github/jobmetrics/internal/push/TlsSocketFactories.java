package io.github.jobmetrics.internal.push;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the socket factory for one {@link HttpPusher} from PKCS12 stores. Nothing JVM-wide is touched (no
 * {@code javax.net.ssl.*} properties, no default {@link SSLContext}), because the agent shares the JVM with a
 * job that has its own TLS setup. Hostname verification stays on.
 */
public final class TlsSocketFactories {
    private TlsSocketFactories() {
    }

    /**
     * A factory trusting {@code trustStore} (else the JVM's default trust) and presenting {@code keyStore}'s key
     * (mTLS) when given; null when neither is given. Errors name the store file, never a password.
     */
    @Nullable
    public static SSLSocketFactory create(@Nullable Path trustStore, @Nullable char[] trustPassword,
            @Nullable Path keyStore, @Nullable char[] keyPassword) throws IOException {
        if (trustStore == null && keyStore == null) {
            return null;
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, trustPassword, "tls.trust-store"));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, keyPassword, "tls.key-store"), keyPassword == null ? new char[0] : keyPassword);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getClass().getSimpleName(), e);
        }
    }

    private static KeyStore load(Path file, @Nullable char[] password, String key)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException; the message carries no secret but say it plainly.
            throw new IOException(key + ": cannot read PKCS12 store " + file + " (" + e.getMessage()
                    + "); check the file and its password file", e);
        }
        return ks;
    }
}
