import { useQuery } from '@tanstack/react-query';
import { keys } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Badge, ErrorBox, Loading } from '../components/Status';
import { formatTime } from '../lib/format';
import { backlog, suiteHealth } from './api';
import { bytes, configSync, configVersion, duration, facts, shortVersion, state } from './summary';

const POLL_MS = 10_000;
const TONE = { up: 'ok', degraded: 'warn', unreachable: 'bad' } as const;

/** The suite at a glance: each service's health and config, each stage's backlog and lag, storage used. */
export default function HealthPage() {
  const workspace = useWorkspace();
  const services = useQuery({ queryKey: ['suite-health'], queryFn: ({ signal }) => suiteHealth(signal), refetchInterval: POLL_MS });
  const queues = useQuery({
    queryKey: keys.dataplane(workspace.id, 'backlog'),
    queryFn: ({ signal }) => backlog(workspace.id, signal),
    refetchInterval: POLL_MS,
  });
  const storage = queues.data?.storage;
  const share = storage && storage.budgetBytes > 0 ? storage.usedBytes / storage.budgetBytes : null;

  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">Health</h1>
      <div className="card">
        <h2>Services</h2>
        <ErrorBox error={services.error} onRetry={() => void services.refetch()} />
        {services.isPending ? (
          <Loading what="Asking every service" />
        ) : services.data ? (
          <div className="table-wrap">
            <table className="services">
              <thead>
                <tr>
                  <th>Service</th>
                  <th>State</th>
                  <th>Workspace config version</th>
                  <th className="hide-narrow">Config last confirmed</th>
                  <th className="hide-narrow">Details</th>
                </tr>
              </thead>
              <tbody>
                {services.data.services.map((s) => (
                  <tr key={s.name} data-testid={`service-${s.name}`}>
                    <td>{s.name}</td>
                    <td>
                      <Badge tone={TONE[state(s)]}>{state(s)}</Badge>
                      {s.reachable && !s.healthy ? <span className="muted"> HTTP {s.httpStatus}</span> : null}
                    </td>
                    <td data-testid={`config-version-${s.name}`}>
                      <ConfigVersionCell version={configVersion(s, services.data.configVersions)} />
                    </td>
                    <td className="hide-narrow">{configSync(s) ? formatTime(configSync(s)) : '—'}</td>
                    <td className="hide-narrow">
                      {facts(s)
                        .map(([k, v]) => `${k}: ${v}`)
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small-print">
              Checked {formatTime(services.data.checkedAt)}; updates every {POLL_MS / 1000} s. A config version is a hash
              of the workspace-config document: the config backend&apos;s current one is shown next to the one each
              data-plane service runs.
            </p>
          </div>
        ) : null}
      </div>
      <div className="card">
        <h2>Backlog of this workspace</h2>
        <ErrorBox error={queues.error} onRetry={() => void queues.refetch()} />
        {queues.isPending ? (
          <Loading what="Counting unfinished jobs" />
        ) : queues.data ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Stage</th>
                  <th>Queue depth</th>
                  <th>Lag (oldest waiting)</th>
                </tr>
              </thead>
              <tbody>
                {queues.data.stages.map((s) => (
                  <tr key={s.queue} data-testid={`stage-${s.queue}`}>
                    <td>{s.stage}</td>
                    <td>{s.pending}</td>
                    <td>{s.pending === 0 ? 'none' : duration(s.lagSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {storage && (
        <div className="card">
          <h2>Storage of the job tables</h2>
          <p data-testid="storage">
            {bytes(storage.usedBytes)} used
            {share !== null ? ` of ${bytes(storage.budgetBytes)} (${Math.round(share * 100)}%)` : ' (no budget set)'}{' '}
            {storage.accepting ? <Badge tone="ok">accepting events</Badge> : <Badge tone="bad">refusing events: over budget</Badge>}
          </p>
          {share !== null && (
            <div className="meter" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
              <span style={{ width: `${Math.min(100, share * 100)}%` }} />
            </div>
          )}
          <p className="muted small-print">Budget: {storage.budgetSource}. All workspaces share it.</p>
        </div>
      )}
    </section>
  );
}

function ConfigVersionCell({ version }: { version: ReturnType<typeof configVersion> }) {
  if (!version) return <>—</>;
  return (
    <>
      <code title={version.running} data-testid="running">
        {shortVersion(version.running)}
      </code>{' '}
      {version.current === null ? (
        <span className="muted">(no backend version for this service&apos;s config)</span>
      ) : version.behind ? (
        <>
          <Badge tone="warn">older</Badge>{' '}
          <span className="muted">
            current: <code title={version.current} data-testid="current">{shortVersion(version.current)}</code>
          </span>
        </>
      ) : (
        <>
          <Badge tone="ok">current</Badge>{' '}
          <span className="muted">
            backend: <code title={version.current} data-testid="current">{shortVersion(version.current)}</code>
          </span>
        </>
      )}
    </>
  );
}
