import { describe, expect, it } from 'vitest';
import { join, toEvent, toOutcome } from './feeds';

describe('live event feeds', () => {
  it('reads a received event and the router outcomes, and joins them by messageId', () => {
    const event = toEvent({
      jobId: 7,
      sourceId: 's1',
      receivedAt: '2026-11-26T12:00:00Z',
      payload: { type: 'track', event: 'Signed Up', userId: 'u1', messageId: 'm1' },
      outcomes: [{ destinationId: 'd2', status: 'filtered', reason: 'message type not supported' }],
    });
    const delivered = toOutcome({ destinationId: 'd1', messageId: 'm1', state: 'succeeded', errorCode: '200', attempt: 1 });
    const [joined] = join([event], [delivered, toOutcome({ destinationId: 'd1', messageId: 'other', state: 'failed' })]);
    expect(joined).toMatchObject({ key: 'm1', type: 'track', event: 'Signed Up', userId: 'u1', sourceId: 's1' });
    expect(joined.outcomes).toEqual([
      expect.objectContaining({ destinationId: 'd1', status: 'succeeded', statusCode: 200, attempts: 1 }),
      expect.objectContaining({ destinationId: 'd2', status: 'filtered', reason: 'message type not supported' }),
    ]);
  });

  it('reads the processor’s job report: destinations that filtered the event or failed to transform it', () => {
    const event = toEvent({
      jobId: 3,
      payload: { type: 'track', event: 'x', messageId: 'm3', anonymousId: 'a1' },
      errorResponse: {
        filtered: [{ destinationId: 'd1', stage: 'user_transformer', statusCode: 298, reason: 'dropped by the transformation' }],
        failures: [{ destinationId: 'd2', stage: 'user_transformer', statusCode: 400, reason: 'TypeError: boom' }],
      },
    });
    expect(event.userId).toBe('a1');
    expect(event.outcomes).toEqual([
      expect.objectContaining({ destinationId: 'd1', status: 'filtered', statusCode: 298, reason: 'dropped by the transformation' }),
      expect.objectContaining({ destinationId: 'd2', status: 'failed', statusCode: 400, reason: 'TypeError: boom' }),
    ]);
  });

  it('reads the router’s failed-event rows: JSON error responses become text, ids and codes numbers', () => {
    const outcome = toOutcome({
      jobId: 12,
      destinationId: 'd1',
      state: 'aborted',
      attempt: 1,
      errorCode: '400',
      errorResponse: { response: '{"error":"bad"}' },
      lastAttemptAt: '2026-11-26T12:00:01Z',
      eventPayload: '{"messageId":"m9"}',
    });
    expect(outcome).toEqual({
      destinationId: 'd1',
      messageId: 'm9',
      jobId: 12,
      status: 'aborted',
      statusCode: 400,
      response: '{"response":"{\\"error\\":\\"bad\\"}"}',
      reason: undefined,
      attempts: 1,
      at: '2026-11-26T12:00:01Z',
    });
  });
});
