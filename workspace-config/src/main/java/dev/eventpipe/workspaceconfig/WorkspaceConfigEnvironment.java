package dev.eventpipe.workspaceconfig;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps RudderStack's variables {@code WORKSPACE_CONFIG_PATH}, {@code CONFIG_BACKEND_URL}, {@code WORKSPACE_TOKEN},
 * {@code WORKSPACE_NAMESPACE} and {@code HOSTED_SERVICE_SECRET} onto {@code workspace-config.*} at the lowest
 * precedence, so every data-plane service reads the same variables and explicit properties still win. The
 * defaults themselves are written once, in {@link WorkspaceConfigSettings}.
 */
public final class WorkspaceConfigEnvironment implements EnvironmentPostProcessor {
    private static final Map<String, String> VARIABLES = Map.of(
            "WORKSPACE_CONFIG_PATH", "workspace-config.path",
            "CONFIG_BACKEND_URL", "workspace-config.backend-url",
            "WORKSPACE_TOKEN", "workspace-config.token",
            "WORKSPACE_NAMESPACE", "workspace-config.namespace",
            "HOSTED_SERVICE_SECRET", "workspace-config.namespace-secret");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> mapped = new java.util.HashMap<>();
        VARIABLES.forEach((variable, property) -> {
            String value = environment.getProperty(variable);
            if (value != null) mapped.put(property, value);
        });
        environment.getPropertySources().addLast(new MapPropertySource("workspaceConfigVariables", mapped));
    }
}
