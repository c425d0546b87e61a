import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TestRun } from '../api/types';
import { EditorPanel } from './EditorPanel';
import { SAMPLE_EVENTS } from './samples';

const CODE = 'export function transformEvent(event) { log("hi", event.event); return event; }';

function panel(runTest: (code: string, events: unknown[]) => Promise<TestRun>, loadRecent?: () => Promise<unknown[]>) {
  return render(<EditorPanel code={CODE} onCodeChange={vi.fn()} runTest={runTest} loadRecent={loadRecent} />);
}

describe('EditorPanel', () => {
  it('shows the code in a JavaScript editor and the sample events beside it', () => {
    panel(vi.fn());
    const code = screen.getByLabelText('Transformation code');
    expect(code).toHaveAttribute('contenteditable', 'true');
    expect(code.textContent).toContain('transformEvent');
    expect(code.querySelector('.cm-line span')).not.toBeNull(); // highlighted tokens, not plain text
    expect(screen.getByLabelText('Sample events').textContent).toContain('Order Completed');
  });

  it('runs the code on the sample events and shows outputs, per-event errors and log lines side by side', async () => {
    const runTest = vi.fn().mockResolvedValue({
      outputs: [{ type: 'track', event: 'Order Completed' }],
      errors: [{ index: 1, messageId: 'sample-2', error: 'TypeError: x is undefined' }],
      logs: ['hi Order Completed'],
      durationMs: 7,
    });
    const user = userEvent.setup();
    panel(runTest);
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect(runTest).toHaveBeenCalledWith(CODE, JSON.parse(SAMPLE_EVENTS));
    expect(await screen.findByRole('heading', { name: 'Outputs (1)' })).toBeInTheDocument();
    expect(screen.getByTestId('outputs')).toHaveTextContent('"event": "Order Completed"');
    expect(within(screen.getByTestId('errors')).getByText('Event 2')).toBeInTheDocument();
    expect(screen.getByTestId('errors')).toHaveTextContent('(sample-2): TypeError: x is undefined');
    expect(screen.getByTestId('logs')).toHaveTextContent('hi Order Completed');
    expect(screen.getByText('7 ms')).toBeInTheDocument();
  });

  it('says so when the code dropped every event', async () => {
    const user = userEvent.setup();
    panel(vi.fn().mockResolvedValue({ outputs: [], errors: [], logs: [], durationMs: 1 }));
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect(await screen.findByText('No events returned: every event was dropped.')).toBeInTheDocument();
    expect(screen.getByText('No errors.')).toBeInTheDocument();
    expect(screen.getByText('Nothing logged.')).toBeInTheDocument();
  });

  it('reports a code error that is not tied to one event', async () => {
    const user = userEvent.setup();
    panel(vi.fn().mockResolvedValue({ outputs: [], errors: [{ index: -1, error: 'SyntaxError: Unexpected token' }], logs: [], durationMs: 1 }));
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect(await screen.findByTestId('errors')).toHaveTextContent('Code: SyntaxError: Unexpected token');
  });

  it('shows why a run failed when the transformer cannot be reached', async () => {
    const user = userEvent.setup();
    panel(vi.fn().mockRejectedValue(new Error('The server cannot be reached.')));
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The server cannot be reached.');
  });

  it('runs with Ctrl+Enter from the editor', async () => {
    const runTest = vi.fn().mockResolvedValue({ outputs: [], errors: [], logs: [], durationMs: 1 });
    panel(runTest);
    fireEvent.keyDown(screen.getByLabelText('Transformation code'), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(runTest).toHaveBeenCalledTimes(1));
  });

  it('replaces the samples with recently received events', async () => {
    const user = userEvent.setup();
    const recent = [{ type: 'page', name: 'Pricing', messageId: 'live-1' }];
    const runTest = vi.fn().mockResolvedValue({ outputs: [], errors: [], logs: [], durationMs: 1 });
    panel(runTest, vi.fn().mockResolvedValue(recent));
    await user.click(screen.getByRole('button', { name: 'Use recent events' }));
    await waitFor(() => expect(screen.getByLabelText('Sample events').textContent).toContain('Pricing'));
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect(runTest).toHaveBeenCalledWith(CODE, recent);
  });
});
