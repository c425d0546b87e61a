import { PORTS } from './suite.mjs';

// The browser flow of issues 8 and 19, one named step at a time. Each step waits on what a person would see (a row,
// a badge, a number) or on a condition of the suite (each data-plane service has polled its config since a change),
// never on a fixed sleep.

const UI = `http://127.0.0.1:${PORTS.configBackend}`;
const GATEWAY = `http://127.0.0.1:${PORTS.gateway}`;
const SEEN = 90_000; // how long an event may take to show up end to end on a loaded 2-core machine
const DATA_PLANE = ['gateway', 'processor', 'router'].map((name) => [name, `http://127.0.0.1:${PORTS[name]}/health`]);

const lastSyncs = async () =>
  Promise.all(
    DATA_PLANE.map(async ([name, url]) => {
      const body = await (await fetch(url)).json();
      return [name, Date.parse(body.lastSync) || 0];
    }),
  );
const waitFor = async (condition, message, timeout) => {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((res) => setTimeout(res, 500));
  }
};

/**
 * Resolves once a config change made before the call is in use: every data-plane service has finished a poll that
 * started after it. A poll finishing after the change may have started before it, so two finished polls are awaited.
 */
export async function configApplied() {
  const changedAt = Date.now();
  let first;
  await waitFor(async () => (first = await lastSyncs()).every(([, t]) => t > changedAt), 'a service never polled its config', 60_000);
  const seen = Object.fromEntries(first);
  await waitFor(async () => (await lastSyncs()).every(([name, t]) => t > seen[name]), 'a service stopped polling its config', 60_000);
}

