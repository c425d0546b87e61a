import { api } from '../api/client';
import { PROCESSOR, query, ROUTER } from '../api/dataplane';

// The event debugger's two reads, both built from the job tables the data plane still holds:
// processor GET /api/v1/events/search (gateway jobs: the event as received) and router GET /api/v1/events/trace
// (rt jobs: per destination the request as sent, secrets masked, and every attempt).

export interface ProcessingNote {
  destinationId: string;
  stage: string;
  statusCode: number;
  reason: string;
}

export interface ReceivedEvent {
  jobId: number;
  workspaceId: string;
  sourceId: string | null;
  messageId: string | null;
  userId: string | null;
  anonymousId: string | null;
  receivedAt: string | null;
  storedAt: string;
  requestIp: string | null;
  sdk: { name: string | null; version: string | null };
  payload: Record<string, unknown>;
  /** the gateway job's state at the processor: pending (also while the processor works on it), succeeded, filtered,
   * aborted; executing only as an older processor left it */
  state: string;
  processing: { reason?: string; rtJobs?: number; filtered?: ProcessingNote[]; failures?: ProcessingNote[] };
}

export interface Attempt {
  state: string;
  attempt: number;
  at: string;
  code: string;
  response: unknown;
}

export interface Delivery {
  jobId: number;
  destinationId: string;
  destinationType: string;
  createdAt: string;
  replayOf: number | null;
  request: { method: string; url: string; headers: Record<string, string>; body: string | null; bodyType: string | null } | null;
  requestError: string | null;
  attempts: Attempt[];
  finalState: string;
}

export function searchEvents(workspaceId: string, id: string, signal?: AbortSignal): Promise<ReceivedEvent[]> {
  return api<ReceivedEvent[]>(`${PROCESSOR}/api/v1/events/search${query({ workspaceId, id })}`, { signal });
}

export function traceEvent(workspaceId: string, messageId: string, signal?: AbortSignal): Promise<Delivery[]> {
  return api<Delivery[]>(`${ROUTER}/api/v1/events/trace${query({ workspaceId, messageId })}`, { signal });
}
