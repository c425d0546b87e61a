import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getToken, setToken } from '../api/client';
import { newQueryClient } from '../api/queries';
import { SessionProvider, useSession } from './session';

afterEach(() => {
  vi.unstubAllGlobals();
  setToken(null);
});

function Probe() {
  const { user, logoutEverywhere } = useSession();
  const [failure, setFailure] = useState('');
  return (
    <div>
      <span>{user ? `in as ${user.email}` : 'logged out'}</span>
      <button type="button" onClick={() => logoutEverywhere().catch(() => setFailure('refused'))}>
        everywhere
      </button>
      <span>{failure}</span>
    </div>
  );
}

function serve(logoutAll: number, calls: { url: string; method: string; auth: string | null }[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      calls.push({ url, method: init.method ?? 'GET', auth: headers.get('Authorization') });
      if (url.endsWith('/api/v1/auth/me'))
        return Promise.resolve(
          new Response(
            JSON.stringify({ id: 'u1', email: 'me@example.com', name: '', instanceAdmin: false, workspaces: [] }),
            { status: 200 },
          ),
        );
      if (url.endsWith('/api/v1/workspaces')) return Promise.resolve(new Response('[]', { status: 200 }));
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
  it('logs out everywhere: asks the server to end every session, then forgets its own token', async () => {
    setToken('eps_this-browser');
    const calls: { url: string; method: string; auth: string | null }[] = [];
    serve(204, calls);
    renderSession();
    await screen.findByText('in as me@example.com');

    await userEvent.click(screen.getByRole('button', { name: 'everywhere' }));

    await screen.findByText('logged out');
    expect(calls).toContainEqual({ url: '/api/v1/auth/logout-all', method: 'POST', auth: 'Bearer eps_this-browser' });
    await waitFor(() => expect(getToken()).toBeNull());
  });

  it('says so when the server did not end the sessions, and keeps this one', async () => {
    setToken('eps_this-browser');
    serve(500, []);
    renderSession();
    await screen.findByText('in as me@example.com');

    await userEvent.click(screen.getByRole('button', { name: 'everywhere' }));

    await screen.findByText('refused');
    expect(screen.getByText('in as me@example.com')).toBeInTheDocument();
    expect(getToken()).toBe('eps_this-browser');
  });
});
