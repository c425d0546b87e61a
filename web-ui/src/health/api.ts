import { api } from '../api/client';
import { PROCESSOR, query } from '../api/dataplane';

// config backend GET /api/v1/suite/health (each service's own /health answer) and processor GET /api/v1/backlog
// (unfinished jobs per stage, the oldest one's age, storage against the budget).

export interface ServiceHealth {
  name: string;
  reachable: boolean;
  httpStatus: number;
  healthy: boolean;
  body: Record<string, unknown> | null;
}

export interface SuiteHealth {
  checkedAt: string;
  services: ServiceHealth[];
  /** the config backend's current version of each document a data plane reads, by scope (`namespace:<name>`,
   * `workspace:<id>`): the document's ETag, the same hash a service reports as its `configVersion` */
  configVersions?: Record<string, string>;
}

export interface Backlog {
  measuredAt: string;
  stages: { queue: string; stage: string; pending: number; oldest: string | null; lagSeconds: number }[];
  storage: { usedBytes: number; budgetBytes: number; accepting: boolean; budgetSource: string };
}

export const suiteHealth = (signal?: AbortSignal) => api<SuiteHealth>('/api/v1/suite/health', { signal });

export const backlog = (workspaceId: string, signal?: AbortSignal) =>
  api<Backlog>(`${PROCESSOR}/api/v1/backlog${query({ workspaceId })}`, { signal });
