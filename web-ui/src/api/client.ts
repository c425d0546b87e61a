// The one way the app talks to the server: same-origin JSON over fetch, RFC 9457 problem bodies turned into ApiError
// (with per-field errors when the server lists them). The session is an HttpOnly cookie that the browser sends by
// itself and no script can read: this module never sees, stores or sends a token. Every call carries CSRF_HEADER,
// which the server requires on calls that change something with the cookie, and which a page of another origin cannot
// send (SECURITY.md, "The web app's session").

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

/** Where the app kept the session's bearer token until 2026-11-30. */
export const OLD_TOKEN_KEY = 'eventpipe.token';

/**
 * Removes the token that a browser upgraded from the old app still holds in localStorage: any script of the page
 * could read it, and its session stays valid until it expires or is idle for 2 hours. Called once at start.
 */
export function forgetOldToken(): void {
  try {
    localStorage.removeItem(OLD_TOKEN_KEY);
  } catch {
    // storage switched off: there is nothing in it either
  }
}

/** The header the server requires, with the session cookie, on POST, PUT, PATCH and DELETE. */
export const CSRF_HEADER = 'X-Eventpipe-Csrf';
const LOGIN_PATH = '/api/v1/auth/login';
let unauthorizedListener: (() => void) | null = null;

/** Called when the server answers 401 (but to a log-in): the session expired or ended elsewhere. */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', [CSRF_HEADER]: '1' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // the cookie goes to this origin only, never to another one
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached. Is eventpipe running?');
  }
  if (response.status === 401 && path !== LOGIN_PATH && unauthorizedListener) unauthorizedListener();
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
