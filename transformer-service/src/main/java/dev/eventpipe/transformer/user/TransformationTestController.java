package dev.eventpipe.transformer.user;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /transformation/test}: the web app's "run this code on these events" button. */
@RestController
class TransformationTestController {
    private static final int MAX_EVENTS = 1000;

    private final TransformationTester tester;

    TransformationTestController(TransformationTester tester) {
        this.tester = tester;
    }

    @PostMapping("/transformation/test")
    ResponseEntity<?> test(@RequestBody TestRequest request) {
        if (request.code() == null || request.code().isBlank()) {
            return problem("code is required");
        }
        if (request.language() != null && !"javascript".equalsIgnoreCase(request.language())) {
            return problem("language " + request.language() + " is not supported; use javascript");
        }
        List<tools.jackson.databind.JsonNode> events = request.events();
        if (events == null || events.isEmpty()) {
            return problem("events must hold at least one event");
        }
        if (events.size() > MAX_EVENTS) {
            return problem("at most " + MAX_EVENTS + " events per test");
        }
        return ResponseEntity.ok(tester.test(request.code(), events));
    }

    private static ResponseEntity<ProblemDetail> problem(String detail) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }
}
