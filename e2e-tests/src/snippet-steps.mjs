import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sinkEvents, until } from './sdk-steps.mjs';

// The web app's snippets, copied from the source's page as a user would, run unchanged against the suite: the Node
// one with @rudderstack/rudder-sdk-node from npm, the Java one compiled and run against RudderStack's Java SDK from
// Maven Central (the class path Maven resolved, target/java-sdk.classpath). Each must deliver its events (identify +
// "Order Completed" of user-1) to the sink. The JavaScript (npm) snippet is what the RudderStack pages of
// sdk-steps.mjs run (bundled build, configUrl = gateway). Python's is not run: PyPI cannot be reached from the build
// machines.

function run(command, args, { cwd, timeout = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} did not finish in ${timeout / 1000} s: ${output.slice(-500)}`));
    }, timeout);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export function snippetFlow({ page, sink, state, target }) {
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
  ];
}
