package dev.eventpipe.processor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Reads gw jobs, dedups, fans out per destination, transforms and writes rt jobs in one transaction. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProcessorApplication {
    public static void main(String[] args) {
        SpringApplication.run(ProcessorApplication.class, args);
    }
}
