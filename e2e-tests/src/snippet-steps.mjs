import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import pg from 'pg';
import { guardedPage, leavesMachine, sinkEvents, until } from './sdk-steps.mjs';
import { PORTS } from './suite.mjs';

// The web app's snippets, copied from the source's page as a user would, run unchanged against the suite:
// - Node: with @rudderstack/rudder-sdk-node from npm;
// - Java: compiled and run against RudderStack's Java SDK from Maven Central (the class path Maven resolved,
//   target/java-sdk.classpath);
// - JavaScript (npm): the snippet's text is the entry of an esbuild bundle, its import resolved from
//   e2e-tests/node_modules (the real @rudderstack/analytics-js), on a page of the SDK site (another origin);
// - JavaScript (script tag): the snippet's text is the body of a page of the SDK site; its <script src> is the SDK
//   file the suite serves (config backend /sdk/rudder-analytics.js, copied from npm by the web app's build): the
//   step checks the snippet names the suite's file, not a CDN, and that the page loaded it from there;
// - curl: run by bash, against the gateway;
// - Go: parsed by gofmt (not run: the SDK would come from the Go module proxy, off this machine);
// - Python: parsed by python3's ast module, not run: PyPI cannot be reached from the build machines (README.md).
// Each snippet that runs must deliver its events to the sink. The browser pages may not send a request off the
// machine. "In order": RudderStack keeps, per user key (reference §1.4), the order in which the gateway stored the
// events; the SDK's XHR queue sends the snippet's queued calls at once, so that order is read from the gateway's
// jobs (gw_jobs.job_id, user key gw_jobs.user_id) and the sink must have each key's events in it.

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.resolve(here, '..', 'node_modules');
const GATEWAY = `http://127.0.0.1:${PORTS.gateway}`;
const CONFIG_BACKEND = `http://127.0.0.1:${PORTS.configBackend}`;
const EVENT_PATHS = new Set(['/v1/page', '/v1/identify', '/v1/track', '/v1/screen', '/v1/group', '/v1/alias', '/v1/batch']);
const label = (e) => (e.type === 'track' ? e.event : e.type);

/** The gateway's job of each message id: its job id (the order it accepted them) and its user key. */
async function gatewayJobs(jobsDb, messageIds) {
  const client = new pg.Client(jobsDb);
  await client.connect();
  try {
    const jobs = new Map();
    for (const id of messageIds) {
      const r = await client.query('SELECT job_id, user_id FROM gw_jobs WHERE event_payload LIKE $1', [`%"${id}"%`]);
      if (r.rows.length !== 1) throw new Error(`the gateway has ${r.rows.length} jobs of message ${id}`);
      jobs.set(id, { jobId: Number(r.rows[0].job_id), userKey: r.rows[0].user_id });
    }
    return jobs;
  } finally {
    await client.end();
  }
}

/**
 * Opens the page, waits until the gateway answered the SDK's `expected` calls (each 200), then until the sink has
 * each once, in the gateway's order. Returns the events as the sink got them.
 */
