package dev.eventpipe.gateway.ingest;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;

/**
 * The parser for untrusted request bodies: the shared mapper's settings plus limits that turn hostile input into a
 * parse error (so a 400): nesting depth, number length, and no trailing content after the JSON value. Numbers
 * that do not fit a double (such as {@code 1e999}) are refused too, as RudderStack refuses them (Go cannot
 * re-encode an infinite float64), instead of being written back as a string.
 */
final class EventJson {
    private EventJson() {}

    static JsonMapper mapper(int maxDepth) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxNumberLength(400)
                .build();
        JsonFactory factory =
                JsonFactory.builder().streamReadConstraints(limits).build();
        // Trees only: the shared Json mapper's binding settings do not apply here, its factory is replaced.
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .nodeFactory(new FiniteNumbers())
                .build();
    }

    /** Builds number nodes like the default factory but refuses infinite values. */
    static final class FiniteNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public NumericNode numberNode(double v) {
            if (!Double.isFinite(v)) throw new NumberOutOfRange(v);
            return super.numberNode(v);
        }

        @Override
        public NumericNode numberNode(float v) {
            if (!Float.isFinite(v)) throw new NumberOutOfRange(v);
            return super.numberNode(v);
        }
    }

    /** A number outside the double range: the body is answered as invalid JSON. */
    static final class NumberOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NumberOutOfRange(double v) {
            super("number out of range: " + v);
        }
    }
}
