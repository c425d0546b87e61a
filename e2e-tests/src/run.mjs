import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSink } from './sink.mjs';
import { sdkFlow } from './sdk-steps.mjs';
import { snippetFlow } from './snippet-steps.mjs';
import { flow } from './steps.mjs';
import { warehouseFlow } from './warehouse-steps.mjs';
import { startSdkSite } from './sdk-pages.mjs';
import { assertPortsFree, awaitHealthy, databaseEnv, prepareRoot, startLauncher, writeSecrets } from './suite.mjs';

// End-to-end test of the web app against the real suite: run by Maven at integration-test (exec-maven-plugin), or
// by hand with `node src/run.mjs` from e2e-tests/ after `./mvnw -DskipTests package`. Prints one line per step and
// a closing "N passed, M failed"; exits non-zero when a step failed. Screenshots: target/screenshots/.

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = path.resolve(here, '..');
const repo = path.resolve(moduleDir, '..');
const target = path.join(moduleDir, 'target');
const shots = path.join(target, 'screenshots');
const log = (line) => console.log(`[e2e] ${line}`);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function main() {
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
  }
  await assertPortsFree();
  const admin = { email: 'admin@localhost', password: crypto.randomBytes(12).toString('hex') };
  const root = prepareRoot(repo, target);
  writeSecrets(root, {
    ADMIN_PASSWORD: admin.password,
    WORKSPACE_TOKEN: crypto.randomBytes(16).toString('hex'),
    DEMO_WRITE_KEY: crypto.randomBytes(16).toString('hex'),
    CONFIG_SECRET_KEY: crypto.randomBytes(32).toString('base64'),
  });
  const db = await databaseEnv(log);
  const { drop, connection: jobsDb, ...dbEnv } = db;
  const sink = await startSink();
  const site = await startSdkSite(target);
  const logFile = path.join(target, 'suite.log');
  log(`starting the suite (log: ${logFile})`);
  // the sink listens on this machine's loopback, which the egress policy refuses unless EGRESS_ALLOW lists it; so
  // does the warehouse of the warehouse steps (a schema of the suite's own database): the config backend refuses its
  // host on save and the warehouse service at connect time unless it is listed too
  // each service may take minutes to start on a loaded 2-core machine: the launcher waits as long as this test does
  const startTimeoutMs = Number(process.env.E2E_START_TIMEOUT_MS ?? 15 * 60_000);
  const launcher = startLauncher({
    repo,
    root,
    env: {
      ...dbEnv,
      EGRESS_ALLOW: `127.0.0.1:${new URL(sink.url).port},${jobsDb.host}:${jobsDb.port}`,
      LAUNCHER_START_TIMEOUT_SECONDS: String(Math.ceil(startTimeoutMs / 1000)),
    },
    logFile,
  });
  let browser;
  const results = [];
  try {
    const started = Date.now();
    // the services start one after another; on a loaded 2-core machine each takes a minute or more
    await awaitHealthy(launcher, logFile, startTimeoutMs);
    log(`suite healthy after ${Math.round((Date.now() - started) / 1000)} s`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(20_000);
    const consoleErrors = [];
    const page = await context.newPage();
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    const failedCalls = [];
    for (const p of [page, phone]) {
      p.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
      p.on('console', (m) => {
        // the browser logs every failed response as "Failed to load resource"; those are caught, with their URL,
        // by the response listener below
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
      });
      // every API call of the app must succeed: a 4xx or 5xx, or a request that never got an answer, fails the run
      p.on('response', (r) => {
        if (r.status() >= 400) failedCalls.push(`${r.request().method()} ${r.url()} → ${r.status()}`);
      });
      p.on('requestfailed', (r) => {
        // the app cancels reads it no longer needs (a page left, a filter changed): not a failure
        if (r.failure()?.errorText !== 'net::ERR_ABORTED') failedCalls.push(`${r.method()} ${r.url()} → ${r.failure()?.errorText}`);
      });
    }
    const shot = (name, p = page) => p.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
    const state = {};
    // the SDK and snippet steps (issue 15) come last: they use the source and the sink destination the web app made,
    // once the transformation is detached and the sink answers 200 again
    const steps = [
      ...flow({ page, phone, sink, admin, shot, state }),
      ...sdkFlow({ browser, sink, state, site }),
      ...snippetFlow({ page, browser, sink, state, target, site, jobsDb }),
      // issue 18: the warehouse destination and its syncs, last, so its second destination changes no count above
      ...warehouseFlow({ page, state, jobsDb, shot }),
    ];
    const passed = new Set();
    for (const step of steps) {
      const missing = (step.needs ?? []).filter((n) => !passed.has(n));
      if (missing.length) {
        results.push({ name: step.name, ok: false, why: `not run: needs "${missing.join('", "')}"` });
        log(`BLOCKED ${step.name}`);
        continue;
      }
      const t = Date.now();
      try {
        await step.run();
        passed.add(step.name);
        results.push({ name: step.name, ok: true });
        log(`PASS ${step.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        results.push({ name: step.name, ok: false, why: e.message.split('\n')[0] });
        log(`FAIL ${step.name}: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
        await shot(`fail-${results.length}`).catch(() => {});
      }
    }
    results.push(failedCalls.length
      ? { name: 'no failed API responses', ok: false, why: failedCalls.slice(0, 5).join(' | ') }
      : { name: 'no failed API responses', ok: true });
    results.push(consoleErrors.length
      ? { name: 'no console errors', ok: false, why: consoleErrors.slice(0, 5).join(' | ') }
      : { name: 'no console errors', ok: true });
  } catch (e) {
    results.push({ name: 'start the suite and the browser', ok: false, why: e.message });
  } finally {
    await browser?.close().catch(() => {});
    await launcher.stop();
    await sink.close();
    await site.close();
    await drop?.().catch((e) => log(`could not drop the test database: ${e.message}`));
  }
  fs.writeFileSync(path.join(target, 'e2e-results.json'), JSON.stringify(results, null, 2));
  console.log('');
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.why ? ` — ${r.why}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
