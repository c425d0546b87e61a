import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newQueryClient } from '../api/queries';
import { SessionProvider, useSession } from './session';

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

function Probe() {
  const { user, checking, login, logout, logoutEverywhere } = useSession();
  const [failure, setFailure] = useState('');
  if (checking) return <span>checking</span>;
  return (
    <div>
      <span>{user ? `in as ${user.email}` : 'logged out'}</span>
      <button type="button" onClick={() => login('me@example.com', 'pw').catch(() => setFailure('login refused'))}>
        login
      </button>
      <button type="button" onClick={() => void logout()}>
        logout
      </button>
      <button type="button" onClick={() => logoutEverywhere().catch(() => setFailure('refused'))}>
        everywhere
      </button>
      <span>{failure}</span>
    </div>
  );
}

interface Call {
  url: string;
  method: string;
  auth: string | null;
  csrf: string | null;
}

const ME = { id: 'u1', email: 'me@example.com', name: '', instanceAdmin: false, mustChangePassword: false, workspaces: [] };

/** A server whose cookie session exists when `loggedIn.value` is true (the browser, not the app, holds the cookie). */
function serve(loggedIn: { value: boolean }, logoutAll: number, calls: Call[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      calls.push({ url, method: init.method ?? 'GET', auth: headers.get('Authorization'), csrf: headers.get('X-Eventpipe-Csrf') });
      const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status }));
      if (url.endsWith('/api/v1/auth/session')) return json({ user: loggedIn.value ? ME : null });
      if (url.endsWith('/api/v1/auth/login')) {
        loggedIn.value = true;
        return json({ token: null, expiresAt: '2026-12-01T00:00:00Z', user: ME });
      }
      if (url.endsWith('/api/v1/auth/logout')) {
        loggedIn.value = false;
        return Promise.resolve(new Response(null, { status: 204 }));
      }
      if (url.endsWith('/api/v1/workspaces')) return json([]);
      if (logoutAll === 204) loggedIn.value = false;
      return Promise.resolve(new Response(logoutAll === 204 ? null : '{}', { status: logoutAll }));
    }),
  );
}

function renderSession() {
  render(
    <QueryClientProvider client={newQueryClient()}>
      <SessionProvider>
        <Probe />
      </SessionProvider>
    </QueryClientProvider>,
  );
}

describe('SessionProvider', () => {
  it('asks the server at start whether its cookie holds a session, and sends no token', async () => {
    const calls: Call[] = [];
    serve({ value: true }, 204, calls);
    renderSession();

    await screen.findByText('in as me@example.com');
    expect(calls[0]).toEqual({ url: '/api/v1/auth/session', method: 'GET', auth: null, csrf: '1' });
    expect(calls.every((c) => c.auth === null)).toBe(true);
  });

  it('removes at start the token an older version of the app left in localStorage, and sends it nowhere', async () => {
    localStorage.setItem('eventpipe.token', 'eps_left_by_the_old_app');
    localStorage.setItem('eventpipe.workspace', 'w1');
    const calls: Call[] = [];
    serve({ value: true }, 204, calls);
    renderSession();

    await screen.findByText('in as me@example.com');
    expect(localStorage.getItem('eventpipe.token')).toBeNull();
    expect(localStorage.getItem('eventpipe.workspace')).toBe('w1');
    expect(calls.every((c) => c.auth === null)).toBe(true);
  });

  it('starts logged out without a failed call when there is no session', async () => {
    const calls: Call[] = [];
    serve({ value: false }, 204, calls);
    renderSession();

    await screen.findByText('logged out');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/session']);
  });

  it('logs in and out through the server, storing nothing a script could read', async () => {
    const calls: Call[] = [];
    serve({ value: false }, 204, calls);
    renderSession();
    await screen.findByText('logged out');

    await userEvent.click(screen.getByRole('button', { name: 'login' }));
    await screen.findByText('in as me@example.com');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);

    await userEvent.click(screen.getByRole('button', { name: 'logout' }));
    await screen.findByText('logged out');
    expect(calls).toContainEqual({ url: '/api/v1/auth/logout', method: 'POST', auth: null, csrf: '1' });
  });

  it('logs out everywhere: asks the server to end every session, then forgets this one', async () => {
    const calls: Call[] = [];
    serve({ value: true }, 204, calls);
    renderSession();
    await screen.findByText('in as me@example.com');

    await userEvent.click(screen.getByRole('button', { name: 'everywhere' }));

    await screen.findByText('logged out');
    expect(calls).toContainEqual({ url: '/api/v1/auth/logout-all', method: 'POST', auth: null, csrf: '1' });
  });

  it('says so when the server did not end the sessions, and keeps this one', async () => {
    serve({ value: true }, 500, []);
    renderSession();
    await screen.findByText('in as me@example.com');

    await userEvent.click(screen.getByRole('button', { name: 'everywhere' }));

    await screen.findByText('refused');
    expect(screen.getByText('in as me@example.com')).toBeInTheDocument();
  });
});
