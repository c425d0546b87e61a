package dev.eventpipe.jobsdb;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps RudderStack's database variables ({@code JOBS_DB_HOST}, {@code JOBS_DB_PORT}, {@code JOBS_DB_USER},
 * {@code JOBS_DB_PASSWORD}, {@code JOBS_DB_DB_NAME}, {@code JOBS_DB_SSL_MODE}) onto Spring's datasource settings
 * at the lowest precedence, so every service reads the same variables and an explicit {@code spring.datasource.url}
 * still wins.
 */
public final class JobsDbEnvironment implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "jobsDbDefaults",
                        Map.of(
                                "spring.datasource.url",
                                "jdbc:postgresql://${JOBS_DB_HOST:127.0.0.1}:${JOBS_DB_PORT:5432}/${JOBS_DB_DB_NAME:eventpipe}"
                                        + "?sslmode=${JOBS_DB_SSL_MODE:disable}",
                                "spring.datasource.username",
                                "${JOBS_DB_USER:postgres}",
                                "spring.datasource.password",
                                "${JOBS_DB_PASSWORD:}")));
    }
}
