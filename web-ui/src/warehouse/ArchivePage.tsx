import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { keys, sameWorkspace, useSources } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { formatTime } from '../lib/format';
import { listArchiveFiles, listReplays, startReplay, tone } from './api';

const DAY = 24 * 3600 * 1000;

function local(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A source's archive: the files of a time range, and replays of a range into the pipeline. */
export default function ArchivePage() {
  const workspace = useWorkspace();
  const sources = useSources(workspace.id);
  const [sourceId, setSourceId] = useState('');
  const [from, setFrom] = useState(local(new Date(Date.now() - DAY)));
  const [to, setTo] = useState(local(new Date()));
  const source = sourceId || sources.data?.[0]?.id || '';
  const iso = (v: string) => new Date(v).toISOString();
  const files = useQuery({
    queryKey: keys.dataplane(workspace.id, 'archive-files', source, from, to),
    queryFn: ({ signal }) => listArchiveFiles(workspace.id, source, iso(from), iso(to), signal),
    enabled: Boolean(source),
    placeholderData: sameWorkspace(workspace.id),
  });
  const replays = useQuery({
    queryKey: keys.dataplane(workspace.id, 'archive-replays'),
    queryFn: ({ signal }) => listReplays(workspace.id, signal),
    refetchInterval: 5000,
  });
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name ?? id;

  const replay = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    setFailure(undefined);
    try {
      const r = await startReplay(workspace.id, source, iso(from), iso(to));
      setNotice(`Replay #${r.id} started. Events still inside the dedup window (24 h) are dropped as duplicates.`);
      void replays.refetch();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };

  if (sources.isPending) return <Loading what="Loading sources" />;
  if (sources.error) return <ErrorBox error={sources.error} onRetry={() => void sources.refetch()} />;
  const events = (files.data ?? []).reduce((n, f) => n + f.events, 0);
  return (
    <section aria-labelledby="archive-title">
      <h1 id="archive-title">Event archive</h1>
      <form className="toolbar" onSubmit={(e) => void replay(e)}>
        <label>
          Source{' '}
          <select value={source} onChange={(e) => setSourceId(e.target.value)}>
            {(sources.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" disabled={!source}>
          Replay this range
        </button>
      </form>
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      {failure && <ErrorBox error={failure} />}
      <h2>Files</h2>
      {files.error ? (
        <ErrorBox error={files.error} onRetry={() => void files.refetch()} />
      ) : files.isLoading ? (
        <Loading what="Loading archive files" />
      ) : (files.data ?? []).length === 0 ? (
        <Empty>No archive file for this source and range. An hour is written once it is over.</Empty>
      ) : (
        <>
          <p className="muted">
            {(files.data ?? []).length} files, {events} events
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Hour</th>
                <th scope="col">File</th>
                <th scope="col">Events</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {(files.data ?? []).map((f) => (
                <tr key={f.location}>
                  <td>{formatTime(f.hour)}</td>
                  <td>
                    <code>{f.location}</code>
                  </td>
                  <td>{f.events}</td>
                  <td>{Math.max(1, Math.round(f.bytes / 1024))} KB</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Replays</h2>
      {(replays.data ?? []).length === 0 ? (
        <Empty>No replay yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Source</th>
              <th scope="col">Range</th>
              <th scope="col">State</th>
              <th scope="col">Files</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {(replays.data ?? []).map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{sourceName(r.sourceId)}</td>
                <td>
                  {formatTime(r.from)} – {formatTime(r.to)}
                </td>
                <td>
                  <Badge tone={tone(r.state)}>{r.state}</Badge> {r.error ?? ''}
                </td>
                <td>{r.files}</td>
                <td>{r.events}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
