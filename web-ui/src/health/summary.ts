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

export interface ConfigVersion {
  /** the version the service runs */
  running: string;
  /** the config backend's current version of the same document, when it has one (not for a file-mode service) */
  current: string | null;
  /** running something other than the current document: the service has not picked up the latest change */
  behind: boolean;
}

/**
 * The workspace-config version a data-plane service runs (`configVersion` of its /health, for `configScope`) next
 * to the config backend's current one for that scope; null for services that run no workspace config (or have not
 * loaded one yet). Both are the same hash of the document, so different means the service is behind.
 */
export function configVersion(s: ServiceHealth, current: Record<string, string> | undefined): ConfigVersion | null {
  const running = s.body?.configVersion;
  if (typeof running !== 'string' || running === '') return null;
  const scope = s.body?.configScope;
  const now = typeof scope === 'string' && current ? (current[scope] ?? null) : null;
  return { running, current: now, behind: now !== null && now !== running };
}

/** A version for people: its first 12 hex digits (the whole hash is in the cell's title). */
export const shortVersion = (v: string) => v.slice(0, 12);

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
