import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keys, useDestinations, useSources } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { formatTime, pretty } from '../lib/format';
import { OutcomeBadge } from '../live/OutcomeBadge';
import { searchEvents, traceEvent, type Delivery, type ReceivedEvent } from './api';
import { inFlight, paths, sdkLabel, type DestinationPath } from './path';

const POLL_MS = 2000;

/** Follow one event: find it by messageId, userId or anonymousId, then see every step it took per destination. */
export default function EventDebuggerPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? '';
  const chosen = params.get('messageId') ?? '';
  const [draft, setDraft] = useState(id);
  const found = useQuery({
    queryKey: keys.dataplane(workspace.id, 'event-search', id),
    queryFn: ({ signal }) => searchEvents(workspace.id, id, signal),
    enabled: id !== '',
    // the processor's state changes until it has handled the event
    refetchInterval: (q) => (q.state.data?.some((e) => e.state === 'pending' || e.state === 'executing') ? POLL_MS : false),
  });
  const events = found.data ?? [];
  const event = events.find((e) => e.messageId === chosen) ?? (events.length === 1 ? events[0] : undefined);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setParams(draft.trim() ? { id: draft.trim() } : {});
  };

  return (
    <section aria-labelledby="debugger-title">
      <h1 id="debugger-title">Event debugger</h1>
      <form className="inline-form card" onSubmit={search} role="search">
        <label>
          messageId, userId or anonymousId
          <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. 1f0c…" />
        </label>
        <button type="submit" disabled={!draft.trim()}>
          Find event
        </button>
      </form>
      <ErrorBox error={found.error} onRetry={() => void found.refetch()} />
      {id === '' ? (
        <Empty>Paste an id from your app or SDK logs, or open an event from Live events or Failed events.</Empty>
      ) : found.isPending ? (
        <Loading what="Searching" />
      ) : events.length === 0 ? (
        found.error ? null : (
          <Empty>No event with this id is held any more (or it has not arrived yet). Events are kept until all their deliveries are done.</Empty>
        )
      ) : (
        <>
          {events.length > 1 && <Matches events={events} chosen={event?.messageId ?? ''} onChoose={(m) => setParams({ id, messageId: m })} />}
          {event && <EventPath key={event.jobId} event={event} />}
        </>
      )}
    </section>
  );
}

