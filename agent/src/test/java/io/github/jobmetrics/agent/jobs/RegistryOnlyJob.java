package io.github.jobmetrics.agent.jobs;

import io.prometheus.client.Counter;

/** A job that counts into simpleclient's default registry and never calls the jobmetrics API. */
public final class RegistryOnlyJob {
    private RegistryOnlyJob() {
    }

    public static void main(String[] args) {
        Counter.build("registry_only_job_total", "The job's own counter.").register().inc(7);
    }
}
