import pg from 'pg';
import { configApplied } from './steps.mjs';
import { PORTS } from './suite.mjs';

// The warehouse screens of issue 18 against the real suite: a PostgreSQL warehouse destination made in the web app
// (the warehouse is a schema of the suite's own test database, so the test needs no second server), events sent
// through the gateway, "Sync now" pressed on the Warehouse page until the upload is exported, the page's per-table
// row counts read, and the rows looked up in the warehouse itself: each event once, in the table RudderStack's
// warehouse schema puts it in.

const GATEWAY = `http://127.0.0.1:${PORTS.gateway}`;
const SCHEMA = 'shop_warehouse'; // no digits: the warehouse snake-cases the schema as RudderStack does (e2e_wh becomes e_2_e_wh)
const SYNCED = 240_000; // staging, then one upload, on a loaded 2-core machine

export function warehouseFlow({ page, state, jobsDb, shot }) {
  const nav = (label) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  const stamp = Date.now();
  const events = [
    { type: 'identify', userId: 'wh-user', traits: { plan: 'pro', seats: 3 }, messageId: `wh-identify-${stamp}` },
    { type: 'track', userId: 'wh-user', event: 'Order Completed', properties: { revenue: 19.99 }, messageId: `wh-track-${stamp}` },
  ];
  const query = async (sql, params) => {
    const client = new pg.Client(jobsDb);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  return [
    {
      name: 'create a PostgreSQL warehouse destination connected to the source',
      needs: ['create a source and read its write key and snippets'],
      run: async () => {
        if (!jobsDb.password) {
          // the launcher's embedded PostgreSQL trusts local logins and its user has no password, but the destination
          // requires one (as RudderStack's does): give that throwaway server's user one
          jobsDb.password = `wh${Date.now()}`;
          await query(`ALTER ROLE CURRENT_USER PASSWORD '${jobsDb.password}'`);
        }
        await nav('Destinations');
        await page.getByRole('button', { name: /^PostgreSQL\b/ }).first().click();
        const form = page.getByRole('form', { name: 'PostgreSQL settings' });
        await form.getByLabel(/^Name/).fill('E2E warehouse');
        await form.getByLabel(/^Host/).fill(jobsDb.host);
        await form.getByLabel(/^Port/).fill(String(jobsDb.port));
        await form.getByLabel(/^Database/).fill(jobsDb.database);
        await form.getByLabel(/^User\b/).fill(jobsDb.user);
        await form.getByLabel(/^Password/).fill(jobsDb.password);
        await form.getByLabel(/^Schema/).fill(SCHEMA);
        await form.getByLabel('E2E website').check();
        await form.getByRole('button', { name: 'Create destination' }).click();
        await page.getByRole('heading', { name: /E2E warehouse/ }).waitFor();
        await page.getByText('connected').first().waitFor();
        await shot('40-warehouse-destination');
        await configApplied(); // the processor must know the new destination, or it routes the events without it
      },
    },
    {
      name: 'events sent through the gateway are loaded by "Sync now": the Warehouse page shows the tables, the rows are there once',
      needs: ['create a PostgreSQL warehouse destination connected to the source'],
      run: async () => {
        // the data plane uses the new destination (previous step); the gateway may still answer 5xx on a loaded
        // machine: resend until accepted (dedup by messageId keeps a resend from counting twice)
        const deadline = Date.now() + 90_000;
        for (const event of events) {
          for (;;) {
            const r = await fetch(`${GATEWAY}/v1/${event.type}`, {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                Authorization: `Basic ${Buffer.from(`${state.writeKey}:`).toString('base64')}`,
              },
              body: JSON.stringify({ ...event, context: { library: { name: 'eventpipe-e2e', version: '1.0.0' } } }),
            });
            if (r.ok) break;
            if (Date.now() > deadline) throw new Error(`gateway answered ${r.status}: ${await r.text()}`);
            await page.waitForTimeout(1000);
          }
        }
        await nav('Warehouse');
        await page.getByRole('heading', { name: 'Warehouse syncs' }).waitFor();
        await page.getByLabel('Destination').selectOption({ label: 'E2E warehouse' });
        const exported = page.locator('ul.uploads li.card', { hasText: 'exported' });
        // the events reach the staging files only once the processor has routed them to the warehouse: press
        // "Sync now" until an upload holding them has been exported
        const until = Date.now() + SYNCED;
        let loaded = false;
        while (!loaded) {
          if (Date.now() > until) throw new Error('no upload was exported in time');
          const rows = await query(
            `SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'identifies')::int AS ready`,
            [SCHEMA],
          );
          if (rows[0].ready) {
            const found = await query(
              `SELECT (SELECT count(*) FROM ${SCHEMA}.identifies WHERE id = $1)::int AS identifies,
                      (SELECT count(*) FROM ${SCHEMA}.order_completed WHERE id = $2)::int AS orders`,
              [events[0].messageId, events[1].messageId],
            ).catch(() => [{ identifies: 0, orders: 0 }]);
            loaded = found[0].identifies > 0 && found[0].orders > 0;
            if (loaded) break;
          }
          await page.getByRole('button', { name: 'Sync now' }).click();
          await page.getByRole('status').filter({ hasText: /Sync started|Nothing to sync/ }).waitFor();
          await page.waitForTimeout(3000);
        }
        // the page shows the export with its tables and row counts
        await exported.first().waitFor({ timeout: 30_000 });
        await exported.first().locator('summary').click();
        const table = exported.first().locator('table');
        for (const name of ['identifies', 'users', 'tracks', 'order_completed']) {
          await table.locator('tr', { hasText: name }).first().waitFor();
        }
        await shot('41-warehouse-upload');
        // each event once, in RudderStack's tables and columns
        const [counts] = await query(
          `SELECT (SELECT count(*) FROM ${SCHEMA}.identifies WHERE id = $1 AND user_id = 'wh-user' AND plan = 'pro')::int AS identifies,
                  (SELECT count(*) FROM ${SCHEMA}.tracks WHERE id = $2 AND event = 'order_completed')::int AS tracks,
                  (SELECT count(*) FROM ${SCHEMA}.order_completed WHERE id = $2 AND revenue = 19.99)::int AS orders,
                  (SELECT count(*) FROM ${SCHEMA}.users WHERE id = 'wh-user' AND seats = 3)::int AS users`,
          [events[0].messageId, events[1].messageId],
        );
        for (const [table, n] of Object.entries(counts)) {
          if (n !== 1) throw new Error(`${SCHEMA}.${table} has ${n} rows of the event, expected 1 (${JSON.stringify(counts)})`);
        }
      },
    },
  ];
}
