package io.github.jobmetrics.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Finds a Java 25 for the agent tests that run on it, so the test command passes on any machine with Java 17+.
 * Looks, in order, at the {@code java25} build property, the {@code JAVA25_HOME} variable, a JDK of version 25 in
 * Maven's {@code toolchains.xml}, and directories under {@code /usr/lib/jvm} whose name holds 25. A location the
 * user names (the property or the variable) is the only one looked at: a wrong path there is reported, not
 * silently replaced by another JDK. A JDK whose {@code release} file gives another version is not taken.
 */
final class Java25Lookup {
    static final String HOW_TO_GIVE_ONE = "give one with -Djava25=/path/to/jdk, JAVA25_HOME, a version 25 jdk in"
            + " ~/.m2/toolchains.xml or a JDK under /usr/lib/jvm";

    /** What was found: the java binary, or why there is none. */
    record Result(Optional<String> java, String why) {
        /** The Java versions the agent tests run on; without a Java 25, only 17, unless 25 is required. */
        List<String> versionsToRun(boolean required) {
            if (java.isPresent()) {
                return List.of("17", "25");
            }
            if (required) {
                throw new IllegalStateException("Java 25 is required (-Djava25.required=true) but " + why + "; "
                        + HOW_TO_GIVE_ONE);
            }
            return List.of("17");
        }

        /** The one line a build without Java 25 prints. */
        String notRunLine() {
            return "jobmetrics: agent tests on Java 25 not run: " + why + "; " + HOW_TO_GIVE_ONE;
        }
    }

    private Java25Lookup() {
    }

    /**
     * @param property the {@code java25} build property (a JDK home or its bin/java), blank when not given
     * @param javaHomeVariable the value of {@code JAVA25_HOME}, null or blank when not set
     * @param toolchains Maven's user toolchains file (it may not exist)
     * @param jvmDir the directory JDKs are installed under, {@code /usr/lib/jvm} on Debian
     */
    static Result find(String property, String javaHomeVariable, Path toolchains, Path jvmDir) {
        if (property != null && !property.isBlank()) {
            return named("-Djava25=" + property, Path.of(property.strip()));
        }
        if (javaHomeVariable != null && !javaHomeVariable.isBlank()) {
            return named("JAVA25_HOME=" + javaHomeVariable, Path.of(javaHomeVariable.strip()));
        }
        for (Path home : toolchainHomes(toolchains)) {
            Optional<String> java = java25(home);
            if (java.isPresent()) {
                return new Result(java, "found in " + toolchains);
            }
        }
        for (Path home : candidatesUnder(jvmDir)) {
            Optional<String> java = java25(home);
            if (java.isPresent()) {
                return new Result(java, "found under " + jvmDir);
            }
        }
        return new Result(Optional.empty(), "no java25 property, no JAVA25_HOME, no version 25 jdk in "
                + toolchains + " and no Java 25 under " + jvmDir);
    }

    private static Result named(String source, Path path) {
        Path home = path.endsWith(Path.of("bin", "java")) ? path.getParent().getParent() : path;
        Optional<String> java = java25(home);
        return java.isPresent() ? new Result(java, "given by " + source)
                : new Result(Optional.empty(), source + " is not a Java 25 JDK (no executable bin/java with a"
                        + " release file of version 25)");
    }

    /** {@code home/bin/java} if it is executable and the JDK's release file, when there is one, says 25. */
    static Optional<String> java25(Path home) {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            return Optional.empty();
        }
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
            try {
                boolean is25 = Files.readAllLines(release, StandardCharsets.UTF_8).stream()
                        .anyMatch(l -> l.startsWith("JAVA_VERSION=\"25\"") || l.startsWith("JAVA_VERSION=\"25."));
                if (!is25) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(java.toString());
    }

    private static List<Path> candidatesUnder(Path jvmDir) {
        if (!Files.isDirectory(jvmDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jvmDir)) {
            return dirs.filter(d -> d.getFileName().toString().contains("25")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The jdkHome of every toolchain of type jdk that provides version 25 (or 25.x). */
    private static List<Path> toolchainHomes(Path toolchains) {
        List<Path> homes = new ArrayList<>();
        if (!Files.isRegularFile(toolchains)) {
            return homes;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(toolchains.toFile());
            NodeList chains = doc.getElementsByTagName("toolchain");
            for (int i = 0; i < chains.getLength(); i++) {
                Element chain = (Element) chains.item(i);
                String version = text(chain, "version");
                if (text(chain, "type").equals("jdk") && (version.equals("25") || version.startsWith("25."))) {
                    String home = text(chain, "jdkHome");
                    if (!home.isEmpty()) {
                        homes.add(Path.of(home));
                    }
                }
            }
        } catch (Exception unreadable) {
            // A broken toolchains file is Maven's to report; here it simply names no JDK.
        }
        return homes;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }
}
