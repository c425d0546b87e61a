import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { keys, sameWorkspace, useDestinations, useSources } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { liveEvents, type LiveEvent } from '../live/feeds';
import { OutcomeBadge } from '../live/OutcomeBadge';
import { formatTime, pretty } from '../lib/format';

const POLL_MS = 2000;

export default function LiveEventsPage() {
  const workspace = useWorkspace();
  const [sourceId, setSourceId] = useState('');
  const [paused, setPaused] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const sources = useSources(workspace.id);
  const destinations = useDestinations(workspace.id);
  const feed = useQuery({
    queryKey: keys.dataplane(workspace.id, 'live', sourceId),
    queryFn: ({ signal }) => liveEvents({ workspaceId: workspace.id, sourceId: sourceId || undefined }, signal),
    refetchInterval: paused ? false : POLL_MS,
    placeholderData: sameWorkspace(workspace.id),
  });
  const destinationName = (id: string) => destinations.data?.find((d) => d.id === id)?.name ?? id;
  const sourceName = (id?: string) => (id && sources.data?.find((s) => s.id === id)?.name) || id || '—';
  const events = feed.data?.events ?? [];

  return (
    <section aria-labelledby="live-title">
      <h1 id="live-title">Live events</h1>
      <div className="toolbar">
        <label className="inline-label">
          Source
          <select value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
            <option value="">All sources</option>
            {sources.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span className="muted" role="status">
          {paused ? 'Paused' : `Updating every ${POLL_MS / 1000} s`}
        </span>
      </div>
      <ErrorBox error={feed.error} onRetry={() => void feed.refetch()} />
      {feed.data?.routerError ? (
        <p className="muted">Delivery outcomes are unavailable right now (router not answering).</p>
      ) : null}
      {feed.isPending ? (
        <Loading what="Waiting for events" />
      ) : events.length === 0 ? (
        feed.error ? null : <Empty>No events yet. Send one with a source's snippet; it shows here within seconds.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="live-table">
            <thead>
              <tr>
                <th>Received</th>
                <th>Event</th>
                <th className="hide-narrow">User</th>
                <th className="hide-narrow">Source</th>
                <th>Destinations</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <Fragment key={e.key}>
                  <tr>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-expanded={open === e.key}
                        onClick={() => setOpen(open === e.key ? null : e.key)}
                      >
                        {formatTime(e.receivedAt)}
                      </button>
                    </td>
                    <td>
                      <strong>{e.type ?? '—'}</strong> {e.event}{' '}
                      {e.messageId && (
                        <Link className="small-link" to={`/events?id=${encodeURIComponent(e.messageId)}`} aria-label={`Follow ${e.event ?? e.type ?? 'event'} ${e.messageId}`}>
                          follow
                        </Link>
                      )}
                    </td>
                    <td className="hide-narrow">{e.userId ?? '—'}</td>
                    <td className="hide-narrow">{sourceName(e.sourceId)}</td>
                    <td className="badges">
                      {e.outcomes.length === 0 ? (
                        <span className="muted">in the pipeline…</span>
                      ) : (
                        e.outcomes.map((o, i) => <OutcomeBadge key={i} outcome={o} name={destinationName(o.destinationId)} />)
                      )}
                    </td>
                  </tr>
                  {open === e.key && (
                    <tr className="detail-row">
                      <td colSpan={5}>
                        <EventDetail event={e} destinationName={destinationName} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EventDetail({ event, destinationName }: { event: LiveEvent; destinationName: (id: string) => string }) {
  return (
    <div className="detail-grid">
      <div>
        <h3>Payload</h3>
        <pre className="code small">{pretty(event.payload)}</pre>
      </div>
      <div>
        <h3>What each destination did</h3>
        {event.outcomes.length === 0 && <p className="muted">Not routed yet.</p>}
        <ul className="plain">
          {event.outcomes.map((o, i) => (
            <li key={i}>
              <OutcomeBadge outcome={o} name={destinationName(o.destinationId)} />{' '}
              {o.attempts ? <span className="muted">attempt {o.attempts}</span> : null}
              {o.reason && <p>Reason: {o.reason}</p>}
              {o.response && <pre className="code small">{pretty(o.response)}</pre>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
