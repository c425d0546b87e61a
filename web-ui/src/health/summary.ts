import type { ServiceHealth } from './api';

// Reading the services' own /health answers, which differ per service (RudderStack's gateway shape, the
// processor's and router's): a state word, and when the service last confirmed its workspace config.

export function state(s: ServiceHealth): 'up' | 'degraded' | 'unreachable' {
  if (!s.reachable) return 'unreachable';
  return s.healthy ? 'up' : 'degraded';
}

/** When the service last fetched (or confirmed unchanged) its workspace config; services without one: null. */
export function configSync(s: ServiceHealth): string | null {
  const v = s.body?.lastSync;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The facts worth a glance, as label → value, from whatever the service reports. */
export function facts(s: ServiceHealth): [string, string][] {
  const b = s.body ?? {};
  const out: [string, string][] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') out.push([label, typeof value === 'object' ? JSON.stringify(value) : String(value)]);
  };
  add('database', b.db ?? b.database);
  add('transformer', b.transformer);
  add('accepting events', b.acceptingEvents);
  add('routing', b.routingEvents);
  add('loop', b.loop);
  add('error', b.error ?? b.configError ?? b.transformerError);
  return out;
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
