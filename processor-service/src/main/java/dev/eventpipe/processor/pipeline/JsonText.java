package dev.eventpipe.processor.pipeline;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * JSON text written straight to a generator of {@link EventJson#MAPPER}, with no tree built for it (issue 16: the
 * processor's CPU went to building {@code ObjectNode}s only to serialise them). A {@link Body} writes what the tree
 * would have held, and the nodes it takes from an event with {@code node.serialize(gen, ctxt)}, the very call an
 * {@code ObjectNode} makes for each of its values, so the text is the tree's byte for byte: the same generator, the
 * same escaping, the same number forms.
 */
public final class JsonText {
    /** Writes one JSON value to {@code gen}. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator gen, SerializationContext ctxt);
    }

    private JsonText() {}

    /** The text {@code body} writes, as {@code EventJson.MAPPER.writeValueAsString} of the equivalent tree. */
    public static String write(Body body) {
        return EventJson.MAPPER.writeValueAsString(new Streamed(body));
    }

    private static final class Streamed implements JacksonSerializable {
        private final Body body;

        Streamed(Body body) {
            this.body = body;
        }

        @Override
        public void serialize(JsonGenerator gen, SerializationContext ctxt) {
            body.write(gen, ctxt);
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializationContext ctxt, TypeSerializer typeSer) {
            body.write(gen, ctxt);
        }
    }
}
