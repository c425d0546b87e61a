import { api } from '../api/client';
import { PROCESSOR, query, ROUTER } from '../api/dataplane';

// The delivery charts' data, from the data plane's two series endpoints (same range, same steps):
// - processor GET /api/v1/stats/series: per step received, filtered, transformationFailed, transformed;
// - router GET /api/v1/stats/series: per step delivered, retrying, aborted, filtered; the range's latency
//   percentiles (job queued for the destination → its 2xx) and top error codes with their share.

export type Range = '1h' | '24h' | '7d';
export const RANGES: { id: Range; label: string }[] = [
  { id: '1h', label: 'Last hour' },
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
];

export interface ProcessorSeries {
  stepSeconds: number;
  points: { time: string; received: number; filtered: number; transformationFailed: number; transformed: number }[];
}

export interface RouterSeries {
  stepSeconds: number;
  points: { time: string; delivered: number; retrying: number; aborted: number; filtered: number }[];
  latency: { deliveries: number; p50: number | null; p95: number | null; p99: number | null };
  errors: { code: string; count: number; share: number }[];
}

export interface Point {
  time: number;
  received: number;
  filtered: number;
  transformed: number;
  transformationFailed: number;
  delivered: number;
  retrying: number;
  aborted: number;
}

export const COUNTERS = ['received', 'filtered', 'transformed', 'delivered', 'retrying', 'aborted'] as const;
export type Counter = (typeof COUNTERS)[number];

export interface DeliverySeries {
  stepSeconds: number;
  points: Point[];
  totals: Record<Counter, number>;
  latency: RouterSeries['latency'] | null;
  errors: RouterSeries['errors'];
  processorError?: unknown;
  routerError?: unknown;
}

/**
 * One point per step with both services' counts. Filtered is the sum of the processor's (transformation or
 * destination rules dropped the event) and the router's (dropped at delivery). A side that did not answer counts
 * zero, and its error is passed on for the page to say so.
 */
export function merge(processor: ProcessorSeries | null, router: RouterSeries | null): Omit<DeliverySeries, 'processorError' | 'routerError'> {
  const points = new Map<number, Point>();
  const at = (time: string) => {
    const t = Date.parse(time);
    let p = points.get(t);
    if (!p) {
      p = { time: t, received: 0, filtered: 0, transformed: 0, transformationFailed: 0, delivered: 0, retrying: 0, aborted: 0 };
      points.set(t, p);
    }
    return p;
  };
  for (const x of processor?.points ?? []) {
    const p = at(x.time);
    p.received += x.received;
    p.filtered += x.filtered;
    p.transformed += x.transformed;
    p.transformationFailed += x.transformationFailed;
  }
  for (const x of router?.points ?? []) {
    const p = at(x.time);
    p.delivered += x.delivered;
    p.retrying += x.retrying;
    p.aborted += x.aborted;
    p.filtered += x.filtered;
  }
  const sorted = [...points.values()].sort((a, b) => a.time - b.time);
  const totals = Object.fromEntries(COUNTERS.map((c) => [c, sorted.reduce((n, p) => n + p[c], 0)])) as Record<Counter, number>;
  return {
    stepSeconds: router?.stepSeconds ?? processor?.stepSeconds ?? 60,
    points: sorted,
    totals,
    latency: router?.latency ?? null,
    errors: router?.errors ?? [],
  };
}

export async function loadSeries(
  q: { workspaceId: string; destinationId?: string; range: Range },
  signal?: AbortSignal,
): Promise<DeliverySeries> {
  const params = query({ workspaceId: q.workspaceId, destinationId: q.destinationId, range: q.range });
  const settle = <T,>(p: Promise<T>) =>
    p.then(
      (data) => ({ data, error: undefined as unknown }),
      (error: unknown) => ({ data: null, error }),
    );
  const [processor, router] = await Promise.all([
    settle(api<ProcessorSeries>(`${PROCESSOR}/api/v1/stats/series${params}`, { signal })),
    settle(api<RouterSeries>(`${ROUTER}/api/v1/stats/series${params}`, { signal })),
  ]);
  if (processor.error && router.error) throw router.error;
  return { ...merge(processor.data, router.data), processorError: processor.error, routerError: router.error };
}

/** "12:05" within a day, "Mon 14:00" over a week. */
export function tickLabel(time: number, range: Range): string {
  const d = new Date(time);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return range === '7d' ? `${d.toLocaleDateString([], { weekday: 'short' })} ${hm}` : hm;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 10_000 ? `${(value / 1000).toFixed(0)} s` : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
