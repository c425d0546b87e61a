import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, CSRF_HEADER, forgetOldToken, OLD_TOKEN_KEY, onUnauthorized } from './client';

interface Call {
  url: string;
  init: RequestInit;
  headers: Headers;
}

function serve(status: number, body: string | null, calls: Call[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      calls.push({ url, init, headers: new Headers(init.headers) });
      return Promise.resolve(new Response(body, { status }));
    }),
  );
}

// the session is an HttpOnly cookie: nothing a script can read may hold a token, and the client sends none
describe('api client', () => {
  let storageWrites: string[];

  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    storageWrites = [];
    const original = Storage.prototype.setItem;
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key: string, value: string) {
      storageWrites.push(`${key}=${value}`);
      original.call(this, key, value);
    });
    vi.spyOn(Storage.prototype, 'getItem');
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    onUnauthorized(null);
  });

  it('sends the CSRF header and the same-origin cookie, and no Authorization header, on every method', async () => {
    const calls: Call[] = [];
    serve(200, '{"ok":true}', calls);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      await api('/api/v1/workspaces', { method, body: method === 'GET' ? undefined : { name: 'x' } });
    }
    expect(calls).toHaveLength(5);
    for (const call of calls) {
      expect(call.headers.get(CSRF_HEADER)).toBe('1');
      expect(call.headers.get('Authorization')).toBeNull();
      expect(call.init.credentials).toBe('same-origin');
    }
    expect(CSRF_HEADER).toBe('X-Eventpipe-Csrf');
  });

  it('keeps no token from a log-in answer in localStorage or sessionStorage, and reads none', async () => {
    const calls: Call[] = [];
    // a script's log-in answer carries a token: even then the web app must not keep it anywhere a script reads
    serve(200, JSON.stringify({ token: 'eps_secret', expiresAt: '2026-12-01T00:00:00Z', user: { id: 'u1' } }), calls);
    await api('/api/v1/auth/login', { method: 'POST', body: { email: 'a@b.c', password: 'pw' } });
    await api('/api/v1/workspaces');

    expect(storageWrites).toEqual([]);
    expect(Storage.prototype.getItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(calls[1].headers.get('Authorization')).toBeNull();
    expect(JSON.stringify([...calls[1].headers.entries()])).not.toContain('eps_secret');
  });

  it('tells the session when a call is answered 401, but not for a wrong password at log-in', async () => {
    const ended = vi.fn();
    onUnauthorized(ended);
    serve(401, '{"title":"Unauthorized","status":401,"detail":"log in or send a bearer token"}', []);

    await expect(api('/api/v1/workspaces')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledTimes(1);

    await expect(
      api('/api/v1/auth/login', { method: 'POST', body: { email: 'a@b.c', password: 'wrong' } }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('forgets the token the old app kept in localStorage, and nothing else', async () => {
    localStorage.setItem(OLD_TOKEN_KEY, 'eps_old');
    localStorage.setItem('eventpipe.workspace', 'w1');
    forgetOldToken();
    expect(OLD_TOKEN_KEY).toBe('eventpipe.token');
    expect(localStorage.getItem(OLD_TOKEN_KEY)).toBeNull();
    expect(localStorage.getItem('eventpipe.workspace')).toBe('w1');
    forgetOldToken(); // nothing to remove: no error either
  });

  it('turns a refused forgery check into an error that says why', async () => {
    serve(403, '{"title":"Forbidden","status":403,"detail":"must send the X-Eventpipe-Csrf header"}', []);
    await expect(api('/api/v1/workspaces', { method: 'POST', body: {} })).rejects.toMatchObject({
      status: 403,
      message: 'must send the X-Eventpipe-Csrf header',
    });
  });
});
