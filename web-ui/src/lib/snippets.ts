// Ready-to-paste snippets for a source: RudderStack's SDKs and curl, pointed at this installation. Every snippet
// names the source's write key and the gateway (the data plane URL). The browser and mobile SDKs also fetch the
// source's settings from /sourceConfig before they send anything: the gateway answers it too, so their config URL
// is the gateway as well (RudderStack's cloud is their default, and would not know this write key).

export const GATEWAY_KEY = 'eventpipe.gatewayUrl';
export const DEFAULT_GATEWAY = 'http://127.0.0.1:8080';

/** The gateway URL the user typed on this browser, if any (it overrides the installation's). */
export function savedGatewayUrl(): string | null {
  return localStorage.getItem(GATEWAY_KEY);
}

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

const trim = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * @param gateway the gateway as SDKs reach it (data plane URL and /sourceConfig)
 * @param controlPlane this web app's address: it serves RudderStack's JS SDK file for the script tag
 */
export function snippets(writeKey: string, gateway: string, controlPlane: string): Snippet[] {
  const url = trim(gateway);
  const web = trim(controlPlane);
  return [
    {
      id: 'js',
      label: 'JavaScript (npm)',
      code: `// npm install @rudderstack/analytics-js
// "/bundled" has the SDK's plugins inside, so it loads nothing from RudderStack's CDN.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';

const analytics = new RudderAnalytics();
analytics.load('${writeKey}', '${url}', {
  configUrl: '${url}', // this installation answers /sourceConfig (the default is RudderStack's cloud)
});

analytics.page();
analytics.identify('user-1', { email: 'ada@example.com' });
analytics.track('Order Completed', { revenue: 30, currency: 'EUR' });`,
    },
    {
      id: 'script',
      label: 'JavaScript (script tag)',
      code: `<!-- RudderStack's JavaScript SDK, served by this installation -->
<script src="${web}/sdk/rudder-analytics.js"></script>
<script>
  new rudderanalytics.RudderAnalytics(); // from now on window.rudderanalytics is the SDK
  rudderanalytics.load('${writeKey}', '${url}', { configUrl: '${url}' });
  rudderanalytics.page();
  rudderanalytics.track('Order Completed', { revenue: 30, currency: 'EUR' });
</script>`,
    },
    {
      id: 'node',
      label: 'Node.js',
      code: `// npm install @rudderstack/rudder-sdk-node
const Analytics = require('@rudderstack/rudder-sdk-node');

const client = new Analytics('${writeKey}', { dataPlaneUrl: '${url}' });

async function main() {
  client.identify({ userId: 'user-1', traits: { email: 'ada@example.com' } });
  client.track({
    userId: 'user-1',
    event: 'Order Completed',
    properties: { revenue: 30, currency: 'EUR' },
  });
  await client.flush(); // sends now; otherwise every 20 events or 10 seconds
}

main();`,
    },
    {
      id: 'java',
      label: 'Java',
      code: `// Maven: com.rudderstack.sdk.java.analytics:analytics:3.0.0
import com.rudderstack.sdk.java.analytics.RudderAnalytics;
import com.rudderstack.sdk.java.analytics.messages.IdentifyMessage;
import com.rudderstack.sdk.java.analytics.messages.TrackMessage;
import java.util.Map;

public class SendEvents {
    public static void main(String[] args) {
        RudderAnalytics analytics = RudderAnalytics.builder("${writeKey}")
                .setDataPlaneUrl("${url}")
                .build();

        analytics.enqueue(IdentifyMessage.builder()
                .userId("user-1")
                .traits(Map.of("email", "ada@example.com")));
        analytics.enqueue(TrackMessage.builder("Order Completed")
                .userId("user-1")
                .properties(Map.of("revenue", 30, "currency", "EUR")));

        analytics.flush();
        analytics.shutdown(); // sends what is queued, then stops the SDK's threads
    }
}`,
    },
    {
      id: 'python',
      label: 'Python',
      code: `# pip install rudder-sdk-python
import rudderstack.analytics as rudder_analytics

rudder_analytics.write_key = '${writeKey}'
rudder_analytics.dataPlaneUrl = '${url}'

rudder_analytics.identify('user-1', {'email': 'ada@example.com'})
rudder_analytics.track('user-1', 'Order Completed', {'revenue': 30, 'currency': 'EUR'})
rudder_analytics.flush()  # sends now; otherwise in the background`,
    },
    {
      id: 'go',
      label: 'Go',
      code: `// go get github.com/rudderlabs/analytics-go/v4
package main

import "github.com/rudderlabs/analytics-go/v4"

func main() {
	client := analytics.New("${writeKey}", "${url}")
	defer client.Close() // sends what is queued

	client.Enqueue(analytics.Identify{
		UserId: "user-1",
		Traits: analytics.NewTraits().SetEmail("ada@example.com"),
	})
	client.Enqueue(analytics.Track{
		UserId:     "user-1",
		Event:      "Order Completed",
		Properties: analytics.NewProperties().SetRevenue(30).SetCurrency("EUR"),
	})
}`,
    },
    {
      id: 'android',
      label: 'Android',
      code: `// implementation 'com.rudderstack.android.sdk:core:1.+'
val rudderClient = RudderClient.getInstance(
    this,
    "${writeKey}",
    RudderConfig.Builder()
        .withDataPlaneUrl("${url}")
        .withControlPlaneUrl("${url}") // /sourceConfig is answered here, not by RudderStack's cloud
        .build()
)`,
    },
    {
      id: 'ios',
      label: 'iOS',
      code: `// pod 'Rudder'
let builder = RSConfigBuilder()
    .withDataPlaneUrl("${url}")
    .withControlPlaneUrl("${url}") // /sourceConfig is answered here, not by RudderStack's cloud
RSClient.getInstance("${writeKey}", config: builder.build())`,
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
