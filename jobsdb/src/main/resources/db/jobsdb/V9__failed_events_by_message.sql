-- The router's event debugger finds an event's deliveries by message id; kept aborted jobs are found the same way.
CREATE INDEX ON rt_failed_events ((parameters->>'message_id'));
