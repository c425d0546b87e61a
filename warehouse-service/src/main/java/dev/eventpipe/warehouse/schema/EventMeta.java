package dev.eventpipe.warehouse.schema;

/**
 * What the mapping needs besides the event: the ids and names RudderStack's warehouse transformer takes from the
 * job's metadata. {@code context_source_id}, {@code context_source_type}, {@code context_destination_id} and
 * {@code context_destination_type} come from here.
 *
 * @param messageId the row id (the event's messageId)
 * @param receivedAt when the gateway received the event (RFC 3339)
 * @param sourceType the source definition's name ({@code HTTP}, {@code Javascript}...)
 */
public record EventMeta(String messageId, String receivedAt, String sourceId, String sourceType, String destinationId) {

    public static final String DESTINATION_TYPE = "POSTGRES";
}
