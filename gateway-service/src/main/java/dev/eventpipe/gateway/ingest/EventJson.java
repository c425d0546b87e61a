package dev.eventpipe.gateway.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ValueNode;

/**
 * The parser for untrusted request bodies: the shared mapper's settings plus limits that turn hostile input into a
 * parse error (so a 400): nesting depth, number length, and no trailing content after the JSON value. Numbers
 * that do not fit a double (such as {@code 1e999}, or an integer literal of 310 digits or more) are refused too, as
 * RudderStack refuses them (Go cannot re-encode an infinite float64; JavaScript would read them as Infinity),
 * instead of being written back as a string or failing the transformer later. Numbers are kept digit for digit:
 * decimals are read as BigDecimal with their trailing zeros and written without exponent ({@code 19999999.99},
 * {@code 0.0005}, {@code 2.50} stay as sent; {@code 1e21} is written {@code 1000000000000000000000}, as PostgreSQL's
 * jsonb would store it anyway), never through a double ({@code 1.999999999E7}, {@code 5.0E-4}).
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
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .nodeFactory(new FiniteNumbers())
                .build();
    }

    /**
     * Builds number nodes like the default factory but refuses values outside the double range: decimals and
     * integers alike ({@code maxNumberLength} lets an integer of up to 400 digits through, past the double range).
     */
    static final class FiniteNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ValueNode numberNode(BigInteger v) {
            if (v != null && !Double.isFinite(v.doubleValue())) throw new NumberOutOfRange(v.doubleValue());
            return super.numberNode(v);
        }

        @Override
        public ValueNode numberNode(BigDecimal v) {
            if (!Double.isFinite(v.doubleValue())) throw new NumberOutOfRange(v.doubleValue());
            return super.numberNode(v);
        }

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
