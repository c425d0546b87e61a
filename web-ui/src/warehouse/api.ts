import { api } from '../api/client';
import { query } from '../api/dataplane';

// The warehouse service's API, through the config backend's relay (/api/v1/dataplane/warehouse/** ->
// warehouse-service). Every call names the workspace; the service answers with that workspace's data only.
export const WAREHOUSE = '/api/v1/dataplane/warehouse';

export type UploadStatus = 'waiting' | 'exporting' | 'exported' | 'failed' | 'aborted';

export interface UploadTable {
  table: string;
  status: UploadStatus;
  rows: number;
  discards: number;
  error: string | null;
}

export interface Upload {
  id: number;
  sourceId: string;
  destinationId: string;
  namespace: string;
  status: UploadStatus;
  trigger: string;
  stagingFiles: number;
  events: number;
  attempts: number;
  nextAttemptAt: string;
  firstAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface UploadView {
  upload: Upload;
  tables: UploadTable[];
}

export interface ArchiveFile {
  location: string;
  sourceId: string;
  hour: string;
  firstJobId: number;
  lastJobId: number;
  events: number;
  bytes: number;
}

export interface Replay {
  id: number;
  sourceId: string;
  from: string;
  to: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  files: number;
  events: number;
  error: string | null;
  createdAt: string;
}

export async function listUploads(workspaceId: string, destinationId: string, signal?: AbortSignal): Promise<UploadView[]> {
  const data = await api<{ uploads: UploadView[] }>(
    `${WAREHOUSE}/api/v1/warehouse/uploads${query({ workspaceId, destinationId, limit: 50 })}`,
    { signal },
  );
  return data.uploads ?? [];
}

export function syncNow(workspaceId: string, destinationId: string): Promise<{ created: number[]; dueNow: number[] }> {
  return api(`${WAREHOUSE}/api/v1/warehouse/uploads/sync${query({ workspaceId })}`, {
    method: 'POST',
    body: { destinationId },
  });
}

export function retryUpload(workspaceId: string, id: number): Promise<unknown> {
  return api(`${WAREHOUSE}/api/v1/warehouse/uploads/${id}/retry${query({ workspaceId })}`, { method: 'POST' });
}

export async function listArchiveFiles(
  workspaceId: string,
  sourceId: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<ArchiveFile[]> {
  const data = await api<{ files: ArchiveFile[] }>(
    `${WAREHOUSE}/api/v1/warehouse/archive/files${query({ workspaceId, sourceId, from, to })}`,
    { signal },
  );
  return data.files ?? [];
}

export async function listReplays(workspaceId: string, signal?: AbortSignal): Promise<Replay[]> {
  const data = await api<{ replays: Replay[] }>(`${WAREHOUSE}/api/v1/warehouse/archive/replays${query({ workspaceId })}`, {
    signal,
  });
  return data.replays ?? [];
}

export function startReplay(workspaceId: string, sourceId: string, from: string, to: string): Promise<{ id: number }> {
  return api(`${WAREHOUSE}/api/v1/warehouse/archive/replays${query({ workspaceId })}`, {
    method: 'POST',
    body: { sourceId, from, to },
  });
}

/** Rows loaded and values discarded over an upload's tables, for its summary line. */
export function totals(tables: UploadTable[]): { rows: number; discards: number; failed: number } {
  return tables.reduce(
    (t, x) => ({ rows: t.rows + x.rows, discards: t.discards + x.discards, failed: t.failed + (x.status === 'failed' ? 1 : 0) }),
    { rows: 0, discards: 0, failed: 0 },
  );
}

/** The badge tone of a state. */
export function tone(status: string): 'ok' | 'bad' | 'warn' | 'off' | 'info' {
  switch (status) {
    case 'exported':
    case 'done':
      return 'ok';
    case 'failed':
      return 'warn';
    case 'aborted':
      return 'bad';
    case 'exporting':
    case 'running':
      return 'info';
    default:
      return 'off';
  }
}
