package io.github.jobmetrics.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.RunEnding;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS, mTLS and credentials against a loopback HTTPS server with certificates made by keytool for this test.
 * Every output line is checked for the secrets.
 */
class TlsAndAuthIT {
    private static final String STORE_PASSWORD = "store-pw-never-shown";
    private static final String TOKEN = "token-never-shown-123";
    @TempDir static Path certs;
    @TempDir Path tmp;
    private HttpsServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> err = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-dname", "CN=job", "-validity", "2",
                "-keystore", "client.p12");
        keytool("-exportcert", "-alias", "gateway", "-keystore", "server.p12", "-file", "server.crt");
        keytool("-exportcert", "-alias", "client", "-keystore", "client.p12", "-file", "client.crt");
        keytool("-importcert", "-noprompt", "-alias", "gateway", "-file", "server.crt", "-keystore", "trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt",
                "-keystore", "server-trust.p12");
        Files.writeString(certs.resolve("store-password"), STORE_PASSWORD + "\n");
        Files.writeString(certs.resolve("token"), TOKEN + "\n");
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.resolve(name))) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    private void startServer(boolean needClientAuth) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load("server.p12"), STORE_PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load("server-trust.p12"));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String push(String... settings) throws Exception {
        Map<String, String> explicit = new HashMap<>();
        explicit.put("gateway", "https://127.0.0.1:" + server.getAddress().getPort());
        explicit.put("job", "tls_job");
        explicit.put("push-at-start", "false");
        explicit.put("push-timeout", "3s");
        explicit.put("push-retries", "0");
        explicit.put("spool-dir", tmp.resolve("spool").toString());
        for (int i = 0; i < settings.length; i += 2) {
            explicit.put(settings[i], settings[i + 1]);
        }
        RunSession session = RunSession.start(SettingsLoader.load(explicit, "test", new Properties(), Map.of()),
                RunMode.API, "x", System.currentTimeMillis(), null, null, err::add);
        session.finish(RunEnding.success(System.currentTimeMillis()), List.of());
        for (String line : err) {
            assertFalse(line.contains(TOKEN) || line.contains(STORE_PASSWORD), "secret in output: " + line);
        }
        return err.get(err.size() - 1);
    }

    @Test
    void pushOverTlsWithTrustStoreAndBearerTokenFromAFile() throws Exception {
        startServer(false);
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", certs.resolve("store-password").toString(),
                "bearer-token-file", certs.resolve("token").toString());
        assertTrue(line.contains("pushed PUT"), line);
        assertEquals(List.of("Bearer " + TOKEN), authorizations);
    }

    @Test
    void untrustedCertificateFailsWithOneClearLine() throws Exception {
        startServer(false);
        String line = push();
        assertTrue(line.contains("SSLHandshakeException") || line.contains("PKIX"), line);
        assertTrue(line.contains("saved to"), line);
    }

    @Test
    void trustStoreThatCannotBeOpenedSpoolsTheRunInsteadOfFailingTheJob() throws Exception {
        startServer(false);
        Files.writeString(tmp.resolve("wrong-password"), "not-the-password");
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", tmp.resolve("wrong-password").toString());
        assertTrue(line.contains("tls.trust-store") && line.contains("saved to"), line);
        assertTrue(authorizations.isEmpty());
    }

    @Test
    void mutualTlsPresentsTheClientKey() throws Exception {
        startServer(true);
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", certs.resolve("store-password").toString(),
                "tls.key-store", certs.resolve("client.p12").toString(),
                "tls.key-store-password-file", certs.resolve("store-password").toString());
        assertTrue(line.contains("pushed PUT"), line);
    }

    @Test
    void mutualTlsWithoutAClientKeyIsRefused() throws Exception {
        startServer(true);
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", certs.resolve("store-password").toString());
        assertTrue(line.contains("saved to"), line);
        assertTrue(authorizations.isEmpty());
    }

    @Test
    void basicAuthPasswordComesFromItsFileAndIsNeverPrinted() throws Exception {
        startServer(false);
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", certs.resolve("store-password").toString(),
                "basic-auth-user", "pusher",
                "basic-auth-password-file", certs.resolve("token").toString());
        assertTrue(line.contains("pushed PUT"), line);
        assertEquals(List.of("Basic " + java.util.Base64.getEncoder().encodeToString(("pusher:" + TOKEN).getBytes())),
                authorizations);
    }

    @Test
    void bearerTokenWithALineBreakOverTlsIsNeverSentAndNoLineShowsIt() throws Exception {
        startServer(false);
        String first = "tok-first-never-shown";
        String second = "tok-second-never-shown";
        Path token = Files.writeString(tmp.resolve("broken-token"), first + "\n" + second + "\n");
        String line = push("tls.trust-store", certs.resolve("trust.p12").toString(),
                "tls.trust-store-password-file", certs.resolve("store-password").toString(),
                "bearer-token-file", token.toString());
        for (String l : err) {
            assertFalse(l.contains(first) || l.contains(second), "secret in output: " + l);
        }
        assertTrue(line.contains(token.toString()) && line.contains("saved to"), line);
        assertTrue(authorizations.isEmpty(), "nothing was sent: " + authorizations);
    }
}
