import { api } from './client';
import type { TestRun } from './types';

// The data plane's own APIs, reached through the config backend (the browser talks to one origin only):
//   /api/v1/dataplane/router/**      -> the router service      (failed events, replay, delivery stats)
//   /api/v1/dataplane/processor/**   -> the processor service   (received/filtered funnel counts, recent events)
//   /api/v1/dataplane/transformer/** -> the transformer service (POST /transformation/test)
export const ROUTER = '/api/v1/dataplane/router';
export const PROCESSOR = '/api/v1/dataplane/processor';
export const TRANSFORMER = '/api/v1/dataplane/transformer';

export function testTransformation(code: string, events: unknown[], signal?: AbortSignal): Promise<TestRun> {
  return api<TestRun>(`${TRANSFORMER}/transformation/test`, {
    method: 'POST',
    body: { code, events, language: 'javascript' },
    signal,
  });
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Lists come back either bare or wrapped ({items}, {jobs}, {events}, {content}); both are read the same way. */
export function listOf<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const key of [...keys, 'items', 'jobs', 'events', 'content', 'data', 'buckets']) {
      const value = (data as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value as T[];
    }
  }
  return [];
}
