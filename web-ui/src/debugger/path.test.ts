import { describe, expect, it } from 'vitest';
import type { Delivery, ReceivedEvent } from './api';
import { inFlight, paths, sdkLabel } from './path';

const event = (over: Partial<ReceivedEvent> = {}): ReceivedEvent => ({
  jobId: 1,
  workspaceId: 'ws',
  sourceId: 'src',
  messageId: 'm1',
  userId: 'u1',
  anonymousId: null,
  receivedAt: '2026-01-01T00:00:00Z',
  storedAt: '2026-01-01T00:00:00Z',
  requestIp: '203.0.113.9',
  sdk: { name: 'analytics-node', version: '2.1.0' },
  payload: {},
  state: 'succeeded',
  processing: {},
  ...over,
});

const delivery = (jobId: number, destinationId: string, finalState: string): Delivery => ({
  jobId,
  destinationId,
  destinationType: 'WEBHOOK',
  createdAt: '2026-01-01T00:00:01Z',
  replayOf: null,
  request: null,
  requestError: null,
  attempts: [],
  finalState,
});

describe('paths', () => {
  it('lists each destination once: routed ones with their jobs, dropped ones with the processor’s reason', () => {
    const e = event({
      processing: {
        filtered: [{ destinationId: 'd-drop', stage: 'user_transformer', statusCode: 298, reason: 'dropped' }],
        failures: [{ destinationId: 'd-bad', stage: 'user_transformer', statusCode: 400, reason: 'boom' }],
      },
    });
    const result = paths(e, [delivery(7, 'd-hook', 'aborted'), delivery(9, 'd-hook', 'succeeded')]);
    expect(result.map((p) => [p.destinationId, p.final])).toEqual([
      ['d-hook', 'succeeded'],
      ['d-drop', 'filtered'],
      ['d-bad', 'transformation failed'],
    ]);
    expect(result[0].step.kind === 'routed' && result[0].step.deliveries.map((d) => d.jobId)).toEqual([7, 9]);
  });

  it('is in flight until the processor is done and every delivery is final', () => {
    expect(inFlight(event({ state: 'executing' }), [])).toBe(true);
    expect(inFlight(event(), paths(event(), [delivery(1, 'd', 'failed')]))).toBe(true);
    expect(inFlight(event(), paths(event(), [delivery(1, 'd', 'succeeded')]))).toBe(false);
  });
});

describe('sdkLabel', () => {
  it('names the SDK and its version, or says it is unknown', () => {
    expect(sdkLabel(event())).toBe('analytics-node 2.1.0');
    expect(sdkLabel(event({ sdk: { name: null, version: null } }))).toMatch(/unknown/);
  });
});
