import { api } from '../api/client';
import { listOf, PROCESSOR, query, ROUTER } from '../api/dataplane';

// The delivery funnel per time bucket, from two APIs:
// - processor GET /api/v1/stats: rows {bucket, workspaceId, sourceId, destinationId, stage, count} per minute, stage
//   one of received (per source, destinationId ""), deduplicated, filtered, transformation_failed, stored;
// - router GET /api/v1/stats: rows {bucket, destinationId, delivered, failed, aborted, filtered, latencyMsAvg,
//   lagMsAvg} per minute and destination.
// Rows are summed into buckets of the chosen width, for the workspace's destinations (or the chosen one).
// "failed" in the funnel means given up (aborted, or the transformation failed); "retries" are failed attempts
// that the router tries again.

type Raw = Record<string, unknown>;

export interface Bucket {
  time: number;
  received: number;
  filtered: number;
  failed: number;
  delivered: number;
  retries: number;
  aborted: number;
  /** average HTTP request time of deliveries, ms */
  latency?: number;
  /** average time from the job's creation to its delivery, ms */
  lag?: number;
}

const ZERO = { received: 0, filtered: 0, failed: 0, delivered: 0, retries: 0, aborted: 0 };
type Counter = keyof typeof ZERO;

function n(raw: Raw, key: string): number {
  const v = raw[key];
  const x = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0;
  return Number.isFinite(x) ? x : 0;
}

function timeOf(raw: Raw): number | undefined {
  const v = raw.bucket ?? raw.time ?? raw.start;
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'number' ? (v < 1e12 ? v * 1000 : v) : Date.parse(String(v));
  return Number.isFinite(t) ? t : undefined;
}

const STAGES: Record<string, Counter | undefined> = {
  received: 'received',
  filtered: 'filtered',
  transformation_failed: 'failed',
};

export interface Scope {
  workspaceId: string;
  /** the workspace's destinations; rows of others are left out */
  destinationIds: Set<string>;
  /** one destination, or all of the workspace's */
  destinationId?: string;
  bucketMs: number;
}

export function merge(processorRows: Raw[], routerRows: Raw[], scope: Scope): Bucket[] {
  const buckets = new Map<number, Bucket & { latencySum: number; lagSum: number; timed: number }>();
  const at = (t: number) => {
    const key = Math.floor(t / scope.bucketMs) * scope.bucketMs;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { time: key, ...ZERO, latencySum: 0, lagSum: 0, timed: 0 }));
    return b;
  };
  const ours = (destinationId: unknown) =>
    scope.destinationId ? destinationId === scope.destinationId : scope.destinationIds.has(String(destinationId));
  for (const r of processorRows) {
    const t = timeOf(r);
    if (t === undefined) continue;
    if (r.workspaceId !== undefined && r.workspaceId !== scope.workspaceId) continue;
    const perSource = r.destinationId === '' || r.destinationId === undefined;
    if (!perSource && !ours(r.destinationId)) continue;
    const counter = STAGES[String(r.stage)];
    if (counter && (counter === 'received') === perSource) at(t)[counter] += n(r, 'count');
  }
  for (const r of routerRows) {
    const t = timeOf(r);
    if (t === undefined || !ours(r.destinationId)) continue;
    const b = at(t);
    const delivered = n(r, 'delivered');
    b.delivered += delivered;
    b.retries += n(r, 'failed');
    b.aborted += n(r, 'aborted');
    b.failed += n(r, 'aborted');
    b.filtered += n(r, 'filtered');
    if (delivered > 0 && r.latencyMsAvg !== null && r.latencyMsAvg !== undefined) {
      b.latencySum += n(r, 'latencyMsAvg') * delivered;
      b.lagSum += n(r, 'lagMsAvg') * delivered;
      b.timed += delivered;
    }
  }
  return [...buckets.values()]
    .sort((a, b) => a.time - b.time)
    .map(({ latencySum, lagSum, timed, ...b }) =>
      timed ? { ...b, latency: Math.round(latencySum / timed), lag: Math.round(lagSum / timed) } : b,
    );
}

export interface StatsQuery extends Scope {
  from: Date;
  to: Date;
}

export async function loadStats(q: StatsQuery, signal?: AbortSignal) {
  const params = query({
    workspaceId: q.workspaceId,
    destinationId: q.destinationId,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
  });
  const settle = (p: Promise<unknown>) =>
    p.then(
      (data) => ({ data, error: undefined as unknown }),
      (error) => ({ data: [] as unknown, error }),
    );
  const [processor, router] = await Promise.all([
    settle(api<unknown>(`${PROCESSOR}/api/v1/stats${params}`, { signal })),
    settle(api<unknown>(`${ROUTER}/api/v1/stats${params}`, { signal })),
  ]);
  if (processor.error && router.error) throw router.error;
  return {
    buckets: merge(listOf<Raw>(processor.data, 'buckets'), listOf<Raw>(router.data, 'buckets'), q),
    processorError: processor.error,
    routerError: router.error,
  };
}

export function totals(buckets: Bucket[]) {
  const sum = { ...ZERO };
  for (const b of buckets) for (const k of Object.keys(ZERO) as Counter[]) sum[k] += b[k];
  return sum;
}
