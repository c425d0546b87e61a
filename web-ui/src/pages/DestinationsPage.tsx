import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { Destination, DestinationDefinition, Source } from '../api/types';
import { useWorkspace } from '../auth/session';
import { DestinationForm } from '../components/DestinationForm';
import { Badge, Empty, ErrorBox, Loading } from '../components/Status';
import { useAsync } from '../lib/useAsync';

export default function DestinationsPage() {
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const navigate = useNavigate();
  const data = useAsync(
    async (signal) => {
      const [definitions, destinations, sources] = await Promise.all([
        api<DestinationDefinition[]>('/api/v1/destination-definitions', { signal }),
        api<Destination[]>(`${ws}/destinations`, { signal }),
        api<Source[]>(`${ws}/sources`, { signal }),
      ]);
      return { definitions, destinations, sources };
    },
    [ws],
  );
  const [chosen, setChosen] = useState<DestinationDefinition | null>(null);
  const [connectTo, setConnectTo] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');

  if (data.loading && !data.data) return <Loading what="Loading destinations" />;
  if (!data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { definitions, destinations, sources } = data.data;
  const displayName = (type: string) => definitions.find((d) => d.name === type)?.displayName ?? type;
  const catalogue = definitions.filter((d) => `${d.displayName} ${d.name}`.toLowerCase().includes(filter.toLowerCase()));

  return (
    <section aria-labelledby="destinations-title">
      <h1 id="destinations-title">Destinations</h1>
      <ErrorBox error={data.error} onRetry={data.reload} />
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
