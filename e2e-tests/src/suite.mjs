import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

// Starts the real suite with the launcher jar (launcher/target/launcher.jar), in a suite root of its own under
// target/ (copies of the built service jars, its own .data), so a developer's ./run.sh data is never touched and a
// rebuild of a module while the test runs cannot pull a jar from under a running service.
// PostgreSQL: with TEST_JDBC_URL, a fresh database on that server passed as JOBS_DB_*; else the launcher's
// embedded PostgreSQL on a port of its own.

const MODULES = ['config-backend', 'transformer-service', 'gateway-service', 'processor-service', 'router-service', 'warehouse-service'];
export const PORTS = { configBackend: 5000, transformer: 9090, gateway: 8080, processor: 8086, router: 8087, warehouse: 8082 };

export function prepareRoot(repo, target) {
  const root = path.join(target, 'suite');
  fs.rmSync(root, { recursive: true, force: true });
  for (const module of MODULES) {
    const jar = path.join(repo, module, 'target', `${module}-exec.jar`);
    if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: build the services first (./mvnw verify builds them before this module)`);
    fs.mkdirSync(path.join(root, module, 'target'), { recursive: true });
    fs.copyFileSync(jar, path.join(root, module, 'target', `${module}-exec.jar`));
    const flags = path.join(repo, module, 'jvm-flags.txt');
    if (fs.existsSync(flags)) fs.copyFileSync(flags, path.join(root, module, 'jvm-flags.txt'));
    const graal = path.join(repo, module, 'target', 'graal');
    if (fs.existsSync(graal)) fs.cpSync(graal, path.join(root, module, 'target', 'graal'), { recursive: true });
  }
  return root;
}

/** The launcher reads its generated secrets from .data/local.properties: writing them first fixes the log-in. */
export function writeSecrets(root, secrets) {
  const data = path.join(root, '.data');
  fs.mkdirSync(data, { recursive: true });
  const lines = Object.entries(secrets).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(path.join(data, 'local.properties'), `# written by e2e-tests\n${lines.join('\n')}\n`);
}

export async function databaseEnv(log) {
  const url = process.env.TEST_JDBC_URL;
  if (!url) {
    log('PostgreSQL: none given (TEST_JDBC_URL unset): the launcher starts an embedded one');
    const port = process.env.E2E_EMBEDDED_PG_PORT ?? '25432';
    // the launcher's embedded PostgreSQL: database eventpipe, user postgres (launcher Database.java)
    return {
      EMBEDDED_PG_PORT: port,
      connection: { host: '127.0.0.1', port: Number(port), database: 'eventpipe', user: 'postgres', password: '' },
    };
  }
  const match = /^jdbc:postgresql:\/\/([^:/?]+)(?::(\d+))?\/([^?]*)/.exec(url);
  if (!match) throw new Error(`cannot read TEST_JDBC_URL ${url}`);
  const [, host, port = '5432', adminDb] = match;
  const user = process.env.TEST_JDBC_USER ?? 'postgres';
  const password = process.env.TEST_JDBC_PASSWORD ?? '';
  const name = `e2e_${Date.now()}_${process.pid}`;
  const client = new pg.Client({ host, port: Number(port), database: adminDb || 'postgres', user, password });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  log(`PostgreSQL: fresh database ${name} on ${host}:${port}`);
  return {
    JOBS_DB_HOST: host,
    JOBS_DB_PORT: port,
    JOBS_DB_USER: user,
    JOBS_DB_PASSWORD: password,
    JOBS_DB_DB_NAME: name,
    /** how the test itself reads the suite's job tables (pg.Client options) */
    connection: { host, port: Number(port), database: name, user, password },
    drop: async () => {
      const c = new pg.Client({ host, port: Number(port), database: adminDb || 'postgres', user, password });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function startLauncher({ repo, root, env, logFile }) {
  const java = process.env.JAVA_BIN || path.join(process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64', 'bin', 'java');
  const jar = path.join(repo, 'launcher', 'target', 'launcher.jar');
  if (!fs.existsSync(jar)) throw new Error(`${jar} is missing: build the launcher first`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(java, [`-Deventpipe.root=${root}`, '-jar', jar], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so stopping it takes the services along
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 40_000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

/** The suite's ports must be free: otherwise the test would drive whatever else is listening there. */
export async function assertPortsFree() {
  const busy = [];
  for (const [name, port] of Object.entries(PORTS)) {
    const inUse = await new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (inUse) busy.push(`${name} :${port}`);
  }
  if (busy.length) throw new Error(`ports in use (${busy.join(', ')}): stop the eventpipe that is running there first`);
}

export async function awaitHealthy(launcher, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (const [name, port] of Object.entries(PORTS)) {
    for (;;) {
      if (launcher.child.exitCode !== null) {
        throw new Error(`the launcher exited with ${launcher.child.exitCode}; see ${logFile}`);
      }
      if (Date.now() > deadline) throw new Error(`${name} (:${port}) not healthy in time; see ${logFile}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
        if (r.status < 500) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