async function runBrowserSnippet({ browser, sink, jobsDb, url, expected, checkPage }) {
  const tab = await guardedPage(browser, url);
  try {
    const calls = () =>
      tab.responses.filter((r) => {
        const u = new URL(r.url());
        return r.request().method() === 'POST' && u.origin === GATEWAY && EVENT_PATHS.has(u.pathname);
      });
    await until(
      () => calls().length >= expected.length,
      () => `the gateway answered ${calls().length} of the ${expected.length} calls of the snippet: ${calls().map((r) => r.url()).join(', ')}`,
    );
    const config = tab.responses.find((r) => r.url().startsWith(`${GATEWAY}/sourceConfig`));
    if (!config || config.status() !== 200) throw new Error(`/sourceConfig on the gateway: ${config?.status() ?? 'never asked'}`);
    const sent = [];
    for (const r of calls()) {
      if (r.status() !== 200) throw new Error(`${r.url()} answered ${r.status()}: ${await r.text()}`);
      const body = JSON.parse(r.request().postData());
      for (const e of body.batch ?? [body]) sent.push(e);
    }
    const sentLabels = sent.map(label);
    if ([...sentLabels].sort().join() !== [...expected].sort().join()) {
      throw new Error(`the snippet sent ${sentLabels.join(', ')}; expected ${expected.join(', ')}`);
    }
    const ids = sent.map((e) => e.messageId);
    const mine = () => sinkEvents(sink).filter((e) => ids.includes(e.messageId));
    await until(
      () => mine().length >= ids.length,
      () => `the sink got ${mine().length} of the snippet's ${ids.length} events: ${mine().map(label).join(', ')}`,
    );
    const got = mine();
    if (got.length !== ids.length) throw new Error(`delivered more than once: ${got.map((e) => e.messageId).join(', ')}`);
    // per user key (the gateway's <AnonymousId header><<>>anonymousId or userId<<>>userId, so an anonymous page and
    // the identified calls after it are two keys): the sink's order must be the gateway's
    const jobs = await gatewayJobs(jobsDb, ids);
    const name = (id) => label(sent.find((e) => e.messageId === id));
    for (const key of new Set([...jobs.values()].map((j) => j.userKey))) {
      const ofKey = (id) => jobs.get(id).userKey === key;
      const byGateway = ids.filter(ofKey).sort((a, b) => jobs.get(a).jobId - jobs.get(b).jobId);
      const bySink = got.map((e) => e.messageId).filter(ofKey);
      if (bySink.join() !== byGateway.join()) {
        throw new Error(`out of order for user key ${key}: the gateway stored ${byGateway.map(name).join(', ')}; the sink got ${bySink.map(name).join(', ')}`);
      }
    }
    await checkPage?.(tab);
    tab.check();
    return got;
  } finally {
    await tab.close();
  }
}

