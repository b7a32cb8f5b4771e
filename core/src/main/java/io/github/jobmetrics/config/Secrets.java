package io.github.jobmetrics.config;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the push credentials come from, read again at each call so that a rotated file is picked up by the next
 * push and no secret stays in memory between pushes.
 *
 * <p>Each secret comes from the file named by its {@code ...-file} key, else from its environment variable
 * (captured when the settings were loaded; an empty variable counts as unset). One trailing newline ({@code \n}
 * or {@code \r\n}) is stripped from a file, since editors and {@code echo} add one. An empty or unreadable file is
 * a {@link SettingsException} that names the key and the file, never the content. {@link #toString()} says only
 * which sources are configured.
 */
public final class Secrets {

    /** Environment variable holding the basic auth password. */
    public static final String BASIC_AUTH_PASSWORD_VARIABLE = "JOBMETRICS_BASIC_AUTH_PASSWORD";
    /** Environment variable holding the bearer token. */
    public static final String BEARER_TOKEN_VARIABLE = "JOBMETRICS_BEARER_TOKEN";
    /** Environment variable holding the trust store password. */
    public static final String TRUST_STORE_PASSWORD_VARIABLE = "JOBMETRICS_TLS_TRUST_STORE_PASSWORD";
    /** Environment variable holding the key store password. */
    public static final String KEY_STORE_PASSWORD_VARIABLE = "JOBMETRICS_TLS_KEY_STORE_PASSWORD";

    /** A secret file larger than this is a mistake (a store named instead of its password file, say). */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private static final Secrets NONE = new Secrets(Source.none(SettingKey.BASIC_AUTH_PASSWORD_FILE),
            Source.none(SettingKey.BEARER_TOKEN_FILE), Source.none(SettingKey.TLS_TRUST_STORE_PASSWORD_FILE),
            Source.none(SettingKey.TLS_KEY_STORE_PASSWORD_FILE));

    private final Source basicAuthPassword;
    private final Source bearerToken;
    private final Source trustStorePassword;
    private final Source keyStorePassword;

    Secrets(Source basicAuthPassword, Source bearerToken, Source trustStorePassword, Source keyStorePassword) {
        this.basicAuthPassword = requireNonNull(basicAuthPassword, "basicAuthPassword must not be null");
        this.bearerToken = requireNonNull(bearerToken, "bearerToken must not be null");
        this.trustStorePassword = requireNonNull(trustStorePassword, "trustStorePassword must not be null");
        this.keyStorePassword = requireNonNull(keyStorePassword, "keyStorePassword must not be null");
    }

    /** No secrets at all. */
    public static Secrets none() {
        return NONE;
    }

    /**
     * The basic auth password, read now. A control character (a line break inside the file, say) is refused
     * here, naming the source: such a password cannot be right, and it must not cost the run.
     */
    public Optional<String> basicAuthPassword() throws SettingsException {
        return basicAuthPassword.readHeaderSafe(false);
    }

    /**
     * The bearer token, read now. Anything but printable ASCII (a line break inside the file, say) is refused
     * here, naming the source: an HTTP header cannot carry it, and the JDK's own error would quote the token.
     */
    public Optional<String> bearerToken() throws SettingsException {
        return bearerToken.readHeaderSafe(true);
    }

    /** The trust store password, read now; the caller may clear the array after use. */
    public Optional<char[]> trustStorePassword() throws SettingsException {
        return trustStorePassword.readChars();
    }

    /** The key store password, read now; the caller may clear the array after use. */
    public Optional<char[]> keyStorePassword() throws SettingsException {
        return keyStorePassword.readChars();
    }

    Source basicAuthPasswordSource() {
        return basicAuthPassword;
    }

    Source bearerTokenSource() {
        return bearerToken;
    }

    Source trustStorePasswordSource() {
        return trustStorePassword;
    }

    Source keyStorePasswordSource() {
        return keyStorePassword;
    }

    /** Names the configured sources, for example {@code Secrets[bearerToken=file /run/token]}; never a value. */
    @Override
    public String toString() {
        return "Secrets[basicAuthPassword=" + basicAuthPassword + ", bearerToken=" + bearerToken
                + ", trustStorePassword=" + trustStorePassword + ", keyStorePassword=" + keyStorePassword + "]";
    }

    /** One secret's file (with the source that named it) or environment variable, or neither. */
    static final class Source {

        private final SettingKey fileKey;
        @Nullable private final Path file;
        private final String fileOrigin;
        @Nullable private final String variable;
        @Nullable private final String variableValue;

        private Source(SettingKey fileKey, @Nullable Path file, String fileOrigin, @Nullable String variable,
                @Nullable String variableValue) {
            this.fileKey = fileKey;
            this.file = file;
            this.fileOrigin = fileOrigin;
            this.variable = variable;
            this.variableValue = variableValue;
        }

        static Source none(SettingKey fileKey) {
            return new Source(fileKey, null, "", null, null);
        }

        /**
         * @param file the file named by the {@code ...-file} key, or null
         * @param fileOrigin where that key came from, for messages
         * @param variable the environment variable's name
         * @param variableValue its value, or null or empty when unset
         */
        static Source of(SettingKey fileKey, @Nullable Path file, String fileOrigin, String variable,
                @Nullable String variableValue) {
            return new Source(fileKey, file, fileOrigin, variable,
                    variableValue == null || variableValue.isEmpty() ? null : variableValue);
        }

        boolean isConfigured() {
            return file != null || variableValue != null;
        }

        Optional<String> readString() throws SettingsException {
            Optional<char[]> chars = readChars();
            if (chars.isEmpty()) {
                return Optional.empty();
            }
            String value = new String(chars.get());
            Arrays.fill(chars.get(), '\0');
            return Optional.of(value);
        }

        /** The secret, refused when it holds a control character (or, with {@code asciiOnly}, any non-ASCII). */
        Optional<String> readHeaderSafe(boolean asciiOnly) throws SettingsException {
            Optional<String> value = readString();
            if (value.isEmpty()) {
                return value;
            }
            for (int i = 0; i < value.get().length(); i++) {
                char c = value.get().charAt(i);
                if (c < 0x20 || c == 0x7f || asciiOnly && c > 0x7e) {
                    String problem = (c == '\r' || c == '\n' ? "holds a line break" : "holds a character")
                            + " that cannot be sent in an HTTP header"
                            + (file != null ? "; keep only the secret in the file (one trailing newline is fine)"
                                    : "; set the variable to the secret alone");
                    if (file != null) {
                        throw failure(file, problem);
                    }
                    throw new SettingsException(fileKey.key(), "environment variable " + variable, problem);
                }
            }
            return value;
        }

        Optional<char[]> readChars() throws SettingsException {
            if (file != null) {
                return Optional.of(readFile(file));
            }
            return variableValue == null ? Optional.empty() : Optional.of(variableValue.toCharArray());
        }

        private char[] readFile(Path path) throws SettingsException {
            byte[] bytes;
            try {
                if (Files.size(path) > MAX_FILE_BYTES) {
                    throw failure(path, "is larger than 64 KiB; name the file that holds only the secret");
                }
                bytes = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw failure(path, "does not exist; create it or correct the path");
            } catch (AccessDeniedException e) {
                throw failure(path, "is not readable by this process; fix its permissions");
            } catch (IOException e) {
                // Not the exception's message: only its kind, so nothing the file system says can leak.
                throw failure(path, "cannot be read (" + e.getClass().getSimpleName() + "); check the file");
            }
            CharBuffer decoded;
            try {
                decoded = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw failure(path, "is not UTF-8 text; store the secret as UTF-8");
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            int length = decoded.remaining();
            if (length > 0 && decoded.get(length - 1) == '\n') {
                length--;
                if (length > 0 && decoded.get(length - 1) == '\r') {
                    length--;
                }
            }
            char[] secret = new char[length];
            decoded.get(secret);
            Arrays.fill(decoded.array(), '\0');
            if (length == 0) {
                throw failure(path, "is empty; put the secret in it");
            }
            return secret;
        }

        private SettingsException failure(Path path, String problem) {
            return new SettingsException(fileKey.key(), fileOrigin, "file " + path + " " + problem);
        }

        @Override
        public String toString() {
            if (file != null) {
                return "file " + file;
            }
            return variableValue != null ? "environment variable " + variable : "none";
        }
    }
}
