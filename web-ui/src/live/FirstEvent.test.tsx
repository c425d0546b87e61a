import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newQueryClient } from '../api/queries';
import { FirstEvent } from './FirstEvent';

afterEach(() => vi.unstubAllGlobals());

describe('FirstEvent', () => {
  it('waits for the source’s first event, then says it arrived, with a link to follow it', async () => {
    const answers: unknown[][] = [[], []];
    const fetch = vi.fn(async (url: string) => {
      expect(url).toContain('sourceId=src-1');
      const next = answers.shift() ?? [
        { jobId: 5, messageId: 'm-1', receivedAt: '2026-01-01T00:00:00Z', payload: { type: 'track', event: 'Signed Up', messageId: 'm-1' } },
      ];
      return new Response(JSON.stringify(next), { status: 200 });
    });
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={newQueryClient()}>
        <MemoryRouter>
          <FirstEvent workspaceId="ws" sourceId="src-1" />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await screen.findByText(/Waiting for the first event/);
    await screen.findByText(/Signed Up/, {}, { timeout: 30_000 });
    expect(screen.getByRole('link', { name: 'Follow it' })).toHaveAttribute('href', '/events?id=m-1');
  });
});
