package dev.eventpipe.transformer.catalog;

import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.destination.DestinationDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /features} in rudder-transformer's shape (rudder-server reads {@code routerTransform} and the
 * source-transform flags; it ignores the rest), and {@code GET /destinationDefinitions}, the catalogue the config
 * backend syncs.
 */
@RestController
class FeaturesController {
    private final DestinationCatalog catalog;

    FeaturesController(DestinationCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/features")
    Map<String, Object> features() {
        Map<String, Boolean> routerTransform = new LinkedHashMap<>();
        Map<String, Object> destinations = new LinkedHashMap<>();
        for (DestinationDefinition definition : catalog.definitions()) {
            if ("router".equals(definition.transformAt())) {
                routerTransform.put(definition.name(), true);
            }
            destinations.put(
                    definition.name(),
                    Map.of("transformAt", definition.transformAt(), "batching", definition.batching()));
        }
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("routerTransform", routerTransform);
        features.put("regulations", List.of());
        features.put("supportSourceTransformV1", false);
        features.put("supportTransformerProxyV1", false);
        features.put("destinations", destinations);
        return features;
    }

    @GetMapping("/destinationDefinitions")
    List<DestinationDefinition> destinationDefinitions() {
        return catalog.definitions();
    }
}
