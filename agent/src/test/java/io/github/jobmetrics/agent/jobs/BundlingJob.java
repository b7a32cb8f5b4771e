package io.github.jobmetrics.agent.jobs;

import io.prometheus.client.Gauge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A job that brings its own Byte Buddy and simpleclient on its class path and uses both; {@code step} is a
 * records pattern (3 calls).
 */
public final class BundlingJob {
    private BundlingJob() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> made = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the job"))
                .make().load(BundlingJob.class.getClassLoader()).getLoaded();
        System.out.println(made.getDeclaredConstructor().newInstance());
        Gauge.build("bundling_job_items", "The job's own gauge.").register().set(7);
        for (int i = 0; i < 3; i++) {
            step();
        }
        System.out.println("bundled done");
    }

    static void step() {
    }
}
