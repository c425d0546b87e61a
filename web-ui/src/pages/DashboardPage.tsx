import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { errorMessage } from '../api/client';
import { keys, sameWorkspace, useDestinations } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { COUNTERS, loadSeries, ms, RANGES, tickLabel, type DeliverySeries, type Range } from '../dashboard/series';

const COLORS = {
  received: '#4f46e5',
  filtered: '#64748b',
  transformed: '#0891b2',
  delivered: '#059669',
  retrying: '#d97706',
  aborted: '#dc2626',
};

/** Delivery over time, for the workspace or one destination: the funnel, the outcomes, latency and error codes. */
export default function DashboardPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const destinationId = params.get('destination') ?? '';
  const range = (RANGES.find((r) => r.id === params.get('range'))?.id ?? '1h') as Range;
  const destinations = useDestinations(workspace.id);
  const series = useQuery({
    queryKey: keys.dataplane(workspace.id, 'series', destinationId, range),
    queryFn: ({ signal }) => loadSeries({ workspaceId: workspace.id, destinationId: destinationId || undefined, range }, signal),
    refetchInterval: range === '1h' ? 5000 : 30_000,
    placeholderData: sameWorkspace(workspace.id),
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const data = series.data;
  const traffic = data && COUNTERS.some((c) => data.totals[c] > 0);

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Delivery</h1>
      <div className="toolbar">
        <label className="inline-label">
          Destination
          <select value={destinationId} onChange={(e) => set('destination', e.target.value)}>
            <option value="">All destinations</option>
            {destinations.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Time range" className="segmented">
          {RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              className={r.id === range ? 'small' : 'secondary small'}
              aria-pressed={r.id === range}
              onClick={() => set('range', r.id)}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={series.error ?? destinations.error} onRetry={() => void series.refetch()} />
      {data?.processorError ? <p className="muted">Processor counts unavailable: {errorMessage(data.processorError)}</p> : null}
      {data?.routerError ? <p className="muted">Router counts unavailable: {errorMessage(data.routerError)}</p> : null}
      <dl className="tiles" aria-label="Totals">
        {COUNTERS.map((k) => (
          <div key={k} className="tile" style={{ borderTopColor: COLORS[k] }}>
            <dt>{k}</dt>
            <dd data-testid={`total-${k}`}>{data ? data.totals[k] : '—'}</dd>
          </div>
        ))}
      </dl>
      {series.isPending ? (
        <Loading what="Loading delivery stats" />
      ) : !data ? null : !traffic ? (
        <Empty>No traffic in this period.</Empty>
      ) : (
        <Charts data={data} range={range} />
      )}
    </section>
  );
}

function Charts({ data, range }: { data: DeliverySeries; range: Range }) {
  const tick = (t: number) => tickLabel(t, range);
  const axis = <XAxis dataKey="time" tickFormatter={tick} minTickGap={24} />;
  return (
    <div className="charts">
      <figure className="card chart">
        <figcaption>Events: received → filtered → transformed → delivered</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={data.points} margin={{ left: -16, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(t) => tick(Number(t))} />
            <Legend />
            {(['received', 'filtered', 'transformed', 'delivered'] as const).map((k) => (
              <Line key={k} type="monotone" dataKey={k} stroke={COLORS[k]} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="card chart">
        <figcaption>Delivery attempts: delivered, retrying, aborted</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data.points} margin={{ left: -16, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(t) => tick(Number(t))} />
            <Legend />
            {(['delivered', 'retrying', 'aborted'] as const).map((k) => (
              <Bar key={k} dataKey={k} stackId="attempts" fill={COLORS[k]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <div className="card">
        <h2>Delivery latency</h2>
        <p className="muted small-print">From the event being queued for the destination to its 2xx, retries included.</p>
        {data.latency && data.latency.deliveries > 0 ? (
          <dl className="tiles tiles-3" aria-label="Latency">
            {(['p50', 'p95', 'p99'] as const).map((p) => (
              <div key={p} className="tile">
                <dt>{p}</dt>
                <dd data-testid={`latency-${p}`}>{ms(data.latency?.[p])}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">No deliveries in this period.</p>
        )}
        <h2>Top error codes</h2>
        {data.errors.length === 0 ? (
          <p className="muted">No failed or aborted attempts in this period.</p>
        ) : (
          <table className="error-codes">
            <thead>
              <tr>
                <th>Code</th>
                <th>Attempts</th>
                <th>Share</th>
              </tr>
            </thead>
            <tbody>
              {data.errors.map((e) => (
                <tr key={e.code}>
                  <td>{e.code || 'no code'}</td>
                  <td>{e.count}</td>
                  <td>
                    <span className="share" style={{ width: `${e.share * 5}rem` }} aria-hidden="true" />
                    {Math.round(e.share * 100)}%
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
