export const DEFAULT_CODE = `export function transformEvent(event, metadata) {
  // return the event (changed or not), an array of events, or null to drop it
  log('saw', event.type, event.event);
  return event;
}
`;

export const SAMPLE_EVENTS = JSON.stringify(
  [
    {
      type: 'track',
      event: 'Order Completed',
      userId: 'user-1',
      messageId: 'sample-1',
      properties: { revenue: 30, currency: 'EUR' },
      context: { library: { name: 'curl' } },
    },
    {
      type: 'identify',
      userId: 'user-2',
      messageId: 'sample-2',
      traits: { email: 'ada@example.com', plan: 'pro' },
    },
  ],
  null,
  2,
);
