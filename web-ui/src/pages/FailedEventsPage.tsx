import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import { listOf, query, ROUTER } from '../api/dataplane';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys, sameWorkspace, useDestinations } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { toEvent, toOutcome, type Outcome } from '../live/feeds';
import { OutcomeBadge } from '../live/OutcomeBadge';
import { formatTime, pretty } from '../lib/format';

type Raw = Record<string, unknown>;
const FILTERS = ['destinationId', 'state', 'statusCode', 'userId', 'q', 'from', 'to'] as const;

interface FailedJob extends Outcome {
  workspaceId?: string;
  userId?: string;
  event?: string;
  type?: string;
  replays: number;
  replayedFrom?: number;
}

// router GET /api/v1/failed-events items: {jobId, workspaceId, userId, destinationId, messageId, eventName,
// eventType, state, attempt, errorCode, errorResponse, lastAttemptAt, retryAt, replayCount, replayedFrom}
function toFailedJob(raw: Raw): FailedJob {
  const event = toEvent(raw);
  return {
    ...toOutcome(raw),
    workspaceId: typeof raw.workspaceId === 'string' ? raw.workspaceId : undefined,
    userId: event.userId,
    event: event.event,
    type: event.type,
    replays: Number(raw.replayCount ?? 0) || 0,
    replayedFrom: typeof raw.replayedFrom === 'number' ? raw.replayedFrom : undefined,
  };
}

