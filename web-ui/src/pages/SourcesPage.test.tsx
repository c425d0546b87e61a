import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newQueryClient } from '../api/queries';
import type { Source, Workspace } from '../api/types';
import SourcesPage from './SourcesPage';

let workspace: Workspace;
vi.mock('../auth/session', () => ({ useWorkspace: () => workspace }));

const ws = (id: string): Workspace => ({ id, name: id, createdAt: '', updatedAt: '' });
const source = (workspaceId: string, name: string): Source => ({
  id: `${workspaceId}-${name}`,
  workspaceId,
  name,
  type: 'HTTP',
  category: 'event',
  writeKey: 'k',
  enabled: true,
  config: {},
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

afterEach(() => vi.unstubAllGlobals());

describe('SourcesPage', () => {
  it('never shows the previous workspace’s sources after a switch (review P2-18)', async () => {
    let answerB: (sources: Source[]) => void = () => {};
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) => {
        const reply = (sources: Source[]) => new Response(JSON.stringify(sources), { status: 200 });
        if (url.includes('/workspaces/a/')) return Promise.resolve(reply([source('a', 'Website of A')]));
        return new Promise<Response>((resolve) => (answerB = (sources) => resolve(reply(sources))));
      }),
    );
    const client = newQueryClient();
    const page = () => (
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <SourcesPage />
        </MemoryRouter>
      </QueryClientProvider>
    );
    workspace = ws('a');
    const { rerender } = render(page());
    await screen.findByRole('link', { name: 'Website of A' });

    workspace = ws('b');
    rerender(page());
    expect(screen.queryByText('Website of A')).not.toBeInTheDocument();
    expect(screen.getByText(/Loading sources/)).toBeInTheDocument();

    answerB([source('b', 'App of B')]);
    await screen.findByRole('link', { name: 'App of B' });
    expect(screen.queryByText('Website of A')).not.toBeInTheDocument();
  });
});
