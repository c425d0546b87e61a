package dev.eventpipe.configbackend.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}), with both auth schemes. */
@Configuration
class ApiDocumentation {
    @Bean
    OpenAPI openApi() {
        return new OpenAPI()
                .info(new Info().title("eventpipe control plane").version("v1").description("""
                                People log in with POST /api/v1/auth/login and send the answered token as \
                                'Authorization: Bearer <token>'; API tokens (ept_...) are sent the same way. (The web \
                                app instead keeps its session in the HttpOnly cookie the log-in sets, and sends the \
                                header X-Eventpipe-Csrf on every call: a call with that cookie and an unsafe method \
                                needs it.) The data \
                                plane's endpoints (/workspaceConfig, /transformation/getByVersionId) take HTTP Basic \
                                auth with the workspace token as user name and an empty password."""))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer"))
                        .addSecuritySchemes(
                                "workspaceToken",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
