import { api, ApiError } from '../api/client';
import { listOf, PROCESSOR, query, ROUTER } from '../api/dataplane';

// Live events come from two feeds joined by messageId: what the processor received from the gateway (and filtered,
// with the reason), and what the router did per destination (delivered, failed with the response, aborted...).
// Field names are read leniently (jobId/job_id, state/status, ...) so the page keeps working as the APIs grow.

type Raw = Record<string, unknown>;

export interface LiveEvent {
  key: string;
  jobId?: number;
  sourceId?: string;
  messageId?: string;
  type?: string;
  event?: string;
  userId?: string;
  receivedAt?: string;
  payload: unknown;
  outcomes: Outcome[];
}

export interface Outcome {
  destinationId: string;
  messageId?: string;
  jobId?: number;
  status: string;
  statusCode?: number;
  response?: string;
  reason?: string;
  attempts?: number;
  at?: string;
}

function pick(raw: Raw, ...keys: string[]): unknown {
  for (const key of keys) if (raw[key] !== undefined && raw[key] !== null) return raw[key];
  return undefined;
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function objectOf(value: unknown): Raw {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' ? (value as Raw) : {};
}

export function toOutcome(raw: Raw): Outcome {
  const payload = objectOf(pick(raw, 'payload', 'eventPayload', 'event_payload'));
  return {
    destinationId: str(pick(raw, 'destinationId', 'destination_id', 'customVal')) ?? '',
    messageId: str(pick(raw, 'messageId', 'message_id') ?? payload.messageId),
    jobId: num(pick(raw, 'jobId', 'job_id', 'id')),
    status: (str(pick(raw, 'state', 'status', 'jobState', 'outcome')) ?? 'pending').toLowerCase(),
    statusCode: num(pick(raw, 'statusCode', 'errorCode', 'error_code', 'code')),
    response: str(pick(raw, 'response', 'errorResponse', 'error_response', 'body')),
    reason: str(pick(raw, 'reason', 'filterReason', 'error')),
    attempts: num(pick(raw, 'attempts', 'attemptNum', 'attempt', 'attempt_num')),
    at: str(pick(raw, 'at', 'lastAttemptAt', 'execTime', 'exec_time', 'updatedAt', 'createdAt', 'created_at')),
  };
}

/** The router keys users as "<<>>anonymousId<<>>userId"; people know the plain id. */
export function displayUser(id: string | undefined): string | undefined {
  if (!id || !id.startsWith('<<>>')) return id;
  const parts = id.split('<<>>').filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

export function toEvent(raw: Raw): LiveEvent {
  const payload = objectOf(pick(raw, 'payload', 'eventPayload', 'event_payload', 'message')) ?? raw;
  const body = Object.keys(payload).length ? payload : raw;
  const jobId = num(pick(raw, 'jobId', 'job_id', 'id'));
  const messageId = str(pick(raw, 'messageId', 'message_id') ?? body.messageId);
  // the processor's per-job report ({filtered: [...], failures: [...]}, its gw status response) names the
  // destinations that did not get the event, and why
  const report = objectOf(pick(raw, 'report', 'errorResponse', 'error_response'));
  const notes = (key: string, status: string) =>
    listOf<Raw>(raw[key] ?? report[key]).map((n) => ({ ...toOutcome(n), status }));
  const inline = [
    ...listOf<Raw>(pick(raw, 'destinations', 'outcomes', 'deliveries')).map(toOutcome),
    ...notes('filtered', 'filtered'),
    ...notes('failures', 'failed'),
  ];
  return {
    // stable across polls, so React keeps the row (and its open detail) instead of rebuilding it
    key: messageId ?? (jobId !== undefined ? `job-${jobId}` : `${str(body.receivedAt) ?? ''}-${str(body.event) ?? ''}`),
    jobId,
    sourceId: str(pick(raw, 'sourceId', 'source_id') ?? objectOf(raw.parameters).source_id),
    messageId,
    type: str(pick(raw, 'type', 'eventType') ?? body.type),
    event: str(pick(raw, 'eventName') ?? body.event),
    userId: displayUser(str(body.userId ?? body.anonymousId ?? pick(raw, 'userId', 'user_id'))),
    receivedAt: str(pick(raw, 'receivedAt', 'received_at', 'createdAt', 'created_at') ?? body.receivedAt),
    payload: body,
    outcomes: inline,
  };
}

export function join(events: LiveEvent[], outcomes: Outcome[]): LiveEvent[] {
  const byMessage = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    if (!o.messageId) continue;
    byMessage.set(o.messageId, [...(byMessage.get(o.messageId) ?? []), o]);
  }
  return events.map((e) => {
    const routed = (e.messageId && byMessage.get(e.messageId)) || [];
    const seen = new Set(routed.map((o) => o.destinationId));
    return { ...e, outcomes: [...routed, ...e.outcomes.filter((o) => !seen.has(o.destinationId))] };
  });
}

export interface FeedQuery {
  workspaceId: string;
  sourceId?: string;
  limit?: number;
}

function explain(e: unknown): unknown {
  if (e instanceof ApiError && e.status === 404) {
    return new ApiError(404, 'This data plane does not list recent events yet (processor GET /api/v1/events/recent).');
  }
  return e;
}

export async function liveEvents(q: FeedQuery, signal?: AbortSignal): Promise<{ events: LiveEvent[]; routerError?: unknown }> {
  const params = query({ workspaceId: q.workspaceId, sourceId: q.sourceId, limit: q.limit ?? 50 });
  const received = api<unknown>(`${PROCESSOR}/api/v1/events/recent${params}`, { signal }).catch((e) => {
    throw explain(e);
  });
  const routed = api<unknown>(`${ROUTER}/api/v1/jobs/recent${params}`, { signal }).then(
    (data) => ({ data, error: undefined as unknown }),
    (error) => ({ data: [] as unknown, error }),
  );
  const [events, outcomes] = await Promise.all([received, routed]);
  return {
    events: join(listOf<Raw>(events).map(toEvent), listOf<Raw>(outcomes.data).map(toOutcome)),
    routerError: outcomes.error,
  };
}

/** Recently received event payloads, for testing a transformation on real data. */
export async function recentEvents(workspaceId: string): Promise<unknown[]> {
  const data = await api<unknown>(`${PROCESSOR}/api/v1/events/recent${query({ workspaceId, limit: 20 })}`);
  return listOf<Raw>(data).map((raw) => toEvent(raw).payload);
}
