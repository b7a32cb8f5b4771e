/**
 * Settings of a run: one key per setting ({@link io.github.jobmetrics.config.SettingKey}), read from runner
 * options or agent arguments, {@code jobmetrics.*} system properties, {@code JOBMETRICS_*} environment variables
 * and a properties file ({@link io.github.jobmetrics.config.SettingsLoader}), validated into an immutable
 * {@link io.github.jobmetrics.config.Settings}. Secrets are never settings: they are read from files or the
 * environment at each push ({@link io.github.jobmetrics.config.Secrets}).
 */
package io.github.jobmetrics.config;
