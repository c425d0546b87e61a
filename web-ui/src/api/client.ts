// The one way the app talks to the server: same-origin JSON over fetch, the session's bearer token attached,
// RFC 9457 problem bodies turned into ApiError (with per-field errors when the server lists them).

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldProblem[];

  constructor(status: number, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

const TOKEN_KEY = 'eventpipe.token';
let unauthorizedListener: (() => void) | null = null;

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Called when the server answers 401 to a call made with a token: the session expired. */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached. Is eventpipe running?');
  }
  if (response.status === 401 && token && unauthorizedListener) unauthorizedListener();
  const text = await response.text();
  const data = text ? parseJson(text) : undefined;
  if (!response.ok) throw toError(response.status, data, text);
  return data as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toError(status: number, data: unknown, text: string): ApiError {
  if (data && typeof data === 'object') {
    const problem = data as { detail?: string; title?: string; message?: string; error?: string; errors?: unknown };
    const fields = Array.isArray(problem.errors)
      ? (problem.errors as FieldProblem[]).filter((f) => f && typeof f.field === 'string')
      : [];
    const message = problem.detail ?? problem.message ?? problem.error ?? problem.title ?? `HTTP ${status}`;
    return new ApiError(status, String(message), fields);
  }
  if (status === 502 || status === 503 || status === 504) {
    return new ApiError(status, `The service behind this page is not answering (HTTP ${status}).`);
  }
  return new ApiError(status, text && text.length < 300 ? text : `HTTP ${status}`);
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    return e.fields.length ? `${e.message}: ${e.fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