export default function FailedEventsPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const [draft, setDraft] = useState(filters);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [openJob, setOpenJob] = useState<number | null>(null);
  const [notice, setNotice] = useState<string>();
  const [replayError, setReplayError] = useState<string>();
  const destinations = useDestinations(workspace.id);
  const cache = useQueryClient();
  const list = useQuery({
    queryKey: keys.dataplane(workspace.id, 'failed-events', params.toString()),
    queryFn: async ({ signal }) => {
      const iso = (v: string) => (v ? new Date(v).toISOString() : undefined);
      const data = await api<unknown>(
        `${ROUTER}/api/v1/failed-events${query({ workspaceId: workspace.id, ...filters, from: iso(filters.from), to: iso(filters.to), limit: 100 })}`,
        { signal },
      );
      // the router serves every workspace: keep this one's jobs
      return listOf<Raw>(data, 'items')
        .map(toFailedJob)
        .filter((j) => !j.workspaceId || j.workspaceId === workspace.id);
    },
    refetchInterval: 5000,
    placeholderData: sameWorkspace(workspace.id),
  });
  const name = (id: string) => destinations.data?.find((d) => d.id === id)?.name ?? id;
  const jobs = list.data ?? [];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    for (const f of FILTERS) if (draft[f]) next[f] = draft[f];
    setParams(next);
    setSelected(new Set());
  };

  const replay = async () => {
    setNotice(undefined);
    setReplayError(undefined);
    try {
      const answer = await api<Raw | undefined>(`${ROUTER}/api/v1/failed-events/replay${query({ workspaceId: workspace.id })}`, {
        method: 'POST',
        body: { jobIds: [...selected] },
      });
      const replayed = Array.isArray(answer?.replayed) ? answer.replayed.length : selected.size;
      const skipped = listOf<Raw>(answer?.skipped);
      setNotice(
        `Replayed ${replayed} event(s): they are queued for delivery again.` +
          (skipped.length ? ` ${skipped.length} skipped: ${String(skipped[0].reason ?? 'not finished yet')}.` : ''),
      );
      setSelected(new Set());
      await cache.invalidateQueries({ queryKey: keys.dataplane(workspace.id) });
    } catch (err) {
      setReplayError(errorMessage(err));
    }
  };

  const toggle = (id: number | undefined) => {
    if (id === undefined) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <section aria-labelledby="failed-title">
      <h1 id="failed-title">Failed events</h1>
      <form className="card filters" onSubmit={apply} aria-label="Filters">
        <label>
          Destination
          <select value={draft.destinationId} onChange={(e) => setDraft({ ...draft, destinationId: e.target.value })}>
            <option value="">All</option>
            {destinations.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={draft.state} onChange={(e) => setDraft({ ...draft, state: e.target.value })}>
            <option value="">Failed and aborted</option>
            <option value="failed">Failed (will retry)</option>
            <option value="aborted">Aborted (gave up)</option>
          </select>
        </label>
        <label>
          Status code
          <input inputMode="numeric" value={draft.statusCode} onChange={(e) => setDraft({ ...draft, statusCode: e.target.value })} />
        </label>
        <label>
          User
          <input value={draft.userId} onChange={(e) => setDraft({ ...draft, userId: e.target.value })} />
        </label>
        <label>
          Error text
          <input type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        </label>
        <label>
          From
          <input type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <div className="toolbar">
        <button type="button" disabled={selected.size === 0} onClick={() => void replay()}>
          Replay selected ({selected.size})
        </button>
        {notice && (
          <span className="ok-text" role="status">
            {notice}
          </span>
        )}
      </div>
      {replayError && <ErrorBox error={replayError} />}
      <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending ? (
        <Loading what="Loading failed events" />
      ) : jobs.length === 0 ? (
        list.error ? null : <Empty>No failed events match. Everything was delivered.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={jobs.length > 0 && jobs.every((j) => j.jobId !== undefined && selected.has(j.jobId))}
                    onChange={(e) => setSelected(e.target.checked ? new Set(jobs.flatMap((j) => (j.jobId === undefined ? [] : [j.jobId]))) : new Set())}
                  />
                </th>
                <th>Job</th>
                <th>Destination</th>
                <th>State</th>
                <th className="hide-narrow">Event</th>
                <th>Path</th>
                <th className="hide-narrow">User</th>
                <th>Attempts</th>
                <th className="hide-narrow">Last try</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.jobId ?? `${j.destinationId}-${j.messageId}`}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select job ${j.jobId}`}
                      checked={j.jobId !== undefined && selected.has(j.jobId)}
                      onChange={() => toggle(j.jobId)}
                    />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpenJob(j.jobId ?? null)}>
                      #{j.jobId}
                    </button>
                    {j.replays > 0 && <span className="muted"> (replayed{j.replays > 1 ? ` ×${j.replays}` : ''})</span>}
                    {j.replayedFrom !== undefined && <span className="muted"> (replay of #{j.replayedFrom})</span>}
                  </td>
                  <td>{name(j.destinationId)}</td>
                  <td>
                    <OutcomeBadge outcome={j} />
                  </td>
                  <td className="hide-narrow">
                    {j.type} {j.event}
                  </td>
                  <td>
                    {j.messageId ? (
                      <Link to={`/events?id=${encodeURIComponent(j.messageId)}`} aria-label={`Follow event of job ${j.jobId}`}>
                        follow
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="hide-narrow">{j.userId ?? '—'}</td>
                  <td>{j.attempts ?? '—'}</td>
                  <td className="hide-narrow">{formatTime(j.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {openJob !== null && (
        <JobDetail
          key={`${openJob}-${jobs.find((j) => j.jobId === openJob)?.replays ?? 0}`}
          workspaceId={workspace.id}
          jobId={openJob}
          onClose={() => setOpenJob(null)}
        />
      )}
    </section>
  );
}

function JobDetail({ workspaceId, jobId, onClose }: { workspaceId: string; jobId: number; onClose: () => void }) {
  const job = useQuery({
    queryKey: keys.dataplane(workspaceId, 'failed-event', jobId),
    queryFn: ({ signal }) => api<Raw>(`${ROUTER}/api/v1/failed-events/${jobId}${query({ workspaceId })}`, { signal }),
  });
  const attempts = job.data ? listOf<Raw>(job.data.attempts ?? job.data.statuses ?? job.data.history).map(toOutcome) : [];
  const payload = job.data ? toEvent(job.data).payload : undefined;
  const replays = job.data ? listOf<Raw>(job.data.replays) : [];
  return (
    <div className="card job-detail" role="region" aria-labelledby="job-detail-title">
      <div className="toolbar">
        <h2 id="job-detail-title">Job #{jobId}</h2>
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorBox error={job.error} onRetry={() => void job.refetch()} />
      {job.isPending && <Loading what="Loading attempts" />}
      {job.data && (
        <div className="detail-grid">
          <div>
            <h3>Attempts</h3>
            <ol className="plain">
              {attempts
                .filter((a) => a.status !== 'executing')
                .map((a, i) => (
                  <li key={i} className="attempt">
                    <OutcomeBadge outcome={a} /> <span className="muted">attempt {a.attempts ?? i + 1}, {formatTime(a.at)}</span>
                    {a.response && a.response !== '{}' && <pre className="code small">{pretty(a.response)}</pre>}
                  </li>
                ))}
            </ol>
            {replays.length > 0 && (
              <p>
                Replayed as {replays.map((r) => `#${String(r.newJobId)}`).join(', ')} ({formatTime(String(replays[0].replayedAt))})
              </p>
            )}
          </div>
          <div>
            <h3>Delivery request</h3>
            <pre className="code small">{pretty(payload)}</pre>
          </div>
        </div>
      )}
    </div>
  );
}
