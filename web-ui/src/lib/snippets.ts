// Ready-to-paste snippets for a source: the RudderStack SDKs and curl, pointed at this installation's gateway.

export const GATEWAY_KEY = 'eventpipe.gatewayUrl';
export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';

export function gatewayUrl(): string {
  return localStorage.getItem(GATEWAY_KEY) || DEFAULT_GATEWAY;
}

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

export function snippets(writeKey: string, gateway: string): Snippet[] {
  const url = gateway.replace(/\/+$/, '');
  return [
    {
      id: 'js',
      label: 'JavaScript SDK',
      code: `// npm install @rudderstack/analytics-js
import { RudderAnalytics } from '@rudderstack/analytics-js';

const analytics = new RudderAnalytics();
analytics.load('${writeKey}', '${url}');

analytics.identify('user-1', { email: 'ada@example.com' });
analytics.track('Order Completed', { revenue: 30, currency: 'EUR' });`,
    },
    {
      id: 'node',
      label: 'Node SDK',
      code: `// npm install @rudderstack/rudder-sdk-node
const Analytics = require('@rudderstack/rudder-sdk-node');

const client = new Analytics('${writeKey}', { dataPlaneUrl: '${url}' });

client.track({
  userId: 'user-1',
  event: 'Order Completed',
  properties: { revenue: 30, currency: 'EUR' },
});
await client.flush();`,
    },
    {
      id: 'java',
      label: 'Java SDK',
      code: `// com.rudderstack.sdk.java.analytics:analytics
import com.rudderstack.sdk.java.analytics.RudderAnalytics;
import com.segment.analytics.messages.TrackMessage;
import java.util.Map;

RudderAnalytics analytics = RudderAnalytics.builder("${writeKey}")
        .setDataPlaneUrl("${url}")
        .build();

analytics.enqueue(TrackMessage.builder("Order Completed")
        .userId("user-1")
        .properties(Map.of("revenue", 30, "currency", "EUR")));
analytics.flush();`,
    },
    {
      id: 'curl',
      label: 'curl',
      code: `curl -u '${writeKey}:' \\
  -H 'Content-Type: application/json' \\
  -d '{"userId":"user-1","event":"Order Completed","properties":{"revenue":30,"currency":"EUR"}}' \\
  ${url}/v1/track`,
    },
  ];
}
