import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { keys, sameWorkspace, useDestinations, useSources } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { formatTime } from '../lib/format';
import { listUploads, retryUpload, syncNow, tone, totals, type UploadView } from './api';

/** A warehouse destination's syncs: each upload with its tables (rows, discards, errors), sync now, retry. */
export default function WarehousePage() {
  const workspace = useWorkspace();
  const destinations = useDestinations(workspace.id);
  const sources = useSources(workspace.id);
  const warehouses = (destinations.data ?? []).filter((d) => d.type === 'POSTGRES');
  const [chosen, setChosen] = useState('');
  const destinationId = chosen || warehouses[0]?.id || '';
  const uploads = useQuery({
    queryKey: keys.dataplane(workspace.id, 'warehouse-uploads', destinationId),
    queryFn: ({ signal }) => listUploads(workspace.id, destinationId, signal),
    enabled: Boolean(destinationId),
    refetchInterval: 5000,
    placeholderData: sameWorkspace(workspace.id),
  });
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name ?? id;

  const sync = async () => {
    setNotice(undefined);
    setFailure(undefined);
    try {
      const r = await syncNow(workspace.id, destinationId);
      setNotice(
        r.created.length || r.dueNow.length
          ? `Sync started (${[...r.created, ...r.dueNow].map((id) => `#${id}`).join(', ')})`
          : 'Nothing to sync: no events are waiting',
      );
      void uploads.refetch();
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  const retry = async (id: number) => {
    setFailure(undefined);
    try {
      await retryUpload(workspace.id, id);
      void uploads.refetch();
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  if (destinations.isPending) return <Loading what="Loading destinations" />;
  if (destinations.error) return <ErrorBox error={destinations.error} onRetry={() => void destinations.refetch()} />;
  return (
    <section aria-labelledby="warehouse-title">
      <h1 id="warehouse-title">Warehouse syncs</h1>
      {warehouses.length === 0 ? (
        <Empty>No PostgreSQL warehouse destination in this workspace yet. Add one under Destinations.</Empty>
      ) : (
        <>
          <div className="toolbar">
            <label>
              Destination{' '}
              <select value={destinationId} onChange={(e) => setChosen(e.target.value)}>
                {warehouses.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void sync()} disabled={!destinationId}>
              Sync now
            </button>
          </div>
          {notice && (
            <p role="status" className="muted">
              {notice}
            </p>
          )}
          {failure && <ErrorBox error={failure} />}
          {uploads.error ? <ErrorBox error={uploads.error} onRetry={() => void uploads.refetch()} /> : null}
          {uploads.isLoading ? (
            <Loading what="Loading syncs" />
          ) : (uploads.data ?? []).length === 0 ? (
            <Empty>No sync yet. Events are staged as they arrive and loaded at the sync frequency, or now.</Empty>
          ) : (
            <ul className="uploads">
              {(uploads.data ?? []).map((u) => (
                <UploadItem key={u.upload.id} view={u} sourceName={sourceName} onRetry={retry} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function UploadItem({
  view,
  sourceName,
  onRetry,
}: {
  view: UploadView;
  sourceName: (id: string) => string;
  onRetry: (id: number) => Promise<void>;
}) {
  const { upload, tables } = view;
  const sum = totals(tables);
  return (
    <li className="card">
      <details>
        <summary>
          <Badge tone={tone(upload.status)}>{upload.status}</Badge> #{upload.id} · {sourceName(upload.sourceId)} →{' '}
          <code>{upload.namespace || '—'}</code> · {upload.events} events, {sum.rows} rows
          {sum.discards > 0 && <>, {sum.discards} discarded</>} · {formatTime(upload.createdAt)}
          {upload.attempts > 1 && <> · attempt {upload.attempts}</>}
        </summary>
        {upload.lastError && (
          <p className="field-error" role="alert">
            {upload.lastError}
            {upload.status === 'failed' && <> — next attempt {formatTime(upload.nextAttemptAt)}</>}
          </p>
        )}
        {upload.status === 'aborted' && (
          <button type="button" className="secondary small" onClick={() => void onRetry(upload.id)}>
            Retry this sync
          </button>
        )}
        <table>
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">State</th>
              <th scope="col">Rows</th>
              <th scope="col">Discarded values</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.table}>
                <td>
                  <code>{t.table}</code>
                </td>
                <td>
                  <Badge tone={tone(t.status)}>{t.status}</Badge>
                </td>
                <td>{t.rows}</td>
                <td>{t.discards}</td>
                <td>{t.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}
