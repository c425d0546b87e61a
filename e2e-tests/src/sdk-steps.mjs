import crypto from 'node:crypto';
import { PORTS } from './suite.mjs';

// The browser SDKs, unchanged, on pages of another origin (issue 15, "Prove it"): RudderStack's JS SDK over XHR and
// over beacon, and Segment's analytics-next, each in a browser context of its own that may reach only this machine.
// Every request to another host is aborted and fails the step, as does any console error of the page.
//
// Order: RudderStack orders events per user key (AnonymousId header, anonymousId, userId; reference §1.4), so
// identify starts a new key: the events after it (identify and the tracks) must arrive in the order they were
// sent, the page before it must arrive too. "Sent" means answered by the gateway: the XHR steps make each call
// once the previous one was answered (RudderStack's queue and analytics-next send concurrently, so calls made at
// once may reach the gateway in any order); the beacon step makes its calls at once, and the SDK puts them in one
// beacon, in order.

const SUITE_GATEWAY = `http://127.0.0.1:${PORTS.gateway}`;
const SEEN = 90_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A request that would leave the machine: http(s)/ws(s) to a host other than the loopback. */
export function leavesMachine(url) {
  const u = typeof url === 'string' ? new URL(url) : url;
  return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && !LOCAL_HOSTS.has(u.hostname);
}

/**
 * A fresh browser context (its own storage) whose requests to other hosts are aborted and recorded. Requests to this
 * machine are not intercepted at all: Playwright answers CORS preflights itself for the requests it intercepts, and
 * the gateway's own preflight answers are what is being tested.
 */
export async function guardedPage(browser, url) {
  const context = await browser.newContext();
  const offMachine = [];
  const errors = [];
  const requests = [];
  const responses = [];
  await context.route(leavesMachine, async (route) => {
    offMachine.push(route.request().url());
    await route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    requests.push(r);
    if (leavesMachine(r.url()) && !offMachine.includes(r.url())) offMachine.push(r.url());
  });
  context.on('response', (r) => responses.push(r));
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return {
    page,
    requests,
    responses,
    /** Throws if anything tried to leave the machine or the page logged an error. */
    check() {
      if (offMachine.length) throw new Error(`requests that would leave the machine: ${offMachine.join(', ')}`);
      if (errors.length) throw new Error(`console errors: ${errors.slice(0, 5).join(' | ')}`);
    },
    close: () => context.close(),
  };
}

/** The events the sink accepted, parsed (the webhook posts one event per request). */
export function sinkEvents(sink) {
  const events = [];
  for (const r of sink.received) {
    if (r.status >= 300) continue;
    try {
      const body = JSON.parse(r.body);
      for (const e of Array.isArray(body) ? body : [body]) events.push(e);
    } catch {
      // not an event
    }
  }
  return events;
}

const label = (e) => (e.type === 'track' ? e.event : e.type);

export async function until(condition, message, timeout = SEEN) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Waits until the sink has every expected event of this anonymous id, then checks: each once, nothing else, and
 * the events of the identified user in the order sent.
 */
async function expectDelivered(sink, anonymousId, userId, expected) {
  const mine = () => sinkEvents(sink).filter((e) => e.anonymousId === anonymousId);
  await until(
    () => mine().length >= expected.length,
    () => `the sink got ${mine().length} of ${expected.length} events of ${anonymousId}: ${mine().map(label).join(', ')}`,
  );
  const events = mine();
  const ids = events.map((e) => e.messageId);
  if (new Set(ids).size !== ids.length) throw new Error(`delivered twice: ${ids.join(', ')}`);
  const got = events.map(label);
  if (got.length !== expected.length || [...got].sort().join() !== [...expected].sort().join()) {
    throw new Error(`expected ${expected.join(', ')}; the sink got ${got.join(', ')}`);
  }
  const identified = events.filter((e) => e.userId === userId).map(label);
  const inOrder = expected.slice(expected.indexOf('identify'));
  if (identified.join() !== inOrder.join()) {
    throw new Error(`out of order for ${userId}: sent ${inOrder.join(', ')}; the sink got ${identified.join(', ')}`);
  }
  return events;
}

/** Makes a call in the page once the previous one was answered, and returns the gateway's answer to it. */
async function sendAnswered(page, url, call, arg) {
  const answered = page.waitForResponse(
    (r) => r.url().split('?')[0] === url && r.request().method() === 'POST',
    { timeout: 30_000 },
  );
  await page.evaluate(call, arg);
  const response = await answered;
  if (response.status() !== 200) throw new Error(`${url} answered ${response.status()}: ${await response.text()}`);
  return response;
}

