package dev.eventpipe.warehouse.schema;

/** An event that cannot become warehouse rows (unknown type, context not an object, too many columns). */
public final class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
