package dev.eventpipe.configbackend.account;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Log-in throttling ({@code configbackend.security.login-throttle.*}) for {@link LoginThrottle}.
 *
 * @param maxFailuresPerEmail failed log-ins for one e-mail address from one client address within {@code window}
 *     before log-ins for that pair are refused
 * @param maxFailuresPerIp failed log-ins from one client address within {@code window} before its log-ins are refused
 * @param maxTrackedKeys e-mail addresses, and separately client addresses, remembered; the stalest go first
 */
@ConfigurationProperties("configbackend.security.login-throttle")
@Validated
record LoginThrottleProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5") @Positive int maxFailuresPerEmail,
        @DefaultValue("20") @Positive int maxFailuresPerIp,
        @DefaultValue("15m") @DurationMin(millis = 1) Duration window,
        @DefaultValue("100000") @Positive int maxTrackedKeys) {}
