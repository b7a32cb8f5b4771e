package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Java25LookupTest {
    @TempDir
    Path dir;

    private Path jdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private Path noToolchains() {
        return dir.resolve("no-toolchains.xml");
    }

    private static String javaOf(Path home) {
        return home.resolve("bin").resolve("java").toString();
    }

    @Test
    void thePropertyWinsOverEveryOtherSource() throws IOException {
        Path given = jdk("given", "25.0.1");
        Path scanned = jdk("jvm/temurin-25", "25.0.3");
        Java25Lookup.Result r = Java25Lookup.find(given.toString(), jdk("home", "25").toString(), noToolchains(),
                scanned.getParent());
        assertEquals(Optional.of(javaOf(given)), r.java());
    }

    @Test
    void thePropertyMayNameTheJavaBinaryItself() throws IOException {
        Path given = jdk("given", "25");
        assertEquals(Optional.of(javaOf(given)),
                Java25Lookup.find(javaOf(given), null, noToolchains(), dir.resolve("none")).java());
    }

    @Test
    void aPropertyPointingAtAMissingPathFindsNothingEvenWhenTheScanWould() throws IOException {
        Path scanned = jdk("jvm/temurin-25", "25.0.3");
        Java25Lookup.Result r = Java25Lookup.find("/nonexistent/jdk-25", null, noToolchains(), scanned.getParent());
        assertEquals(Optional.empty(), r.java());
        assertEquals(List.of("17"), r.versionsToRun(false));
        assertEquals("jobmetrics: agent tests on Java 25 not run: -Djava25=/nonexistent/jdk-25 is not a Java 25 JDK"
                + " (no executable bin/java with a release file of version 25); " + Java25Lookup.HOW_TO_GIVE_ONE,
                r.notRunLine());
    }

    @Test
    void javaHomeVariableIsUsedWhenNoPropertyIsGiven() throws IOException {
        Path home = jdk("home", "25");
        assertEquals(Optional.of(javaOf(home)),
                Java25Lookup.find("", home.toString(), noToolchains(), dir.resolve("none")).java());
    }

    @Test
    void aVersion25JdkInToolchainsIsUsed() throws IOException {
        Path jdk21 = jdk("jdk21", "21.0.2");
        Path jdk25 = jdk("jdk25", "25.0.1");
        Path toolchains = Files.writeString(dir.resolve("toolchains.xml"), "<toolchains>"
                + "<toolchain><type>jdk</type><provides><version>21</version></provides>"
                + "<configuration><jdkHome>" + jdk21 + "</jdkHome></configuration></toolchain>"
                + "<toolchain><type>jdk</type><provides><version>25</version><vendor>temurin</vendor></provides>"
                + "<configuration><jdkHome>" + jdk25 + "</jdkHome></configuration></toolchain></toolchains>");
        assertEquals(Optional.of(javaOf(jdk25)), Java25Lookup.find("", null, toolchains, dir.resolve("none")).java());
    }

    @Test
    void theScanTakesADirectoryNamed25OnlyIfItsReleaseFileSays25() throws IOException {
        jdk("jvm/java-1.8.0_252", "1.8.0_252");
        Path temurin = jdk("jvm/temurin-25-jdk-amd64", "25.0.3");
        Java25Lookup.Result r = Java25Lookup.find("", null, noToolchains(), dir.resolve("jvm"));
        assertEquals(Optional.of(javaOf(temurin)), r.java());
        assertEquals(List.of("17", "25"), r.versionsToRun(true));
    }

    @Test
    void nothingFoundRunsOnly17OrFailsWhenJava25IsRequired() throws IOException {
        jdk("jvm/java-17-openjdk-amd64", "17.0.15");
        Java25Lookup.Result r = Java25Lookup.find(" ", "", noToolchains(), dir.resolve("jvm"));
        assertEquals(List.of("17"), r.versionsToRun(false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.versionsToRun(true));
        assertTrue(e.getMessage().startsWith("Java 25 is required (-Djava25.required=true) but no java25 property,"
                + " no JAVA25_HOME, no version 25 jdk in " + noToolchains() + " and no Java 25 under "
                + dir.resolve("jvm")), e.getMessage());
    }
}
