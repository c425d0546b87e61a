import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { keys, sameWorkspace, useDestinations } from '../api/queries';
import { useWorkspace } from '../auth/session';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { loadStats, totals, type Bucket } from '../dashboard/stats';
import { shortTime } from '../lib/format';

const RANGES = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000, bucket: 60 },
  { id: '1h', label: 'Last hour', ms: 3_600_000, bucket: 60 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000, bucket: 1800 },
];
const COLORS = { received: '#4f46e5', filtered: '#64748b', failed: '#d97706', delivered: '#059669', retries: '#d97706', aborted: '#dc2626' };

export default function DashboardPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const destinationId = params.get('destination') ?? '';
  const [rangeId, setRangeId] = useState('15m');
  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0];
  const destinations = useDestinations(workspace.id);
  const destinationIds = useMemo(() => new Set((destinations.data ?? []).map((d) => d.id)), [destinations.data]);
  const stats = useQuery({
    queryKey: keys.dataplane(workspace.id, 'stats', destinationId, range.id, [...destinationIds].sort().join()),
    queryFn: ({ signal }) => {
      const to = new Date(Date.now() + 60_000); // the current minute's bucket is still filling
      return loadStats(
        {
          workspaceId: workspace.id,
          destinationIds,
          destinationId: destinationId || undefined,
          from: new Date(to.getTime() - range.ms),
          to,
          bucketMs: range.bucket * 1000,
        },
        signal,
      );
    },
    enabled: destinations.isSuccess,
    refetchInterval: 5000,
    placeholderData: sameWorkspace(workspace.id),
  });
  const buckets = useMemo(() => stats.data?.buckets ?? [], [stats.data]);
  const sum = useMemo(() => totals(buckets), [buckets]);

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Delivery</h1>
      <div className="toolbar">
        <label className="inline-label">
          Destination
          <select
            value={destinationId}
            onChange={(e) => setParams(e.target.value ? { destination: e.target.value } : {})}
          >
            <option value="">All destinations</option>
            {destinations.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Time
          <select value={rangeId} onChange={(e) => setRangeId(e.target.value)}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={stats.error ?? destinations.error} onRetry={() => void stats.refetch()} />
      {stats.data?.processorError ? <p className="muted">Processor counts unavailable: {errorMessage(stats.data.processorError)}</p> : null}
      {stats.data?.routerError ? <p className="muted">Router counts unavailable: {errorMessage(stats.data.routerError)}</p> : null}
      <dl className="tiles" aria-label="Totals">
        {(['received', 'filtered', 'failed', 'delivered', 'retries', 'aborted'] as const).map((k) => (
          <div key={k} className="tile" style={{ borderTopColor: COLORS[k] }}>
            <dt>{k}</dt>
            <dd data-testid={`total-${k}`}>{stats.data ? sum[k] : '—'}</dd>
          </div>
        ))}
      </dl>
      {stats.isPending ? (
        <Loading what="Loading delivery stats" />
      ) : buckets.length === 0 ? (
        <Empty>No traffic in this period.</Empty>
      ) : (
        <Charts buckets={buckets} />
      )}
    </section>
  );
}

function Charts({ buckets }: { buckets: Bucket[] }) {
  const tick = (t: number) => shortTime(t);
  const hasLatency = buckets.some((b) => b.latency !== undefined);
  return (
    <div className="charts">
      <figure className="card chart">
        <figcaption>Events: received → filtered → failed (gave up) → delivered</figcaption>
        <ResponsiveContainer width="100%" height={260}>
          <AreaChart data={buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" tickFormatter={tick} type="number" domain={['dataMin', 'dataMax']} scale="time" />
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(t) => tick(Number(t))} />
            <Legend />
            {(['received', 'filtered', 'failed', 'delivered'] as const).map((k) => (
              <Area key={k} type="monotone" dataKey={k} stroke={COLORS[k]} fill={COLORS[k]} fillOpacity={0.15} isAnimationActive={false} />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </figure>
      <figure className="card chart">
        <figcaption>Retried attempts and aborts</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="time" tickFormatter={tick} />
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(t) => tick(Number(t))} />
            <Legend />
            <Bar dataKey="retries" fill={COLORS.retries} isAnimationActive={false} />
            <Bar dataKey="aborted" fill={COLORS.aborted} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="card chart">
        <figcaption>Delivery latency (ms)</figcaption>
        {hasLatency ? (
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={buckets}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="time" tickFormatter={tick} />
              <YAxis />
              <Tooltip labelFormatter={(t) => tick(Number(t))} />
              <Legend />
              <Line dataKey="latency" name="HTTP request (avg)" stroke="#4f46e5" isAnimationActive={false} connectNulls />
              <Line dataKey="lag" name="received → delivered (avg)" stroke="#db2777" isAnimationActive={false} connectNulls />
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <p className="muted">No deliveries with latency in this period.</p>
        )}
      </figure>
    </div>
  );
}
