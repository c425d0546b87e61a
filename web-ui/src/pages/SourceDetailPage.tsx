import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, errorMessage } from '../api/client';
import { useConnections, useDestinations, useInstance, useInvalidateWorkspace, useSource } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { CopyButton } from '../components/CopyButton';
import { Badge, ErrorBox, Loading } from '../components/Status';
import { FirstEvent } from '../live/FirstEvent';
import { DEFAULT_GATEWAY, GATEWAY_KEY, savedGatewayUrl, snippets } from '../lib/snippets';

export default function SourceDetailPage() {
  const { sourceId } = useParams();
  const workspace = useWorkspace();
  const ws = `/api/v1/workspaces/${workspace.id}`;
  const source = useSource(workspace.id, sourceId ?? '');
  const connections = useConnections(workspace.id);
  const destinations = useDestinations(workspace.id);
  const invalidate = useInvalidateWorkspace(workspace.id);
  const mine = connections.data?.filter((c) => c.sourceId === sourceId);
  const [actionError, setActionError] = useState<string>();

  const act = async (path: string, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setActionError(undefined);
    try {
      await api(`${ws}/sources/${sourceId}/${path}`, { method: 'POST' });
      await invalidate();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };

  if (source.isPending) return <Loading what="Loading source" />;
  if (!source.data) return <ErrorBox error={source.error} onRetry={() => void source.refetch()} />;
  const s = source.data;
  return (
    <section aria-labelledby="source-title">
      <p className="crumbs">
        <Link to="/sources">Sources</Link> /
      </p>
      <h1 id="source-title">
        {s.name} {s.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="off">disabled</Badge>}
      </h1>
      <ErrorBox error={source.error} />
      {actionError && (
        <p className="field-error" role="alert">
          {actionError}
        </p>
      )}
      <div className="card">
        <h2>Write key</h2>
        <div className="key-row">
          <code className="write-key" data-testid="write-key">
            {s.writeKey}
          </code>
          <CopyButton text={s.writeKey} />
          <button
            type="button"
            className="secondary small"
            onClick={() => void act('rotate-key', 'Rotate the write key? SDKs using the old key will be refused.')}
          >
            Rotate
          </button>
          <button type="button" className="secondary small" onClick={() => void act(s.enabled ? 'disable' : 'enable')}>
            {s.enabled ? 'Disable source' : 'Enable source'}
          </button>
        </div>
      </div>
      <FirstEvent workspaceId={workspace.id} sourceId={s.id} />
      <Snippets writeKey={s.writeKey} />
      <div className="card">
        <h2>Connected destinations</h2>
        <ErrorBox error={connections.error ?? destinations.error} onRetry={() => void invalidate()} />
        {mine && mine.length === 0 && (
          <p className="muted">
            Not connected yet: open a <Link to="/destinations">destination</Link> and connect it to this source.
          </p>
        )}
        <ul className="plain">
          {mine?.map((c) => {
            const d = destinations.data?.find((x) => x.id === c.destinationId);
            return (
              <li key={c.id}>
                <Link to={`/destinations/${c.destinationId}`}>{d?.name ?? c.destinationId}</Link>{' '}
                {c.enabled ? <Badge tone="ok">on</Badge> : <Badge tone="off">off</Badge>}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

function Snippets({ writeKey }: { writeKey: string }) {
  // the installation's gateway address (GATEWAY_PUBLIC_URL), unless this browser was told another one
  const instance = useInstance();
  const [typed, setTyped] = useState(savedGatewayUrl());
  const gateway = typed ?? instance.data?.dataPlaneUrl ?? DEFAULT_GATEWAY;
  const all = snippets(writeKey, gateway, window.location.origin);
  const [tab, setTab] = useState(all[0].id);
  const current = all.find((x) => x.id === tab) ?? all[0];
  return (
    <div className="card">
      <h2>Send events</h2>
      <label className="inline-label">
        Gateway URL
        <input
          value={gateway}
          onChange={(e) => {
            setTyped(e.target.value);
            localStorage.setItem(GATEWAY_KEY, e.target.value);
          }}
        />
      </label>
      <div
        role="tablist"
        aria-label="Snippet language"
        className="tabs"
        onKeyDown={(e) => {
          // arrow keys move between tabs, as in any tab strip
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          const i = all.findIndex((x) => x.id === tab);
          const next = all[(i + (e.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length];
          setTab(next.id);
          document.getElementById(`tab-${next.id}`)?.focus();
        }}
      >
        {all.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            id={`tab-${x.id}`}
            aria-selected={x.id === tab}
            aria-controls="snippet-panel"
            tabIndex={x.id === tab ? 0 : -1}
            className={x.id === tab ? 'tab active' : 'tab'}
            onClick={() => setTab(x.id)}
          >
            {x.label}
          </button>
        ))}
      </div>
      <div id="snippet-panel" role="tabpanel" aria-labelledby={`tab-${current.id}`}>
        <pre className="code">{current.code}</pre>
        <CopyButton text={current.code} label={`Copy ${current.label} snippet`} />
      </div>
    </div>
  );
}
