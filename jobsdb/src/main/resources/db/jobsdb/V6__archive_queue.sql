-- arc: a copy of every gw event the processor handled, written in the processor's store transaction, drained
-- into archive files by the warehouse service. Its own queue, so a gw dataset can be dropped at once while the
-- archive (which may wait for a storage outage to end) still holds the events.
SELECT jobsdb_create_queue('arc');
