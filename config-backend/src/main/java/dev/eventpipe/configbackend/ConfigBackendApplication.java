package dev.eventpipe.configbackend;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

@SpringBootApplication(
        // people log in through cp_user (account.Users); no in-memory user with a printed password
        exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ConfigBackendApplication {
    public static void main(String[] args) {
        SpringApplication.run(ConfigBackendApplication.class, args);
    }
}
