package io.github.jobmetrics.cli.jobs;

/** Test agent: prints the arguments it was given, to check the -javaagent flag the runner builds. */
public final class EchoAgent {
    private EchoAgent() {
    }

    public static void premain(String args) {
        System.err.println("echo-agent args: " + args + " textfile set: "
                + (System.getenv("JOBMETRICS_TEXTFILE") != null));
    }
}
