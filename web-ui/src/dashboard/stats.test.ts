import { describe, expect, it } from 'vitest';
import { merge, totals } from './stats';

const T0 = '2026-11-26T12:00:00Z';
const T1 = '2026-11-26T12:01:00Z';
const scope = { workspaceId: 'ws1', destinationIds: new Set(['d1', 'd2']), bucketMs: 60_000 };

describe('delivery stats', () => {
  it('joins the processor funnel rows and the router delivery rows per minute, for this workspace only', () => {
    const processor = [
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: '', stage: 'received', count: 5 },
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: 'd1', stage: 'filtered', count: 2 },
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: 'd1', stage: 'transformation_failed', count: 1 },
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: 'd1', stage: 'stored', count: 2 },
      { bucket: T0, workspaceId: 'other', sourceId: 's9', destinationId: '', stage: 'received', count: 100 },
    ];
    const router = [
      { bucket: T0, destinationId: 'd1', delivered: 2, failed: 3, aborted: 1, filtered: 0, latencyMsAvg: 10, lagMsAvg: 100 },
      { bucket: T1, destinationId: 'd2', delivered: 2, failed: 0, aborted: 0, filtered: 1, latencyMsAvg: 40, lagMsAvg: 400 },
      { bucket: T1, destinationId: 'elsewhere', delivered: 50, failed: 0, aborted: 0, filtered: 0, latencyMsAvg: 1, lagMsAvg: 1 },
    ];
    const buckets = merge(processor, router, scope);
    expect(buckets).toEqual([
      { time: Date.parse(T0), received: 5, filtered: 2, failed: 2, delivered: 2, retries: 3, aborted: 1, latency: 10, lag: 100 },
      { time: Date.parse(T1), received: 0, filtered: 1, failed: 0, delivered: 2, retries: 0, aborted: 0, latency: 40, lag: 400 },
    ]);
    expect(totals(buckets)).toEqual({ received: 5, filtered: 3, failed: 2, delivered: 4, retries: 3, aborted: 1 });
  });

  it('sums minutes into wider buckets and weighs latency by deliveries', () => {
    const router = [
      { bucket: T0, destinationId: 'd1', delivered: 1, latencyMsAvg: 10, lagMsAvg: 10 },
      { bucket: T1, destinationId: 'd1', delivered: 3, latencyMsAvg: 50, lagMsAvg: 50 },
      { bucket: T1, destinationId: 'd2', delivered: 0, failed: 1, latencyMsAvg: null, lagMsAvg: null },
    ];
    const [only] = merge([], router, { ...scope, bucketMs: 30 * 60_000 });
    expect(only).toMatchObject({ delivered: 4, retries: 1, latency: 40, lag: 40 });
  });

  it('keeps only the chosen destination, with the per-source received counts', () => {
    const processor = [
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: '', stage: 'received', count: 4 },
      { bucket: T0, workspaceId: 'ws1', sourceId: 's1', destinationId: 'd2', stage: 'filtered', count: 4 },
    ];
    const router = [{ bucket: T0, destinationId: 'd2', delivered: 9 }, { bucket: T0, destinationId: 'd1', delivered: 1 }];
    expect(merge(processor, router, { ...scope, destinationId: 'd1' })).toEqual([
      { time: Date.parse(T0), received: 4, filtered: 0, failed: 0, delivered: 1, retries: 0, aborted: 0 },
    ]);
  });
});
