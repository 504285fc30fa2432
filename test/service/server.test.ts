/**
 * The real process over real HTTP: `scripts/start-service.mjs` (what `npm start` runs) against
 * PostgreSQL with MIGRATE_ON_BOOT, the smoke.yml journey (parsed by the health-gate's own parser)
 * on a fresh database, graceful SIGTERM, config errors at start, and the embedded PGlite default.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { readPath } from '../../actions/health-gate/src/probe.js';
import { parseSmokeJourney, substitute } from '../../actions/health-gate/src/smoke.js';
import { freePort } from '../harness/net.js';
import { freshDatabase, JWT_SECRET, type TestDatabase } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startProcess(env: Record<string, string>, waitForHealth = true): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'scripts', 'start-service.mjs')], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  if (waitForHealth) {
    // tsx compiling the sources on a busy two-core machine can take most of a minute.
    const deadline = Date.now() + 90_000;
    let up = false;
    while (!up && Date.now() < deadline && child.exitCode === null) {
      up = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
    if (!up) {
      child.kill('SIGKILL');
      throw new Error(`service did not become healthy:\n${out}`);
    }
  }
  return { child, url, output: () => out, exited };
}

describe('against PostgreSQL', () => {
  let database: TestDatabase;
  let svc: Running;

  beforeAll(async () => {
    database = await freshDatabase();
    svc = await startProcess({
      DATABASE_URL: database.url,
      MIGRATE_ON_BOOT: 'true',
      JWT_SECRET_KEY: JWT_SECRET,
      // Keeps the in-flight registration of the SIGTERM test well inside the 10 s shutdown budget on a busy machine.
      PASSWORD_HASH_COST: '14',
      GIT_SHA: 'e2e0000sha',
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    if (svc && svc.child.exitCode === null) svc.child.kill('SIGKILL');
    await database?.drop();
  });

  test('boots, migrates and answers /api/health over HTTP with the commit SHA', async () => {
    const res = await fetch(`${svc.url}/api/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; version: string; migrations: { current: number } };
    assert.equal(body.status, 'healthy');
    assert.equal(body.version, 'e2e0000sha');
    assert.equal(body.migrations.current, 4);
    assert.match(svc.output(), /"event":"migrations_applied"/);
  });

  test('the smoke.yml journey passes on a fresh database, twice (idempotent)', async () => {
    const env = { SMOKE_EMAIL: 'smoke@decisionlog.test', SMOKE_PASSWORD: 'smoke-password-123' };
    const steps = parseSmokeJourney(
      readFileSync(join(root, 'service', 'smoke.yml'), 'utf8'),
      'service/smoke.yml',
      env,
    );
    assert.deepEqual(
      steps.map((s) => s.name),
      ['register', 'login', 'ensure-project', 'projects', 'decisions', 'decisions-search'],
    );
    const projectIds: string[] = [];
    for (let run = 0; run < 2; run++) {
      const captures: Record<string, string> = {};
      const vars = (name: string) => captures[name] ?? env[name as keyof typeof env];
      for (const step of steps) {
        const res = await fetch(`${svc.url}${substitute(step.path!, vars)}`, {
          method: step.method,
          headers: {
            ...substitute(step.headers, vars),
            ...(step.json ? { 'content-type': 'application/json' } : {}),
          },
          body: step.json ? JSON.stringify(substitute(step.json, vars)) : undefined,
        });
        const json = await res.json();
        assert.ok(
          step.expectStatus.some((m) => res.status >= m.min && res.status <= m.max),
          `run ${run + 1} step ${step.name}: ${res.status} ${JSON.stringify(json)}`,
        );
        for (const c of step.expectJson)
          assert.equal(String(readPath(json, c.path).value), c.expected, `${step.name}: ${c.text}`);
        for (const [name, path] of Object.entries(step.capture)) {
          const got = readPath(json, path);
          assert.ok(got.found, `${step.name} captures ${path}`);
          captures[name] = String(got.value);
        }
      }
      projectIds.push(captures.project!);
    }
    assert.equal(projectIds[0], projectIds[1], 'the second run reuses the smoke project');
  });

  test('SIGTERM: finishes the in-flight request, stops accepting, exits 0', async () => {
    // A slow in-flight request: scrypt registration is the slowest thing we have.
    const inflight = fetch(`${svc.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.com', password: 'a long password' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    svc.child.kill('SIGTERM');
    const res = await inflight;
    assert.ok(res.status === 202 || res.status === 503, `in-flight request answered (${res.status})`);
    assert.equal(await svc.exited, 0, svc.output().split('\n').slice(-8).join('\n'));
    assert.match(svc.output(), /"event":"shutdown_complete"/);
    await assert.rejects(fetch(`${svc.url}/api/health`), 'no longer listening');
  });
});

describe('start-up', () => {
  test('invalid config stops the process with exit 1, one line per problem, secrets not echoed', async () => {
    const secret = 'postgres-password-do-not-print';
    const run = await startProcess(
      {
        ENVIRONMENT: 'production',
        DATABASE_URL: `mysql://root:${secret}@db/x`,
        JWT_SECRET_KEY: 'short',
        PORT: '99999',
      },
      false,
    );
    assert.equal(await run.exited, 1);
    const lines = run.output().trim().split('\n');
    const problems = lines.filter((l) => l.startsWith('config: '));
    assert.ok(problems.length >= 2, run.output());
    assert.ok(problems.some((l) => l.startsWith('config: DATABASE_URL')));
    assert.ok(problems.some((l) => l.startsWith('config: PORT')));
    assert.ok(!run.output().includes(secret));
    assert.ok(!run.output().includes('    at '), 'no stack trace');
  });

  test('a short JWT secret is refused outside local development (staging, not only production)', async () => {
    for (const environment of ['staging']) {
      const run = await startProcess(
        { ENVIRONMENT: environment, DATABASE_URL: 'postgres://app@127.0.0.1:1/app', JWT_SECRET_KEY: 'short' },
        false,
      );
      assert.equal(await run.exited, 1, environment);
      assert.match(run.output(), /config: JWT_SECRET_KEY is too short/, environment);
    }
  });

  test('with no DATABASE_URL it runs on embedded PGlite: migrated, register and projects work', async () => {
    const run = await startProcess({ EMBEDDED_DB_DIR: 'memory://', LOG_LEVEL: 'info' });
    try {
      const health = (await (await fetch(`${run.url}/api/health`)).json()) as {
        migrations: { current: number };
      };
      assert.equal(health.migrations.current, 4);
      assert.match(run.output(), /"kind":"embedded"/);
      assert.match(run.output(), /JWT_SECRET_KEY is not set/);
      const reg = await fetch(`${run.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'new@example.com', password: 'newcomer-password' }),
      });
      assert.equal(reg.status, 202);
      const login = await fetch(`${run.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'new@example.com', password: 'newcomer-password' }),
      });
      const { access_token } = (await login.json()) as { access_token: string };
      const created = await fetch(`${run.url}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
        body: JSON.stringify({ name: 'Embedded' }),
      });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      const list = await fetch(
        `${run.url}/api/projects/${id}/decisions?q=${encodeURIComponent("' OR 1=1 --")}`,
        {
          headers: { authorization: `Bearer ${access_token}` },
        },
      );
      assert.equal(list.status, 200);
    } finally {
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
    }
  });
});
