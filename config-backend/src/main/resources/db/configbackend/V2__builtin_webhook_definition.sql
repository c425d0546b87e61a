-- A built-in WEBHOOK definition so the control plane works without the transformer; catalogue sync overwrites it.
INSERT INTO cp_destination_definition
    (id, name, display_name, config_schema, supported_message_types, secret_keys, transform_at, batching, origin)
VALUES ('builtin-webhook', 'WEBHOOK', 'Webhook',
        '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["webhookUrl"],'
            '"properties":{"webhookUrl":{"type":"string","pattern":"^https?://.+","title":"Webhook URL"},'
            '"webhookMethod":{"type":"string","enum":["POST","PUT","PATCH","GET","DELETE"],"default":"POST"},'
            '"headers":{"type":"array","items":{"type":"object","required":["from","to"],'
            '"properties":{"from":{"type":"string"},"to":{"type":"string"}}}}}}',
        '["alias","group","identify","page","screen","track"]',
        '["headers.to"]', 'processor', NULL, 'builtin');