export function flow({ page, phone, sink, admin, shot, state = {} }) {
  state.messageIds = {};
  const nav = async (label) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  };
  const send = async (event) => {
    // the gateway learns a new write key at its next config poll: 401 until then
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await fetch(`${GATEWAY}/v1/track`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`${state.writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({
          userId: 'e2e-user',
          event,
          messageId: (state.messageIds[event] ??= `${event.replace(/\W+/g, '-')}-${Date.now()}`),
          properties: { step: event },
          context: { library: { name: 'eventpipe-e2e', version: '1.0.0' } },
        }),
      });
      if (r.ok) return;
      if (Date.now() > deadline) throw new Error(`gateway answered ${r.status}: ${await r.text()}`);
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  const until = async (condition, message, timeout = SEEN) => {
    const deadline = Date.now() + timeout;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(message);
      await page.waitForTimeout(500);
    }
  };
  const total = (name, atLeast) =>
    page.waitForFunction(
      ([n, min]) => Number(document.querySelector(`[data-testid="total-${n}"]`)?.textContent) >= min,
      [name, atLeast],
      { timeout: SEEN, polling: 1000 },
    );
  const liveRow = (event) => page.locator('table.live-table tbody tr', { hasText: event });
  return [
    {
      name: 'log in',
      run: async () => {
        await page.goto(UI);
        await page.getByLabel('E-mail').fill(admin.email);
        await page.getByLabel('Password').fill(admin.password);
        await shot('01-login');
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByRole('heading', { name: 'Sources' }).waitFor();
        await page.getByLabel('Workspace').waitFor();
        // issue 14: the session is an HttpOnly, SameSite=Strict cookie; no script of the page can read its token
        const session = (await page.context().cookies(UI)).find((c) => c.name === 'eventpipe_session');
        if (!session || !session.httpOnly || session.sameSite !== 'Strict' || session.path !== '/') {
          throw new Error(`no HttpOnly, SameSite=Strict session cookie: ${JSON.stringify(session)}`);
        }
        const visible = await page.evaluate(() => JSON.stringify({
          cookie: document.cookie,
          local: Object.entries(localStorage),
          session: Object.entries(sessionStorage),
        }));
        if (visible.includes(session.value) || visible.includes('eps_')) {
          throw new Error(`the session token is readable by the page's scripts: ${visible}`);
        }
        // a reload keeps the session: the app asks the server, the browser sends the cookie
        await page.reload();
        await page.getByRole('heading', { name: 'Sources' }).waitFor();
      },
    },
    {
      name: 'create a source and read its write key and snippets',
      needs: ['log in'],
      run: async () => {
        await page.getByLabel('New source name').fill('E2E website');
        await page.getByRole('button', { name: 'Create source' }).click();
        await page.getByRole('heading', { name: /E2E website/ }).waitFor();
        state.writeKey = (await page.getByTestId('write-key').textContent()).trim();
        if (!/^\w{8,}$/.test(state.writeKey)) throw new Error(`odd write key ${state.writeKey}`);
        await page.getByTestId('first-event').getByText(/Waiting for the first event/).waitFor();
        await page.getByRole('tab', { name: 'curl' }).click();
        await page.locator('#snippet-panel pre').filter({ hasText: state.writeKey }).waitFor();
        await shot('02-source');
        await nav('Sources');
        await page.getByRole('link', { name: 'E2E website' }).waitFor();
        await shot('03-sources');
      },
    },
    {
      name: 'create a webhook destination to the sink, connected to the source',
      needs: ['create a source and read its write key and snippets'],
      run: async () => {
        await nav('Destinations');
        await page.getByRole('button', { name: /^Webhook\b/ }).first().click();
        const form = page.getByRole('form', { name: 'Webhook settings' });
        await form.getByLabel(/^Name/).fill('E2E sink');
        await form.getByLabel(/Webhook URL/).fill('not a url');
        await form.getByText('must match').waitFor(); // inline validation
        await form.getByLabel(/Webhook URL/).fill(sink.url);
        await form.getByLabel('E2E website').check();
        await shot('04-destination-form');
        await form.getByRole('button', { name: 'Create destination' }).click();
        await page.getByRole('heading', { name: /E2E sink/ }).waitFor();
        state.destinationUrl = page.url();
        await page.getByText('connected').first().waitFor();
        await shot('05-destination');
      },
    },
    {
      name: 'send an event with the write key; the sink gets it',
      needs: ['create a webhook destination to the sink, connected to the source'],
      run: async () => {
        await configApplied(); // the processor must know the new destination, or it rightly filters the event
        await send('E2E Order 1');
        await until(() => sink.delivered('E2E Order 1').length > 0, 'the event never reached the sink');
        if (sink.delivered('E2E Order 1').length !== 1) throw new Error('the sink got the event more than once');
      },
    },
    {
      name: 'live events shows it delivered',
      needs: ['send an event with the write key; the sink gets it'],
      run: async () => {
        await nav('Live events');
        try {
          await liveRow('E2E Order 1').getByText('E2E sink: delivered').waitFor({ timeout: SEEN });
          await liveRow('E2E Order 1').getByRole('button').click();
        } finally {
          await shot('06-live-events');
        }
      },
    },
    {
      name: 'the source page saw its first event',
      needs: ['send an event with the write key; the sink gets it'],
      run: async () => {
        await nav('Sources');
        await page.getByRole('link', { name: 'E2E website' }).click();
        try {
          await page.getByTestId('first-event').getByText(/Receiving events/).waitFor({ timeout: SEEN });
        } finally {
          await shot('06a-source-first-event');
        }
      },
    },
    {
      name: 'follow the delivered event from live events',
      needs: ['live events shows it delivered'],
      run: async () => {
        await nav('Live events');
        await liveRow('E2E Order 1').getByRole('link', { name: /^Follow/ }).click();
        await page.getByRole('heading', { name: 'Event debugger' }).waitFor();
        try {
          await page.getByTestId('trace-message-id').getByText(state.messageIds['E2E Order 1']).waitFor();
          await page.getByTestId('trace-sdk').getByText('eventpipe-e2e 1.0.0').waitFor();
          const ip = (await page.getByTestId('trace-ip').textContent()).trim();
          if (!/^[\d.:a-f]+$/i.test(ip)) throw new Error(`no request IP shown: "${ip}"`);
          const path = page.locator('.destination-path', { hasText: 'E2E sink' });
          await path.getByText('delivered').first().waitFor({ timeout: SEEN });
          await path.locator('.request-line').getByText(/^POST http:\/\/127\.0\.0\.1:\d+\/hook$/).waitFor();
          await path.locator('.attempts').getByText('delivered 200').waitFor();
        } finally {
          await shot('06b-event-path');
        }
      },
    },
    {
      name: 'the dashboard counts the delivery',
      needs: ['send an event with the write key; the sink gets it'],
      run: async () => {
        await nav('Delivery');
        try {
          await total('delivered', 1);
          await total('received', 1);
          await total('transformed', 1);
          await page.locator('.recharts-surface').first().waitFor();
          await page.getByTestId('latency-p50').getByText(/\d+(\.\d)? m?s/).waitFor();
        } finally {
          await shot('07-dashboard');
        }
        await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Last 7 days' }).click();
        await page.getByRole('button', { name: 'Last 7 days', pressed: true }).waitFor();
        await total('delivered', 1);
        await page.locator('.recharts-surface').first().waitFor();
        await shot('07a-dashboard-7d');
      },
    },
    {
      name: 'write a transformation that drops events, test it, save it',
      needs: ['log in'],
      run: async () => {
        await nav('Transformations');
        await page.getByLabel('New transformation name').fill('Drop everything');
        await page.getByRole('button', { name: 'Create transformation' }).click();
        await page.getByRole('heading', { name: /Drop everything/ }).waitFor();
        const editor = page.getByLabel('Transformation code');
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(
          'export function transformEvent(event, metadata) {\n  log("dropping", event.event);\n  return null;\n}\n',
        );
        await page.getByRole('button', { name: 'Run test' }).click();
        try {
          await page.getByText('No events returned: every event was dropped.').waitFor();
          await page.getByTestId('logs').getByText('dropping Order Completed').waitFor();
        } finally {
          await shot('08-transformation-test');
        }
        await page.getByRole('button', { name: 'Save as new version' }).click();
        await page.getByText('Saved as version 2.').waitFor();
        await page.locator('.version-diff').waitFor();
        await shot('09-transformation-versions');
      },
    },
    {
      name: 'attach it; the next event is filtered, not delivered',
      needs: ['write a transformation that drops events, test it, save it', 'send an event with the write key; the sink gets it'],
      run: async () => {
        await page.getByLabel(/^Destination/).selectOption({ label: 'E2E sink' });
        await page.getByRole('button', { name: 'Attach', exact: true }).click();
        await page.getByText('Version 2 now runs for E2E sink.').waitFor();
        await configApplied();
        await send('E2E Order 2');
        await nav('Delivery');
        try {
          await total('filtered', 1);
        } finally {
          await shot('10-dashboard-filtered');
        }
        if (sink.delivered('E2E Order 2').length) throw new Error('the sink got an event the transformation drops');
      },
    },
    {
      name: 'live events shows it filtered',
      needs: ['attach it; the next event is filtered, not delivered'],
      run: async () => {
        await nav('Live events');
        try {
          await liveRow('E2E Order 2').getByText(/E2E sink: filtered/).waitFor({ timeout: SEEN });
        } finally {
          await shot('11-live-filtered');
        }
      },
    },
    {
      name: 'make the sink fail; the failed events page shows the failure and its attempts',
      needs: ['attach it; the next event is filtered, not delivered'],
      run: async () => {
        await page.goto(state.destinationUrl);
        await page.getByLabel('Transformation to attach').selectOption({ label: '— none —' });
        await page.getByText('None: events are delivered as received.').waitFor();
        sink.answer(400); // a 4xx other than 408/429: aborted at once, no retry window to wait out
        await configApplied();
        await send('E2E Order 3');
        await until(() => sink.received.some((r) => r.status === 400 && r.body.includes('E2E Order 3')), 'the sink was never tried');
        await nav('Failed events');
        const row = page.locator('tbody tr', { hasText: 'E2E Order 3' });
        try {
          await row.getByText('aborted 400').waitFor({ timeout: SEEN });
        } finally {
          await shot('12-failed-events');
        }
        await row.getByRole('button', { name: /^#/ }).click();
        await page.getByRole('heading', { name: 'Attempts' }).waitFor();
        await page.locator('.job-detail').getByText(/sink told to answer 400/).first().waitFor();
        await shot('13-failed-event-attempts');
      },
    },
    {
      name: 'fix the sink, replay the selection; it is delivered',
      needs: ['make the sink fail; the failed events page shows the failure and its attempts'],
      run: async () => {
        sink.answer(200);
        const row = page.locator('tbody tr', { hasText: 'E2E Order 3' }).first();
        await row.getByRole('checkbox').check();
        await page.getByRole('button', { name: /Replay selected \(1\)/ }).click();
        await page.getByText(/Replayed 1 event\(s\)/).waitFor();
        await until(() => sink.delivered('E2E Order 3').length > 0, 'the replayed event never reached the sink');
        await page.getByText('(replayed)').first().waitFor({ timeout: SEEN });
        await shot('14-replayed');
      },
    },
    {
      name: 'delivery shows the error code; the failed event\'s path shows the refused attempt and the replay',
      needs: ['fix the sink, replay the selection; it is delivered'],
      run: async () => {
        await nav('Delivery');
        try {
          await page.locator('table.error-codes tbody tr', { hasText: '400' }).getByText(/%$/).waitFor({ timeout: SEEN });
        } finally {
          await shot('15-dashboard-errors');
        }
        await nav('Failed events');
        await page.locator('tbody tr', { hasText: 'E2E Order 3' }).first().getByRole('link', { name: /^Follow event/ }).click();
        await page.getByRole('heading', { name: 'Event debugger' }).waitFor();
        const path = page.locator('.destination-path', { hasText: 'E2E sink' });
        try {
          await path.locator('.attempts').getByText('aborted 400').first().waitFor({ timeout: SEEN });
          await path.getByText(/sink told to answer 400/).first().waitFor();
          await path.getByText(/\(replay of #\d+\)/).waitFor({ timeout: SEEN });
          await path.locator('.attempts').getByText('delivered 200').waitFor({ timeout: SEEN });
        } finally {
          await shot('16-event-path-failed-and-replayed');
        }
        await page.getByLabel('messageId, userId or anonymousId').fill('e2e-user');
        await page.getByRole('button', { name: 'Find event' }).click();
        await page.getByRole('heading', { name: /events match/ }).waitFor();
        await shot('17-event-search-by-user');
      },
    },
    {
      name: 'the health page shows each service, its config version equal to the backend\'s after a change, the backlog per stage and the storage',
      needs: ['send an event with the write key; the sink gets it'],
      run: async () => {
        await nav('Health');
        try {
          for (const name of ['gateway', 'processor', 'router', 'transformer', 'warehouse']) {
            await page.getByTestId(`service-${name}`).getByText('up', { exact: true }).waitFor({ timeout: SEEN });
          }
          for (const name of ['gateway', 'processor', 'router']) {
            const synced = await page.getByTestId(`service-${name}`).locator('td').nth(3).textContent();
            if (synced.trim() === '—') throw new Error(`${name} shows no workspace-config sync`);
          }
          // the workspace-config version each data-plane service runs, next to the config backend's current one:
          // after a config change (a new source) every service shows the new version, equal to the backend's
          const versions = async () =>
            Object.fromEntries(
              await Promise.all(
                ['gateway', 'processor', 'router'].map(async (name) => {
                  const cell = page.getByTestId(`config-version-${name}`);
                  const read = async (id) => ((await cell.getByTestId(id).count()) ? cell.getByTestId(id).getAttribute('title') : null);
                  return [name, { running: await read('running'), current: await read('current'), text: (await cell.textContent()).trim() }];
                }),
              ),
            );
          await until(
            async () => Object.values(await versions()).every((v) => v.running && v.current),
            'a data-plane service shows no config version, or no backend version next to it',
          );
          const before = await versions();
          await nav('Sources');
          await page.getByLabel('New source name').fill('E2E config change');
          await page.getByRole('button', { name: 'Create source' }).click();
          await page.getByRole('heading', { name: /E2E config change/ }).waitFor();
          await nav('Health');
          let after;
          await until(
            async () =>
              Object.entries((after = await versions())).every(
                ([name, v]) => v.current !== before[name].current && v.running === v.current && /current/.test(v.text) && !/older/.test(v.text),
              ),
            'after the config change, a service does not show the new version equal to the backend\'s',
          );
          if (new Set(Object.values(after).map((v) => v.current)).size !== 1) {
            throw new Error(`the data-plane services are compared with different backend versions: ${JSON.stringify(after)}`);
          }
          await page.getByTestId('stage-gw').waitFor();
          await page.getByTestId('stage-rt').waitFor();
          await page.getByTestId('storage').getByText(/used/).waitFor();
        } finally {
          await shot('18-health');
        }
      },
    },
    {
      name: 'screens are readable at phone width',
      needs: ['log in'],
      run: async () => {
        const traced = state.messageIds['E2E Order 3'] ?? state.messageIds['E2E Order 1'];
        for (const [route, name] of [
          ['/sources', '20-phone-sources'],
          ['/live', '21-phone-live'],
          ['/dashboard', '22-phone-dashboard'],
          ['/dashboard?range=24h', '23-phone-dashboard-24h'],
          ['/status', '23a-phone-health'],
          ...(traced ? [[`/events?id=${encodeURIComponent(traced)}`, '24-phone-event-path']] : []),
        ]) {
          await phone.goto(`${UI}${route}`);
          await phone.locator('h1').first().waitFor();
          await phone.locator('.spinner').first().waitFor({ state: 'detached' });
          const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          await shot(name, phone);
          if (overflow > 2) throw new Error(`${route} is ${overflow}px wider than the phone screen`);
        }
        await phone.getByRole('button', { name: 'Menu' }).click();
        await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed events' }).click();
        await phone.getByRole('heading', { name: 'Failed events' }).waitFor();
        await shot('25-phone-failed', phone);
      },
    },
  ];
}
