package io.github.jobmetrics.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    private static final String SECRET = "s3cr3t-Zebra-7731";

    @TempDir
    Path dir;

    private Secrets bearerFrom(Path file) throws SettingsException {
        return SettingsLoader.load(Map.of("bearer-token-file", file.toString()), "option", new Properties(), Map.of())
                .secrets();
    }

    @Test
    void secretFileIsReadAgainAtEachCall() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first\n");
        Secrets secrets = bearerFrom(file);
        assertEquals(Optional.of("first"), secrets.bearerToken());
        Files.writeString(file, "second\n");
        assertEquals(Optional.of("second"), secrets.bearerToken());
    }

    @Test
    void onlyOneTrailingNewlineIsStripped() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), SECRET + "\n\n");
        SettingsException twoLines = assertThrows(SettingsException.class, () -> bearerFrom(file).bearerToken());
        assertTrue(twoLines.getMessage().contains("holds a line break"), twoLines.getMessage());
        Files.writeString(file, SECRET + "\r\n");
        assertEquals(Optional.of(SECRET), bearerFrom(file).bearerToken());
        Files.writeString(file, SECRET);
        assertEquals(Optional.of(SECRET), bearerFrom(file).bearerToken());
    }

    @Test
    void bearerTokenWithALineBreakOrLoneCarriageReturnIsRefusedNamingTheFileNeverTheValue() throws Exception {
        for (String content : new String[] {SECRET + "\nsecond-line-7731\n", SECRET + "\rtail-7731", "a\u00e9b"}) {
            Path file = Files.writeString(dir.resolve("token"), content);
            SettingsException e = assertThrows(SettingsException.class, () -> bearerFrom(file).bearerToken());
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("bearer-token-file"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("cannot be sent in an HTTP header"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains("7731"), e.getMessage());
        }
    }

    @Test
    void passwordWithAControlCharacterFromTheEnvironmentIsRefusedNamingTheVariable() throws Exception {
        Secrets secrets = SettingsLoader.load(Map.of("basic-auth-user", "u"), "option", new Properties(),
                Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, SECRET + "\r")).secrets();
        SettingsException e = assertThrows(SettingsException.class, secrets::basicAuthPassword);
        assertTrue(e.getMessage().contains(Secrets.BASIC_AUTH_PASSWORD_VARIABLE), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void fileWinsOverEnvironmentVariable() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "from-file\n");
        Secrets secrets = SettingsLoader.load(Map.of("basic-auth-user", "u", "basic-auth-password-file",
                file.toString()), "option", new Properties(), Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, "from-env"))
                .secrets();
        assertEquals(Optional.of("from-file"), secrets.basicAuthPassword());
    }

    @Test
    void environmentVariablesSupplyEverySecretWhenNoFileIsNamed() throws Exception {
        Path store = Files.write(dir.resolve("store.p12"), new byte[] {1});
        Secrets secrets = SettingsLoader.load(Map.of("basic-auth-user", "u", "tls.trust-store", store.toString(),
                "tls.key-store", store.toString()), "option", new Properties(), Map.of(
                        Secrets.BASIC_AUTH_PASSWORD_VARIABLE, "pw",
                        Secrets.TRUST_STORE_PASSWORD_VARIABLE, "trust",
                        Secrets.KEY_STORE_PASSWORD_VARIABLE, "key")).secrets();
        assertEquals(Optional.of("pw"), secrets.basicAuthPassword());
        assertArrayEquals("trust".toCharArray(), secrets.trustStorePassword().orElseThrow());
        assertArrayEquals("key".toCharArray(), secrets.keyStorePassword().orElseThrow());
        assertEquals(Optional.empty(), secrets.bearerToken());
    }

    @Test
    void storePasswordsComeFromTheirFiles() throws Exception {
        Path store = Files.write(dir.resolve("store.p12"), new byte[] {1});
        Path trust = Files.writeString(dir.resolve("trust"), "trust-pw\n");
        Path key = Files.writeString(dir.resolve("key"), "key-pw\n");
        Secrets secrets = SettingsLoader.load(Map.of("tls.trust-store", store.toString(),
                "tls.trust-store-password-file", trust.toString(), "tls.key-store", store.toString(),
                "tls.key-store-password-file", key.toString()), "option", new Properties(), Map.of()).secrets();
        assertArrayEquals("trust-pw".toCharArray(), secrets.trustStorePassword().orElseThrow());
        assertArrayEquals("key-pw".toCharArray(), secrets.keyStorePassword().orElseThrow());
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() throws Exception {
        Secrets secrets = SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of(Secrets.BEARER_TOKEN_VARIABLE, "")).secrets();
        assertEquals(Optional.empty(), secrets.bearerToken());
        assertEquals("Secrets[basicAuthPassword=none, bearerToken=none, trustStorePassword=none,"
                + " keyStorePassword=none]", secrets.toString());
    }

    @Test
    void fileRemovedAfterLoadingIsAnErrorNamingKeyAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), SECRET);
        Secrets secrets = bearerFrom(file);
        Files.delete(file);
        SettingsException e = assertThrows(SettingsException.class, secrets::bearerToken);
        assertEquals("bearer-token-file (option --bearer-token-file) file " + file
                + " does not exist; create it or correct the path", e.getMessage());
        assertEquals("bearer-token-file", e.key());
        assertEquals("option --bearer-token-file", e.source());
    }

    @Test
    void emptyFileIsAnErrorNamingKeyAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "\n");
        SettingsException e = assertThrows(SettingsException.class, () -> bearerFrom(file).bearerToken());
        assertEquals("bearer-token-file (option --bearer-token-file) file " + file
                + " is empty; put the secret in it", e.getMessage());
    }

    @Test
    void nonUtf8FileIsAnErrorThatDoesNotShowTheContent() throws Exception {
        Path file = Files.write(dir.resolve("token"), new byte[] {'a', (byte) 0xff, 'b'});
        SettingsException e = assertThrows(SettingsException.class, () -> bearerFrom(file).bearerToken());
        assertEquals("bearer-token-file (option --bearer-token-file) file " + file
                + " is not UTF-8 text; store the secret as UTF-8", e.getMessage());
    }

    @Test
    void oversizedFileIsAnErrorThatDoesNotShowTheContent() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), SECRET.repeat(5000));
        SettingsException e = assertThrows(SettingsException.class, () -> bearerFrom(file).bearerToken());
        assertFalse(e.getMessage().contains(SECRET));
        assertEquals("bearer-token-file (option --bearer-token-file) file " + file
                + " is larger than 64 KiB; name the file that holds only the secret", e.getMessage());
    }

    @Test
    void unreadableFileIsAnErrorNamingKeyAndFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), SECRET);
        Secrets secrets = bearerFrom(file);
        Files.delete(file);
        Files.createDirectory(file); // reading a directory fails with an IOException that is neither of the above
        SettingsException e = assertThrows(SettingsException.class, secrets::bearerToken);
        assertEquals("bearer-token-file", e.key());
        assertFalse(e.getMessage().contains(SECRET));
        assertEquals(true, e.getMessage().startsWith("bearer-token-file (option --bearer-token-file) file " + file
                + " cannot be read ("), e.getMessage());
    }

    @Test
    void toStringNamesSourcesAndNeverTheSecret() throws IOException, SettingsException {
        Path file = Files.writeString(dir.resolve("token"), SECRET, StandardCharsets.UTF_8);
        Secrets fromFile = bearerFrom(file);
        assertEquals("Secrets[basicAuthPassword=none, bearerToken=file " + file + ", trustStorePassword=none,"
                + " keyStorePassword=none]", fromFile.toString());
        Secrets fromEnv = SettingsLoader.load(Map.of("basic-auth-user", "u"), "option", new Properties(),
                Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, SECRET)).secrets();
        assertEquals("Secrets[basicAuthPassword=environment variable JOBMETRICS_BASIC_AUTH_PASSWORD,"
                + " bearerToken=none, trustStorePassword=none, keyStorePassword=none]", fromEnv.toString());
    }

    @Test
    void noneHasNoSecrets() throws SettingsException {
        assertEquals(Optional.empty(), Secrets.none().basicAuthPassword());
        assertEquals(Optional.empty(), Secrets.none().bearerToken());
        assertEquals(Optional.empty(), Secrets.none().trustStorePassword());
        assertEquals(Optional.empty(), Secrets.none().keyStorePassword());
    }
}
