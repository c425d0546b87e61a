package dev.eventpipe.transformer.contract;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;

/**
 * Requests are read with their numbers exact (decimals as BigDecimal, trailing zeros kept), so that
 * {@link ExactNumbers} knows the digits JavaScript's doubles lose.
 */
@Configuration(proxyBeanMethods = false)
class ExactNumbersConfiguration {

    @Bean
    JsonMapperBuilderCustomizer exactNumbers() {
        return builder -> builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }
}