function run(command, args, { cwd, timeout = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      output += d;
      stdout += d;
    });
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} did not finish in ${timeout / 1000} s: ${output.slice(-500)}`));
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close', not 'exit': the child's output may still be arriving when it exits
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stdout });
    });
  });
}

export function snippetFlow({ page, browser, sink, state, target, site, jobsDb }) {
  const dir = (name) => {
    const d = path.join(target, 'snippets', name);
    fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  /** The snippet under the tab, as the source's page shows it. */
  const snippet = async (tab) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources', exact: true }).click();
    await page.getByRole('link', { name: 'E2E website' }).click();
    await page.getByRole('tab', { name: tab, exact: true }).click();
    const code = (await page.locator('#snippet-panel pre').textContent()) ?? '';
    if (!code.includes(state.writeKey)) throw new Error(`the ${tab} snippet does not name the write key`);
    return code;
  };
  /** Waits for the snippet's identify and track of user-1 that arrived after `from`, from the given library. */
  const delivered = async (from, library) => {
    const fresh = () =>
      sinkEvents({ received: sink.received.slice(from) }).filter(
        (e) => e.userId === 'user-1' && (!library || e.context?.library?.name === library),
      );
    await until(
      () => fresh().some((e) => e.type === 'identify') && fresh().some((e) => e.event === 'Order Completed'),
      () => `the sink never got the snippet's identify and track (${fresh().length} events of user-1)`,
    );
  };
  const needs = ['fix the sink, replay the selection; it is delivered'];

  return [
    {
      name: 'the Node.js snippet as shown runs against the suite; its events reach the sink',
      needs,
      run: async () => {
        const code = await snippet('Node.js');
        const d = dir('node');
        // CommonJS, as in a fresh npm project; @rudderstack/rudder-sdk-node resolves from e2e-tests/node_modules
        fs.writeFileSync(path.join(d, 'send.cjs'), code);
        const from = sink.received.length;
        const result = await run(process.execPath, ['send.cjs'], { cwd: d });
        if (result.code !== 0) throw new Error(`node exited ${result.code}: ${result.output.slice(-800)}`);
        await delivered(from, 'analytics-node');
      },
    },
    {
      name: "the Java snippet as shown compiles and runs against RudderStack's Java SDK; its events reach the sink",
      needs,
      run: async () => {
        const code = await snippet('Java');
        const cpFile = path.join(target, 'java-sdk.classpath');
        if (!fs.existsSync(cpFile)) {
          throw new Error(`${cpFile} is missing: Maven writes it (run through ./mvnw -pl e2e-tests ... verify)`);
        }
        const classpath = fs.readFileSync(cpFile, 'utf8').trim();
        const named = /com\.rudderstack\.sdk\.java\.analytics:analytics:([\w.-]+)/.exec(code)?.[1];
        if (!named || !classpath.includes(`analytics-${named}.jar`)) {
          throw new Error(`the snippet names analytics:${named}, not the SDK on the test's class path: ${classpath}`);
        }
        const className = /public class (\w+)/.exec(code)?.[1];
        if (!className) throw new Error('the Java snippet has no public class');
        const d = dir('java');
        fs.writeFileSync(path.join(d, `${className}.java`), code);
        const java = process.env.JAVA_BIN || path.join(process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64', 'bin', 'java');
        const javac = path.join(path.dirname(java), 'javac');
        const compiled = await run(javac, ['-cp', classpath, '-d', d, path.join(d, `${className}.java`)], { cwd: d });
        if (compiled.code !== 0) throw new Error(`javac: ${compiled.output.slice(-1500)}`);
        const from = sink.received.length;
        const ran = await run(java, ['-cp', `${d}${path.delimiter}${classpath}`, className], { cwd: d });
        if (ran.code !== 0) throw new Error(`java exited ${ran.code}: ${ran.output.slice(-1500)}`);
        await delivered(from, 'analytics-java');
      },
    },
    {
      name: 'the JavaScript (npm) snippet as shown, bundled with the npm package, on another origin: page, identify, track reach the sink in order',
      needs,
      run: async () => {
        const code = await snippet('JavaScript (npm)');
        if (!code.includes(`configUrl: '${GATEWAY}'`)) throw new Error(`the npm snippet's configUrl is not the suite's gateway ${GATEWAY}`);
        const d = dir('js-npm');
        fs.writeFileSync(path.join(d, 'snippet.mjs'), code);
        // as an npm user's bundler would: the snippet is the entry, its import resolved from node_modules
        await esbuild.build({
          entryPoints: [path.join(d, 'snippet.mjs')],
          outfile: path.join(d, 'snippet.js'),
          bundle: true,
          format: 'iife',
          platform: 'browser',
          target: 'es2020',
          nodePaths: [nodeModules],
          logLevel: 'warning',
        });
        site.serve('/snippets/js-npm.js', 'text/javascript', fs.readFileSync(path.join(d, 'snippet.js')));
        const url = site.serve(
          '/snippets/js-npm.html',
          'text/html',
          '<!doctype html><html><head><meta charset="utf-8"><title>npm snippet</title></head><body><h1>npm snippet</h1>\n' +
            '<script src="/snippets/js-npm.js"></script>\n</body></html>\n',
        );
        const got = await runBrowserSnippet({ browser, sink, jobsDb, url, expected: ['page', 'identify', 'Order Completed'] });
        if (!got.every((e) => e.context?.library?.name === 'RudderLabs JavaScript SDK')) {
          throw new Error(`not from RudderStack's JS SDK: ${got.map((e) => e.context?.library?.name).join(', ')}`);
        }
      },
    },
    {
      name: "the JavaScript (script tag) snippet as shown, on another origin, loads the SDK from the suite: page, track reach the sink in order",
      needs,
      run: async () => {
        const code = await snippet('JavaScript (script tag)');
        const src = /<script src="([^"]+)"><\/script>/.exec(code)?.[1];
        if (!src) throw new Error('the script-tag snippet has no <script src>');
        if (leavesMachine(src) || new URL(src).origin !== CONFIG_BACKEND) {
          throw new Error(`the script-tag snippet loads the SDK from ${src}, not from the suite (${CONFIG_BACKEND})`);
        }
        if (!code.includes(`configUrl: '${GATEWAY}'`)) throw new Error(`the script-tag snippet's configUrl is not the suite's gateway ${GATEWAY}`);
        fs.writeFileSync(path.join(dir('js-script'), 'snippet.html'), code);
        const url = site.serve(
          '/snippets/js-script.html',
          'text/html',
          `<!doctype html><html><head><meta charset="utf-8"><title>script-tag snippet</title></head><body><h1>script-tag snippet</h1>\n${code}\n</body></html>\n`,
        );
        const got = await runBrowserSnippet({
          browser,
          sink,
          jobsDb,
          url,
          expected: ['page', 'Order Completed'],
          checkPage: async (tab) => {
            const sdk = tab.responses.find((r) => r.url() === src);
            if (!sdk || sdk.status() !== 200) throw new Error(`${src}: ${sdk?.status() ?? 'never loaded'}`);
            if (!(sdk.headers()['content-type'] ?? '').includes('javascript')) {
              throw new Error(`${src} is served as ${sdk.headers()['content-type']}`);
            }
          },
        });
        if (!got.every((e) => e.context?.library?.name === 'RudderLabs JavaScript SDK')) {
          throw new Error(`not from RudderStack's JS SDK: ${got.map((e) => e.context?.library?.name).join(', ')}`);
        }
      },
    },
    {
      name: 'the curl snippet as shown runs against the gateway; its track reaches the sink',
      needs,
      run: async () => {
        const code = await snippet('curl');
        const d = dir('curl');
        fs.writeFileSync(path.join(d, 'send.sh'), `${code}\n`);
        const from = sink.received.length;
        const result = await run('bash', ['send.sh'], { cwd: d });
        if (result.code !== 0) throw new Error(`curl exited ${result.code}: ${result.output.slice(-800)}`);
        // RudderStack's answer to its own clients and curl: "ok" (gateway ReplyStyle)
        if (result.stdout.trim() !== 'ok') throw new Error(`the gateway answered the curl snippet: ${JSON.stringify(result.stdout.slice(-300))}`);
        const fresh = () =>
          sinkEvents({ received: sink.received.slice(from) }).filter(
            (e) => e.userId === 'user-1' && e.event === 'Order Completed' && e.properties?.revenue === 30,
          );
        await until(() => fresh().length === 1, () => `the sink got ${fresh().length} tracks of the curl snippet`);
      },
    },
    {
      name: 'the Go snippet as shown is valid Go (gofmt parses it; not run: its SDK is off this machine)',
      needs,
      run: async () => {
        const code = await snippet('Go');
        const d = dir('go');
        fs.writeFileSync(path.join(d, 'main.go'), `${code}\n`);
        let result;
        try {
          result = await run('gofmt', ['-e', '-l', 'main.go'], { cwd: d });
        } catch (e) {
          throw new Error(`gofmt could not run (${e.message}): apt-get install -y --no-install-recommends golang-go`);
        }
        if (result.code !== 0) throw new Error(`gofmt: ${result.output.slice(-800)}`);
        if (!/analytics\.New\("\w+", "http:\/\/127\.0\.0\.1:8080"\)/.test(code)) throw new Error('the Go snippet does not name the write key and the gateway');
      },
    },
    {
      name: 'the Python snippet as shown is valid Python (not run: PyPI cannot be reached from the build machines)',
      needs,
      run: async () => {
        const code = await snippet('Python');
        const d = dir('python');
        fs.writeFileSync(path.join(d, 'send.py'), `${code}\n`);
        const result = await run('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', 'send.py'], { cwd: d });
        if (result.code !== 0) throw new Error(`python3: ${result.output.slice(-800)}`);
        if (!code.includes(`dataPlaneUrl = '${GATEWAY}'`)) throw new Error('the Python snippet does not name the gateway');
      },
    },
  ];
}
