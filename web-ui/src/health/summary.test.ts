import { describe, expect, it } from 'vitest';
import type { ServiceHealth } from './api';
import { bytes, configSync, configVersion, duration, facts, shortVersion, state } from './summary';

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

  it("compares the config version a service runs with the backend's current one for its scope", () => {
    const current = { 'namespace:default': 'aaaa1111bbbb2222cccc3333dddd4444', 'workspace:w1': 'eeee' };
    const running = (configVersion: string, configScope: string) => svc({ body: { configVersion, configScope } });
    expect(configVersion(running('aaaa1111bbbb2222cccc3333dddd4444', 'namespace:default'), current)).toEqual({
      running: 'aaaa1111bbbb2222cccc3333dddd4444',
      current: 'aaaa1111bbbb2222cccc3333dddd4444',
      behind: false,
    });
    expect(configVersion(running('0123', 'namespace:default'), current)).toEqual({
      running: '0123',
      current: 'aaaa1111bbbb2222cccc3333dddd4444',
      behind: true,
    });
    expect(configVersion(running('eeee', 'workspace:w1'), current)?.behind).toBe(false);
    // a file-mode service has no backend version to compare with: never flagged
    expect(configVersion(running('ffff', 'file'), current)).toEqual({ running: 'ffff', current: null, behind: false });
    // the transformer and the warehouse report none; nor does a service before its first config
    expect(configVersion(svc({ body: { db: 'UP' } }), current)).toBeNull();
    expect(configVersion(running('', 'namespace:default'), current)).toBeNull();
    expect(configVersion(running('0123', 'namespace:default'), undefined)).toEqual({ running: '0123', current: null, behind: false });
    expect(shortVersion('aaaa1111bbbb2222cccc3333dddd4444')).toBe('aaaa1111bbbb');
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
