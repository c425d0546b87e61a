import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client';
import { listOf, PROCESSOR, query } from '../api/dataplane';
import { keys } from '../api/queries';
import { formatTime } from '../lib/format';
import { toEvent } from './feeds';

const POLL_MS = 2000;

/**
 * On a source's page: waits, live, for the source's first event (the processor's newest gateway job of the source)
 * and then says so; polling stops once one is there.
 */
export function FirstEvent({ workspaceId, sourceId }: { workspaceId: string; sourceId: string }) {
  const first = useQuery({
    queryKey: keys.dataplane(workspaceId, 'first-event', sourceId),
    queryFn: async ({ signal }) => {
      const data = await api<unknown>(`${PROCESSOR}/api/v1/events/recent${query({ workspaceId, sourceId, limit: 1 })}`, { signal });
      const [raw] = listOf<Record<string, unknown>>(data);
      return raw ? toEvent(raw) : null;
    },
    refetchInterval: (q) => (q.state.data ? false : POLL_MS),
  });
  const event = first.data;
  return (
    <div className="card first-event" role="status" aria-live="polite" data-testid="first-event">
      <h2>First event</h2>
      {event ? (
        <p className="ok-text">
          Receiving events: the latest, <strong>{event.type ?? 'event'} {event.event ?? ''}</strong>, arrived{' '}
          {formatTime(event.receivedAt)}.{' '}
          {event.messageId && <Link to={`/events?id=${encodeURIComponent(event.messageId)}`}>Follow it</Link>}
        </p>
      ) : first.error ? (
        <p className="muted">Cannot tell whether events arrive: the processor is not answering. Retrying…</p>
      ) : (
        <p>
          <span className="spinner" aria-hidden="true" /> Waiting for the first event: send one with a snippet below; this
          updates by itself.
        </p>
      )}
    </div>
  );
}
