import { describe, expect, it } from 'vitest';
import type { ServiceHealth } from './api';
import { bytes, configSync, duration, facts, state } from './summary';

const svc = (over: Partial<ServiceHealth>): ServiceHealth => ({ name: 'x', reachable: true, httpStatus: 200, healthy: true, body: {}, ...over });

describe('health summary', () => {
  it('tells up, degraded and unreachable apart', () => {
    expect(state(svc({}))).toBe('up');
    expect(state(svc({ healthy: false, httpStatus: 503 }))).toBe('degraded');
    expect(state(svc({ reachable: false, httpStatus: 0, body: null }))).toBe('unreachable');
  });

  it('reads the config sync and the facts from either health shape', () => {
    expect(configSync(svc({ body: { lastSync: '2026-01-01T00:00:00Z' } }))).toBe('2026-01-01T00:00:00Z');
    expect(configSync(svc({ body: { lastSync: '' } }))).toBeNull();
    expect(facts(svc({ body: { db: 'UP', acceptingEvents: 'TRUE' } }))).toEqual([
      ['database', 'UP'],
      ['accepting events', 'TRUE'],
    ]);
    expect(facts(svc({ body: { database: 'DOWN', configError: 'poll failed' } }))).toEqual([
      ['database', 'DOWN'],
      ['error', 'poll failed'],
    ]);
  });

  it('formats sizes and durations for people', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
    expect(bytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(duration(42)).toBe('42 s');
    expect(duration(125)).toBe('2 min 5 s');
    expect(duration(7260)).toBe('2 h 1 min');
  });
});
