package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The quick parser and picocli agree on every command line the quick parser accepts. */
class MatchedArgsTest {
    static Stream<List<String>> plainCommandLines() {
        return Stream.of(
                List.of("--", "app.jar"),
                List.of("app.jar", "--gateway", "x", "--"),
                List.of("--gateway", "http://gw:9091", "--job=etl", "--", "app.jar", "a", "-b"),
                List.of("--gateway=http://gw:9091", "--push-timeout", "5s", "--push-retries=0", "python3", "x.py"),
                List.of("--grouping-key", "team=a/b", "--grouping-key=dc=x", "--records-stage", "load=a.B#c", "--",
                        "--main-class", "a.B", "--classpath", "lib/*"),
                List.of("--jvm-option=-Xmx64m", "--jvm-option=-Dx=y", "--no-agent", "app.jar"),
                List.of("--jvm-option", "-Xmx64m", "--jvm-option", "-XX:+UseSerialGC", "--jvm-option", "-Dx=-y",
                        "--", "app.jar"),
                List.of("--accumulate", "app.jar"),
                List.of("--accumulate", "--push-at-start=false", "--agent=TRUE", "--", "app.jar"),
                List.of("-cp", "lib/*", "--main-class", "a.B", "arg"),
                List.of("--classpath=lib", "--main-class=a.B", "--", "--x"),
                List.of("--timeout", "2h", "--agent-jar", "/opt/a.jar", "--tls-trust-store", "t.p12", "--", "x"),
                List.of("--spool-dir", "", "--", "x"),
                List.of("--", "--", "x"),
                List.of("", "x"));
    }

    static Stream<List<String>> unusualCommandLines() {
        return Stream.of(
                List.of("--help"), List.of("-V"), List.of("--accumulate", "true", "app.jar"),
                List.of("--gateway", "--job", "x"), List.of("--jvm-option", "-ea", "app.jar"),
                List.of("--jvm-option", "-D", "app.jar"),
                List.of("--no-agent=true", "x"), List.of("--job", "a", "--job", "b", "x"), List.of("-x", "y"),
                List.of("--gateway"));
    }

    private static Optional<MatchedArgs> picocli(List<String> args) throws UsageException {
        return PicocliParser.parse(args.toArray(new String[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("plainCommandLines")
    void plainCommandLinesSkipPicocliAndParseTheSame(List<String> args) throws Exception {
        Optional<MatchedArgs> quick = MatchedArgs.plain(args.toArray(new String[0]), RunnerCommandLine.OPTIONS);
        assertTrue(quick.isPresent(), "plain: " + args);
        assertEquals(picocli(args), quick);
    }

    @ParameterizedTest
    @MethodSource("unusualCommandLines")
    void unusualCommandLinesAreLeftToPicocli(List<String> args) {
        assertTrue(MatchedArgs.plain(args.toArray(new String[0]), RunnerCommandLine.OPTIONS).isEmpty(),
                args.toString());
    }
}
