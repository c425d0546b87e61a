import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import {
  useConnections,
  useDefinition,
  useDestination,
  useInvalidateWorkspace,
  useSources,
  useTransformations,
} from '../api/queries';
import { useWorkspace } from '../auth/session';
import { DestinationForm } from '../components/DestinationForm';
import { Badge, ErrorBox, Loading } from '../components/Status';

export default function DestinationDetailPage() {
  const { destinationId } = useParams();
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const url = `${ws}/destinations/${destinationId}`;
  const destination = useDestination(workspace.id, destinationId ?? '');
  const definitionQuery = useDefinition(destination.data?.type);
  const sourcesQuery = useSources(workspace.id);
  const connectionsQuery = useConnections(workspace.id);
  const transformationsQuery = useTransformations(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const queries = [destination, definitionQuery, sourcesQuery, connectionsQuery, transformationsQuery];
  const loadError = queries.find((q) => q.error)?.error;
  const [actionError, setActionError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
      await invalidate();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };

  const d = destination.data;
  const definition = definitionQuery.data;
  const sources = sourcesQuery.data;
  const transformations = transformationsQuery.data;
  const connections = connectionsQuery.data?.filter((c) => c.destinationId === destinationId);
  if (!d || !definition || !sources || !transformations || !connections) {
    return loadError ? (
      <ErrorBox error={loadError} onRetry={() => queries.forEach((q) => void q.refetch())} />
    ) : (
      <Loading what="Loading destination" />
    );
  }
  const attached = transformations.find((t) => t.latestVersion && d.transformationVersionId === t.latestVersion.id);
  const attachedOld = d.transformationVersionId && !attached;

  return (
    <section aria-labelledby="destination-title">
      <p className="crumbs">
        <Link to="/destinations">Destinations</Link> /
      </p>
      <h1 id="destination-title">
        {d.name} <span className="muted">{definition.displayName}</span>{' '}
        {d.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="off">disabled</Badge>}
      </h1>
      {actionError && <ErrorBox error={actionError} />}
      <div className="card key-row">
        <button type="button" className="secondary" onClick={() => void run(() => api(url, { method: 'PATCH', body: { enabled: !d.enabled } }))}>
          {d.enabled ? 'Disable destination' : 'Enable destination'}
        </button>
        <Link to={`/dashboard?destination=${d.id}`}>Delivery</Link>
        <Link to={`/failed?destinationId=${d.id}`}>Failed events</Link>
      </div>

      <div className="card">
        <h2>Sources</h2>
        <ul className="plain">
          {sources.map((s) => {
            const c = connections.find((x) => x.sourceId === s.id);
            return (
              <li key={s.id} className="connect-row">
                <span>{s.name}</span>
                {c ? (
                  <>
                    {c.enabled ? <Badge tone="ok">connected</Badge> : <Badge tone="off">paused</Badge>}
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => void run(() => api(`${ws}/connections/${c.id}`, { method: 'DELETE' }))}
                    >
                      Disconnect {s.name}
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() =>
                      void run(() => api(`${ws}/connections`, { method: 'POST', body: { sourceId: s.id, destinationId: d.id } }))
                    }
                  >
                    Connect {s.name}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </div>

      <div className="card">
        <h2>Transformation</h2>
        <p>
          {attached ? (
            <>
              <Link to={`/transformations/${attached.id}`}>{attached.name}</Link> (version {attached.latestVersion?.number})
            </>
          ) : attachedOld ? (
            'An older version of a transformation is attached.'
          ) : (
            'None: events are delivered as received.'
          )}
        </p>
        <label className="inline-label">
          Attach the latest version of
          <select
            aria-label="Transformation to attach"
            value={attached?.id ?? ''}
            onChange={(e) => {
              const t = transformations.find((x) => x.id === e.target.value);
              void run(() =>
                api(url, { method: 'PATCH', body: { transformationVersionId: t?.latestVersion?.id ?? '' } }),
              );
            }}
          >
            <option value="">— none —</option>
            {transformations.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      <h2>Settings</h2>
      {saved && (
        <p className="ok-text" role="status">
          Saved.
        </p>
      )}
      <DestinationForm
        key={d.revisionId}
        definition={definition}
        initial={{ name: d.name, config: d.config }}
        submitLabel="Save settings"
        onSubmit={async (draft) => {
          await api(url, { method: 'PATCH', body: { name: draft.name, config: draft.config } });
          setSaved(true);
          await invalidate();
        }}
      />
    </section>
  );
}
