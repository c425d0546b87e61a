import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import { useDestinations, useInvalidateWorkspace, useTransformation, useVersions } from '../api/queries';
import type { Destination, TransformationVersion } from '../api/types';
import { useWorkspace } from '../auth/session';
import { Badge, ErrorBox, Loading } from '../components/Status';
import { recentEvents } from '../live/feeds';
import { formatTime } from '../lib/format';
import { EditorPanel } from '../transformations/EditorPanel';

const VersionDiff = lazy(() => import('../transformations/VersionDiff').then((m) => ({ default: m.VersionDiff })));

export default function TransformationDetailPage() {
  const { transformationId } = useParams();
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const url = `${ws}/transformations/${transformationId}`;
  const transformation = useTransformation(workspace.id, transformationId ?? '');
  const versionsQuery = useVersions(workspace.id, transformationId ?? '');
  const destinationsQuery = useDestinations(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const queries = [transformation, versionsQuery, destinationsQuery];
  const [code, setCode] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const latest = transformation.data?.latestVersion;

  useEffect(() => {
    if (latest && code === undefined) setCode(latest.code);
  }, [latest, code]);

  const act = async (action: () => Promise<string>) => {
    setError(undefined);
    setMessage(undefined);
    try {
      setMessage(await action());
      await invalidate();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const t = transformation.data;
  const versions = versionsQuery.data;
  const destinations = destinationsQuery.data;
  if (!t || !versions || !destinations) {
    const loadError = queries.find((q) => q.error)?.error;
    return loadError ? (
      <ErrorBox error={loadError} onRetry={() => queries.forEach((q) => void q.refetch())} />
    ) : (
      <Loading what="Loading transformation" />
    );
  }
  const current = code ?? latest?.code ?? '';
  const dirty = latest ? current !== latest.code : current.length > 0;

  const save = () =>
    act(async () => {
      const v = await api<TransformationVersion>(`${url}/versions`, { method: 'POST', body: { code: current } });
      return `Saved as version ${v.number}.`;
    });

  return (
    <section aria-labelledby="transformation-title">
      <p className="crumbs">
        <Link to="/transformations">Transformations</Link> /
      </p>
      <h1 id="transformation-title">
        {t.name} {latest && <Badge tone="info">v{latest.number}</Badge>} {dirty && <Badge tone="warn">unsaved changes</Badge>}
      </h1>
      {t.description && <p className="muted">{t.description}</p>}
      {message && (
        <p className="ok-text" role="status">
          {message}
        </p>
      )}
      {error && <ErrorBox error={error} />}
      <EditorPanel
        code={current}
        onCodeChange={setCode}
        loadRecent={() => recentEvents(workspace.id)}
      />
      <div className="toolbar">
        <button type="button" onClick={() => void save()} disabled={!dirty}>
          Save as new version
        </button>
      </div>
      <Attach
        destinations={destinations}
        versions={versions}
        onAttach={(destination, version) =>
          act(async () => {
            await api(`${ws}/destinations/${destination.id}`, {
              method: 'PATCH',
              body: { transformationVersionId: version.id },
            });
            return `Version ${version.number} now runs for ${destination.name}.`;
          })
        }
      />
      <Versions versions={versions} destinations={destinations} onRestore={(v) => setCode(v.code)} />
    </section>
  );
}

function Attach({
  destinations,
  versions,
  onAttach,
}: {
  destinations: Destination[];
  versions: TransformationVersion[];
  onAttach: (d: Destination, v: TransformationVersion) => void;
}) {
  const [destinationId, setDestinationId] = useState('');
  const [versionId, setVersionId] = useState('');
  const destination = destinations.find((d) => d.id === destinationId);
  const version = versions.find((v) => v.id === versionId) ?? versions[0];
  return (
    <div className="card">
      <h2>Attach to a destination</h2>
      <div className="inline-form">
        <label>
          Destination
          <select value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
            <option value="">— choose —</option>
            {destinations.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Version
          <select value={version?.id ?? ''} onChange={(e) => setVersionId(e.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                v{v.number}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!destination || !version} onClick={() => destination && version && onAttach(destination, version)}>
          Attach
        </button>
      </div>
      <ul className="plain">
        {destinations
          .filter((d) => versions.some((v) => v.id === d.transformationVersionId))
          .map((d) => (
            <li key={d.id}>
              <Link to={`/destinations/${d.id}`}>{d.name}</Link> runs v
              {versions.find((v) => v.id === d.transformationVersionId)?.number}
            </li>
          ))}
      </ul>
    </div>
  );
}

function Versions({
  versions,
  destinations,
  onRestore,
}: {
  versions: TransformationVersion[];
  destinations: Destination[];
  onRestore: (v: TransformationVersion) => void;
}) {
  const [fromId, setFromId] = useState('');
  const [toId, setToId] = useState('');
  const to = versions.find((v) => v.id === toId) ?? versions[0];
  const from = versions.find((v) => v.id === fromId) ?? versions[1] ?? versions[0];
  return (
    <div className="card">
      <h2>Versions</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Version</th>
              <th>Saved</th>
              <th className="hide-narrow">By</th>
              <th>Attached to</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>v{v.number}</td>
                <td>{formatTime(v.createdAt)}</td>
                <td className="hide-narrow">{v.createdBy}</td>
                <td>
                  {destinations
                    .filter((d) => d.transformationVersionId === v.id)
                    .map((d) => d.name)
                    .join(', ') || '—'}
                </td>
                <td className="actions">
                  <button type="button" className="secondary small" onClick={() => onRestore(v)}>
                    Load v{v.number} into editor
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > 1 && (
        <>
          <h3>Compare</h3>
          <div className="inline-form">
            <label>
              From
              <select value={from?.id} onChange={(e) => setFromId(e.target.value)}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    v{v.number}
                  </option>
                ))}
              </select>
            </label>
            <label>
              To
              <select value={to?.id} onChange={(e) => setToId(e.target.value)}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    v{v.number}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {from && to && (
            <Suspense fallback={<Loading what="Loading diff" />}>
              <VersionDiff from={from.code} to={to.code} />
            </Suspense>
          )}
        </>
      )}
    </div>
  );
}
