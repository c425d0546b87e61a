package dev.eventpipe.gateway.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS as RudderStack's gateway: every origin (echoed, since credentials are allowed), every request header,
 * preflight cached for 900 s. Browser SDKs post cross-origin from any site.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfig implements WebMvcConfigurer {
    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/**")
                .allowedOriginPatterns("*")
                .allowedMethods("GET", "POST", "HEAD", "OPTIONS")
                .allowedHeaders("*")
                .allowCredentials(true)
                .maxAge(900);
    }
}
