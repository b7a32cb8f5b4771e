/**
 * jobmetrics: run, record and SLO metrics for short-lived batch jobs, pushed to a Prometheus Pushgateway.
 *
 * <p>Packages by capability: {@code api} is what job code sees; {@code config} reads settings; {@code model} holds
 * the run registry; {@code textformat} reads the Prometheus text format; {@code push} talks to the Pushgateway;
 * {@code cli} is the job-runner command line.
 */
package io.github.jobmetrics;