export function sdkFlow({ browser, sink, state, site, gateway: GATEWAY = SUITE_GATEWAY }) {
  const pageUrl = (file, extra = '') =>
    `${site.url}/${file}?writeKey=${encodeURIComponent(state.writeKey)}&gateway=${encodeURIComponent(GATEWAY)}${extra}`;
  const expected = ['page', 'identify', 'Step 1', 'Step 2', 'Step 3'];
  const needs = ['fix the sink, replay the selection; it is delivered'];

  return [
    {
      name: "RudderStack's JS SDK (npm, bundled) on another origin, over XHR: page, identify, tracks reach the sink in order",
      needs,
      run: async () => {
        const tab = await guardedPage(browser, pageUrl('rudderstack.html'));
        try {
          await tab.page.waitForFunction(() => window.sdkReady === true);
          const config = tab.responses.find((r) => r.url().startsWith(`${GATEWAY}/sourceConfig`));
          if (!config || config.status() !== 200) throw new Error(`/sourceConfig: ${config?.status() ?? 'never asked'}`);
          const userId = `rs-xhr-${crypto.randomUUID()}`;
          await sendAnswered(tab.page, `${GATEWAY}/v1/page`, () => window.rudderanalytics.page('E2E', 'Pricing'));
          const identify = await sendAnswered(tab.page, `${GATEWAY}/v1/identify`, (u) => window.rudderanalytics.identify(u, { plan: 'pro' }), userId);
          for (const n of [1, 2, 3]) {
            await sendAnswered(tab.page, `${GATEWAY}/v1/track`, (i) => window.rudderanalytics.track(`Step ${i}`, { n: i }), n);
          }
          const anonymousId = await tab.page.evaluate(() => window.rudderanalytics.getAnonymousId());
          const header = (await identify.request().allHeaders()).anonymousid;
          if (!header || Buffer.from(header, 'base64').toString('utf8') !== anonymousId) {
            throw new Error(`AnonymousId header ${header} is not base64 of ${anonymousId}`);
          }
          await expectDelivered(sink, anonymousId, userId, expected);
          tab.check();
        } finally {
          await tab.close();
        }
      },
    },
    {
      name: "RudderStack's JS SDK on another origin, over beacon: page, identify, tracks reach the sink in order",
      needs,
      run: async () => {
        const tab = await guardedPage(browser, pageUrl('rudderstack.html', '&beacon=true'));
        try {
          await tab.page.waitForFunction(() => window.sdkReady === true);
          const userId = `rs-beacon-${crypto.randomUUID()}`;
          await tab.page.evaluate((u) => {
            window.rudderanalytics.page('E2E', 'Pricing');
            window.rudderanalytics.identify(u, { plan: 'pro' });
            for (const i of [1, 2, 3]) window.rudderanalytics.track(`Step ${i}`, { n: i });
          }, userId);
          const anonymousId = await tab.page.evaluate(() => window.rudderanalytics.getAnonymousId());
          await expectDelivered(sink, anonymousId, userId, expected);
          const beacons = tab.requests.filter((r) => r.url().startsWith(`${GATEWAY}/beacon/v1/batch`));
          if (!beacons.length) throw new Error('no request to /beacon/v1/batch was seen');
          if (tab.requests.some((r) => r.url().startsWith(`${GATEWAY}/v1/`))) throw new Error('the beacon page also sent XHRs');
          tab.check();
        } finally {
          await tab.close();
        }
      },
    },
    {
      name: "Segment's analytics-next (npm) on another origin, cdnURL = the suite: page, identify, tracks reach the sink in order",
      needs,
      run: async () => {
        const tab = await guardedPage(browser, pageUrl('segment.html'));
        try {
          await tab.page.waitForFunction(() => window.sdkReady === true);
          const settings = tab.responses.find((r) => r.url().startsWith(`${GATEWAY}/v1/projects/`));
          if (!settings || settings.status() !== 200) throw new Error(`settings: ${settings?.status() ?? 'never asked'}`);
          const userId = `segment-${crypto.randomUUID()}`;
          await sendAnswered(tab.page, `${GATEWAY}/v1/p`, () => window.analytics.page('E2E', 'Pricing'));
          await sendAnswered(tab.page, `${GATEWAY}/v1/i`, (u) => window.analytics.identify(u, { plan: 'pro' }), userId);
          for (const n of [1, 2, 3]) {
            await sendAnswered(tab.page, `${GATEWAY}/v1/t`, (i) => window.analytics.track(`Step ${i}`, { n: i }), n);
          }
          const anonymousId = await tab.page.evaluate(async () => (await window.analytics.user()).anonymousId());
          await expectDelivered(sink, anonymousId, userId, expected);
          tab.check();
        } finally {
          await tab.close();
        }
      },
    },
  ];
}
