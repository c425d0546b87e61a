package dev.eventpipe.configbackend.web;

import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the web app from {@code classpath:static/}: a file when one exists, else {@code index.html} so that the
 * single-page app's own routes load on refresh. API and machine paths are never answered with the page; controllers
 * are matched before this handler anyway.
 */
@Configuration
class SpaFallback implements WebMvcConfigurer {
    private static final String[] NOT_THE_APP = {
        "api/",
        "v3/",
        "actuator/",
        "swagger-ui",
        "workspaceConfig",
        "transformation/",
        "health",
        "data-plane/",
        "sourceConfig",
        "sdk/"
    };

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/**")
                .addResourceLocations("classpath:/static/")
                .resourceChain(true)
                .addResolver(new PathResourceResolver() {
                    @Override
                    protected @Nullable Resource getResource(String path, Resource location) throws IOException {
                        Resource file = location.createRelative(path);
                        if (file.exists() && file.isReadable()) return file;
                        for (String prefix : NOT_THE_APP) if (path.startsWith(prefix)) return null;
                        Resource index = new ClassPathResource("static/index.html");
                        return index.exists() ? index : null;
                    }
                });
    }
}
