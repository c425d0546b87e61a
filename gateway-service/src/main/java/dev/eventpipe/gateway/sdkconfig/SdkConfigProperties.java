package dev.eventpipe.gateway.sdkconfig;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicUrl this gateway's address as browsers reach it ({@code GATEWAY_PUBLIC_URL}), written into Segment's
 *     settings as {@code apiHost}; empty: the scheme, host and port of each settings request
 */
@ConfigurationProperties("gateway.sdk")
record SdkConfigProperties(@DefaultValue("") String publicUrl) {}
