import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { useDefinitions, useDestinations, useInvalidateWorkspace, useSources } from '../api/queries';
import type { Destination, DestinationDefinition } from '../api/types';
import { useWorkspace } from '../auth/session';
import { DestinationForm } from '../components/DestinationForm';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';

export default function DestinationsPage() {
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const navigate = useNavigate();
  const definitionsQuery = useDefinitions();
  const destinationsQuery = useDestinations(workspace.id);
  const sourcesQuery = useSources(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const queries = [definitionsQuery, destinationsQuery, sourcesQuery];
  const error = queries.find((q) => q.error)?.error;
  const retry = () => queries.forEach((q) => void q.refetch());
  const [chosen, setChosen] = useState<DestinationDefinition | null>(null);
  const [connectTo, setConnectTo] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');

  if (queries.some((q) => q.isPending) && !error) return <Loading what="Loading destinations" />;
  const definitions = definitionsQuery.data;
  const destinations = destinationsQuery.data;
  const sources = sourcesQuery.data;
  if (!definitions || !destinations || !sources) return <ErrorBox error={error} onRetry={retry} />;
  const displayName = (type: string) => definitions.find((d) => d.name === type)?.displayName ?? type;
  const catalogue = definitions.filter((d) => `${d.displayName} ${d.name}`.toLowerCase().includes(filter.toLowerCase()));

  return (
    <section aria-labelledby="destinations-title">
      <h1 id="destinations-title">Destinations</h1>
      <ErrorBox error={error} onRetry={retry} />
      {destinations.length === 0 ? (
        <Empty>No destinations yet. Pick one from the catalogue below.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Status</th>
                <th className="hide-narrow">Transformation</th>
              </tr>
            </thead>
            <tbody>
              {destinations.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/destinations/${d.id}`}>{d.name}</Link>
                  </td>
                  <td>{displayName(d.type)}</td>
                  <td>{d.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="off">disabled</Badge>}</td>
                  <td className="hide-narrow">{d.transformationVersionId ? <Badge tone="info">attached</Badge> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="catalogue-title">Catalogue</h2>
      <label className="inline-label">
        Search the catalogue
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <ul className="catalogue" aria-labelledby="catalogue-title">
        {catalogue.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className={chosen?.id === d.id ? 'catalogue-item selected' : 'catalogue-item'}
              aria-pressed={chosen?.id === d.id}
              onClick={() => setChosen(d)}
            >
              <strong>{d.displayName}</strong>
              <span className="muted">{(d.supportedMessageTypes ?? []).join(', ') || 'all message types'}</span>
            </button>
          </li>
        ))}
      </ul>

      {chosen && (
        <>
          <h2>New {chosen.displayName} destination</h2>
          <DestinationForm
            key={chosen.id}
            definition={chosen}
            submitLabel="Create destination"
            onSubmit={async (draft) => {
              const created = await api<Destination>(`${ws}/destinations`, {
                method: 'POST',
                body: { name: draft.name, type: chosen.name, config: draft.config },
              });
              for (const sourceId of connectTo) {
                await api(`${ws}/connections`, { method: 'POST', body: { sourceId, destinationId: created.id } });
              }
              await invalidate();
              navigate(`/destinations/${created.id}`);
            }}
          >
            <fieldset className="field-group">
              <legend>Connect to sources</legend>
              {sources.length === 0 && <p className="muted">No sources yet.</p>}
              {sources.map((s) => (
                <div className="field field-checkbox" key={s.id}>
                  <input
                    id={`connect-${s.id}`}
                    type="checkbox"
                    checked={connectTo.has(s.id)}
                    onChange={(e) => {
                      const next = new Set(connectTo);
                      if (e.target.checked) next.add(s.id);
                      else next.delete(s.id);
                      setConnectTo(next);
                    }}
                  />
                  <label htmlFor={`connect-${s.id}`}>{s.name}</label>
                </div>
              ))}
            </fieldset>
          </DestinationForm>
        </>
      )}
    </section>
  );
}
