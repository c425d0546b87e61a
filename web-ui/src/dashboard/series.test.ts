import { describe, expect, it } from 'vitest';
import { merge, ms, type ProcessorSeries, type RouterSeries } from './series';

const T1 = '2026-01-01T10:00:00Z';
const T2 = '2026-01-01T10:01:00Z';

const processor: ProcessorSeries = {
  stepSeconds: 60,
  points: [
    { time: T1, received: 5, filtered: 1, transformationFailed: 1, transformed: 3 },
    { time: T2, received: 2, filtered: 0, transformationFailed: 0, transformed: 2 },
  ],
};
const router: RouterSeries = {
  stepSeconds: 60,
  points: [
    { time: T1, delivered: 2, retrying: 1, aborted: 1, filtered: 1 },
    { time: T2, delivered: 2, retrying: 0, aborted: 0, filtered: 0 },
  ],
  latency: { deliveries: 4, p50: 80, p95: 900, p99: 1900 },
  errors: [{ code: '503', count: 1, share: 0.5 }],
};

describe('merge', () => {
  it('joins both services per step and sums filtered from both', () => {
    const s = merge(processor, router);
    expect(s.points.map((p) => p.time)).toEqual([Date.parse(T1), Date.parse(T2)]);
    expect(s.points[0]).toMatchObject({ received: 5, filtered: 2, transformed: 3, delivered: 2, retrying: 1, aborted: 1 });
    expect(s.totals).toEqual({ received: 7, filtered: 2, transformed: 5, delivered: 4, retrying: 1, aborted: 1 });
    expect(s.latency?.p95).toBe(900);
    expect(s.errors).toHaveLength(1);
  });

  it('keeps the side that answered when the other did not', () => {
    const s = merge(null, router);
    expect(s.totals.received).toBe(0);
    expect(s.totals.delivered).toBe(4);
    expect(merge(processor, null).latency).toBeNull();
  });
});

describe('ms', () => {
  it('shows milliseconds, then seconds', () => {
    expect(ms(null)).toBe('—');
    expect(ms(83.4)).toBe('83 ms');
    expect(ms(1530)).toBe('1.5 s');
    expect(ms(42_000)).toBe('42 s');
  });
});
