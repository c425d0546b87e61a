import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, errorMessage } from '../api/client';
import { useDestinations, useInvalidateWorkspace, useTransformations } from '../api/queries';
import type { Transformation } from '../api/types';
import { useWorkspace } from '../auth/session';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { formatTime } from '../lib/format';
import { DEFAULT_CODE } from '../transformations/samples';

export default function TransformationsPage() {
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const navigate = useNavigate();
  const transformations = useTransformations(workspace.id);
  const destinations = useDestinations(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const created = await api<Transformation>(`${ws}/transformations`, {
        method: 'POST',
        body: { name: name.trim(), code: DEFAULT_CODE, language: 'javascript' },
      });
      await invalidate();
      navigate(`/transformations/${created.id}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section aria-labelledby="transformations-title">
      <h1 id="transformations-title">Transformations</h1>
      <form className="inline-form card" onSubmit={create}>
        <label>
          New transformation name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="Drop test events" />
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create transformation
        </button>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <ErrorBox error={transformations.error ?? destinations.error} onRetry={() => void invalidate()} />
      {transformations.isPending ? (
        <Loading what="Loading transformations" />
      ) : transformations.data?.length === 0 ? (
        <Empty>No transformations yet. Create one to filter, enrich or reshape events in JavaScript.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Latest version</th>
                <th>Used by</th>
                <th className="hide-narrow">Updated</th>
              </tr>
            </thead>
            <tbody>
              {transformations.data?.map((t) => {
                const versions = new Set([t.latestVersion?.id]);
                const users = (destinations.data ?? []).filter((d) => d.transformationVersionId && versions.has(d.transformationVersionId));
                return (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/transformations/${t.id}`}>{t.name}</Link>
                    </td>
                    <td>{t.latestVersion ? `v${t.latestVersion.number}` : '—'}</td>
                    <td>{users.length ? users.map((d) => <Badge key={d.id} tone="info">{d.name}</Badge>) : '—'}</td>
                    <td className="hide-narrow">{formatTime(t.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
