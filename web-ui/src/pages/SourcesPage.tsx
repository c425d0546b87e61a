import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, errorMessage } from '../api/client';
import { useInvalidateWorkspace, useSources } from '../api/queries';
import type { Source } from '../api/types';
import { useWorkspace } from '../auth/session';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { formatTime } from '../lib/format';

export default function SourcesPage() {
  const workspace = useWorkspace();
  const base = `/api/v1/workspaces/${workspace.id}/sources`;
  const sources = useSources(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [createError, setCreateError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setCreateError(undefined);
    try {
      const created = await api<Source>(base, { method: 'POST', body: { name: name.trim(), type: 'HTTP' } });
      setName('');
      void invalidate();
      navigate(`/sources/${created.id}`);
    } catch (err) {
      setCreateError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = async (source: Source) => {
    try {
      await api(`${base}/${source.id}/${source.enabled ? 'disable' : 'enable'}`, { method: 'POST' });
      await invalidate();
    } catch (err) {
      setCreateError(errorMessage(err));
    }
  };

  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title">Sources</h1>
      <form className="inline-form card" onSubmit={create}>
        <label>
          New source name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="My website" />
        </label>
        <button type="submit" disabled={busy || !name.trim()}>
          Create source
        </button>
        {createError && (
          <p className="field-error" role="alert">
            {createError}
          </p>
        )}
      </form>
      <ErrorBox error={sources.error} onRetry={() => void sources.refetch()} />
      {sources.isPending ? (
        <Loading what="Loading sources" />
      ) : sources.data?.length === 0 ? (
        <Empty>No sources yet. Create one above, then send events with its write key.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Status</th>
                <th className="hide-narrow">Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {sources.data?.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/sources/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.type}</td>
                  <td>{s.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="off">disabled</Badge>}</td>
                  <td className="hide-narrow">{formatTime(s.createdAt)}</td>
                  <td className="actions">
                    <button type="button" className="secondary small" onClick={() => void toggle(s)}>
                      {s.enabled ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
