package io.github.jobmetrics.springbatch.v5;

import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.springbatch.BatchRuns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Spring Boot 3 auto-configuration: every job and step of the application is measured, with settings from the
 * {@code jobmetrics.*} properties (application.yml or .properties, system properties, environment). Off with
 * {@code jobmetrics.enabled=false}. {@code jobmetrics.spring-batch.grouping-parameters} names the identifying job
 * parameters that join the grouping key.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.batch.core.JobExecution")
@ConditionalOnProperty(prefix = "jobmetrics", name = "enabled", havingValue = "true", matchIfMissing = true)
public class JobMetricsBatchAutoConfiguration {
    static final String GROUPING_PARAMETERS = BatchRuns.OWN_PROPERTY_PREFIX + "grouping-parameters";

    /** The listener every job and step gets. */
    @Bean
    @ConditionalOnMissingBean
    public JobMetricsBatchListener jobMetricsBatchListener(ConfigurableEnvironment environment) {
        List<String> grouping = new ArrayList<>();
        for (String name : environment.getProperty(GROUPING_PARAMETERS, "").split(",")) {
            if (!name.isBlank()) {
                grouping.add(name.strip());
            }
        }
        return new JobMetricsBatchListener(new BatchRuns(settings(environment), grouping, System.getProperties(),
                System.getenv(), System.err));
    }

    /** Attaches the listener to jobs and steps as they are created. */
    @Bean
    static ListenerAttacher jobMetricsListenerAttacher(ObjectProvider<JobMetricsBatchListener> listener) {
        return new ListenerAttacher(listener::getObject, System.err);
    }

    /** The {@code jobmetrics.*} properties as settings keys, without the ones only this module reads. */
    static Map<String, String> settings(ConfigurableEnvironment environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(SettingKey.SYSTEM_PROPERTY_PREFIX) || name.equals(BatchRuns.ENABLED_PROPERTY)
                        || name.startsWith(BatchRuns.OWN_PROPERTY_PREFIX)) {
                    continue;
                }
                String key = name.substring(SettingKey.SYSTEM_PROPERTY_PREFIX.length());
                // Sources come strongest first; the environment resolves placeholders and precedence for us.
                settings.computeIfAbsent(key, k -> environment.getProperty(name));
            }
        }
        return settings;
    }
}