function Matches({ events, chosen, onChoose }: { events: ReceivedEvent[]; chosen: string; onChoose: (messageId: string) => void }) {
  return (
    <div className="table-wrap card">
      <h2>{events.length} events match</h2>
      <table>
        <thead>
          <tr>
            <th>Received</th>
            <th>Event</th>
            <th>messageId</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.jobId} aria-selected={e.messageId === chosen}>
              <td>{formatTime(e.receivedAt ?? e.storedAt)}</td>
              <td>
                {String(e.payload.type ?? '')} {String(e.payload.event ?? '')}
              </td>
              <td>
                <button type="button" className="link" onClick={() => e.messageId && onChoose(e.messageId)}>
                  {e.messageId ?? '—'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventPath({ event }: { event: ReceivedEvent }) {
  const workspace = useWorkspace();
  const sources = useSources(workspace.id);
  const destinations = useDestinations(workspace.id);
  const trace = useQuery({
    queryKey: keys.dataplane(workspace.id, 'event-trace', event.messageId),
    queryFn: ({ signal }) => traceEvent(workspace.id, event.messageId ?? '', signal),
    enabled: Boolean(event.messageId),
    // keep watching while a delivery is not final (retries, replays)
    refetchInterval: (q) => (inFlight(event, paths(event, q.state.data ?? [])) ? POLL_MS : false),
  });
  const result = paths(event, trace.data ?? []);
  const name = (id: string) => destinations.data?.find((d) => d.id === id)?.name ?? id;
  const sourceName = sources.data?.find((s) => s.id === event.sourceId)?.name ?? event.sourceId ?? '—';

  return (
    <div className="event-path">
      <div className="card">
        <h2>As received</h2>
        <dl className="facts">
          <dt>messageId</dt>
          <dd data-testid="trace-message-id">{event.messageId ?? '—'}</dd>
          <dt>Received</dt>
          <dd>{formatTime(event.receivedAt ?? event.storedAt)}</dd>
          <dt>Source</dt>
          <dd>{sourceName}</dd>
          <dt>IP</dt>
          <dd data-testid="trace-ip">{event.requestIp ?? '—'}</dd>
          <dt>SDK</dt>
          <dd data-testid="trace-sdk">{sdkLabel(event)}</dd>
          <dt>User</dt>
          <dd>
            {event.userId ?? '—'}
            {event.anonymousId ? <span className="muted"> (anonymousId {event.anonymousId})</span> : null}
          </dd>
          <dt>Processor</dt>
          <dd>
            <Badge tone={event.state === 'aborted' ? 'bad' : event.state === 'succeeded' ? 'ok' : 'info'}>{event.state}</Badge>{' '}
            {event.processing.reason && <span className="muted">{event.processing.reason}</span>}
          </dd>
        </dl>
        <details>
          <summary>Payload</summary>
          <pre className="code small">{pretty(event.payload)}</pre>
        </details>
      </div>
      <ErrorBox error={trace.error} onRetry={() => void trace.refetch()} />
      {trace.isPending && event.messageId ? <Loading what="Following the event" /> : null}
      {!trace.isPending && result.length === 0 && (
        <Empty>{inFlight(event, result) ? 'In the pipeline: not routed yet…' : 'No destination took this event.'}</Empty>
      )}
      {result.map((p) => (
        <DestinationCard key={p.destinationId} path={p} name={name(p.destinationId)} />
      ))}
    </div>
  );
}

function DestinationCard({ path, name }: { path: DestinationPath; name: string }) {
  return (
    <div className="card destination-path" data-testid={`path-${path.destinationId}`}>
      <h2>
        <Link to={`/destinations/${path.destinationId}`}>{name}</Link>{' '}
        <OutcomeBadge outcome={{ destinationId: path.destinationId, status: path.final }} />
      </h2>
      {path.step.kind === 'dropped' ? (
        <p>
          {path.step.outcome === 'filtered' ? 'Filtered' : 'Failed'} at {path.step.note.stage} ({path.step.note.statusCode}):{' '}
          {path.step.note.reason}
        </p>
      ) : (
        path.step.deliveries.map((d) => <Job key={d.jobId} delivery={d} />)
      )}
    </div>
  );
}

function Job({ delivery: d }: { delivery: Delivery }) {
  return (
    <div className="job">
      <h3>
        Job #{d.jobId} {d.replayOf !== null && <span className="muted">(replay of #{d.replayOf})</span>}
      </h3>
      <h4>As sent, after the transformations</h4>
      {d.request ? (
        <>
          <p className="request-line">
            <code>
              {d.request.method} {d.request.url}
            </code>
          </p>
          <table className="headers">
            <tbody>
              {Object.entries(d.request.headers).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.request.body !== null && <pre className="code small">{pretty(d.request.body)}</pre>}
        </>
      ) : (
        <p className="muted">{d.requestError}</p>
      )}
      <h4>Attempts</h4>
      {d.attempts.length === 0 ? (
        <p className="muted">Not tried yet.</p>
      ) : (
        <ol className="plain attempts">
          {d.attempts.map((a, i) => (
            <li key={i} className="attempt">
              <OutcomeBadge outcome={{ destinationId: d.destinationId, status: a.state, statusCode: Number(a.code) || undefined }} />{' '}
              <span className="muted">
                attempt {a.attempt}, {formatTime(a.at)}
              </span>
              {a.response && JSON.stringify(a.response) !== '{}' ? <pre className="code small">{pretty(a.response)}</pre> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
