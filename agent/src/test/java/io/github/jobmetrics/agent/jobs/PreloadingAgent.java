package io.github.jobmetrics.agent.jobs;

import java.lang.instrument.Instrumentation;

/** A second agent, listed before ours, that loads a job class before our agent starts. */
public final class PreloadingAgent {
    private PreloadingAgent() {
    }

    public static void premain(String className, Instrumentation inst) throws ClassNotFoundException {
        Class.forName(className, true, ClassLoader.getSystemClassLoader());
    }
}
