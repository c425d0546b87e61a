package dev.eventpipe.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The router: delivers rt jobs to destinations in per-user order, with retries, limits and a failure record. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RouterApplication {
    public static void main(String[] args) {
        SpringApplication.run(RouterApplication.class, args);
    }
}
