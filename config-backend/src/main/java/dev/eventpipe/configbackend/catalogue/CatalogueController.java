package dev.eventpipe.configbackend.catalogue;

import dev.eventpipe.configbackend.web.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The destination catalogue, readable by any authenticated caller. */
@RestController
class CatalogueController {
    private final DefinitionRepository definitions;

    CatalogueController(DefinitionRepository definitions) {
        this.definitions = definitions;
    }

    @GetMapping("/api/v1/destination-definitions")
    List<DefinitionView> list() {
        return definitions.findAllByOrderByName().stream()
                .map(DefinitionView::of)
                .toList();
    }

    @GetMapping("/api/v1/destination-definitions/{name}")
    DefinitionView get(@PathVariable String name) {
        return definitions
                .findByName(name)
                .map(DefinitionView::of)
                .orElseThrow(() -> new ApiException.NotFound("destination definition " + name));
    }
}
