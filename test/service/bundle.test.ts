/**
 * The production artefact: scripts/build-service.mjs builds the ncc bundle (what service/Dockerfile
 * runs), and it boots from a folder with no node_modules against real PostgreSQL, in production
 * mode, with the Dockerfile's command line (Sentry via --import), migrates and answers health.
 * Sentry is a local stand-in that receives the SDK's envelopes: a route's 5xx and a failed
 * extraction job must reach it with the route, request id and release. No network.
 * The build alone takes ~30–60 s on two cores.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { test } from 'vitest';
import { freePort } from '../harness/net.js';
import { AnthropicStandIn } from '../standins/anthropic.js';
import { SentryEnvelopeStandIn } from '../standins/sentry-envelopes.js';
import { freshDatabase, JWT_SECRET } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('the ncc bundle boots in production mode, serves /api/health and reports 5xx and failed jobs to Sentry', async () => {
  const build = mkdtempSync(join(tmpdir(), 'svc-bundle-'));
  // Run it from elsewhere: nothing may resolve from the repository's node_modules.
  const app = mkdtempSync(join(tmpdir(), 'svc-app-'));
  const database = await freshDatabase();
  const sentry = await new SentryEnvelopeStandIn().start();
  const anthropic = await new AnthropicStandIn().start();
  // The Messages API refuses the request: not worth retrying, so the job fails at once.
  for (let i = 0; i < 5; i++)
    anthropic.queue.push(
      AnthropicStandIn.error(400, 'invalid_request_error', 'max_tokens: must be at most 64000'),
    );
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-service.mjs'), '--out', build], {
      cwd: root,
      stdio: 'pipe',
    });
    for (const part of ['server/index.js', 'instrument/index.js', 'migrations/0001_initial.sql']) {
      assert.ok(existsSync(join(build, part)), part);
    }
    cpSync(build, app, { recursive: true });
    const port = await freePort();

    const child = spawn(process.execPath, ['--import', './instrument/index.js', 'server/index.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ENVIRONMENT: 'production',
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        MIGRATE_ON_BOOT: 'true',
        JWT_SECRET_KEY: JWT_SECRET,
        ANTHROPIC_API_KEY: anthropic.apiKey,
        ANTHROPIC_BASE_URL: anthropic.url,
        EXTRACTION_POLL_MS: '100',
        SENTRY_DSN: sentry.dsn(),
        SENTRY_TRACES_SAMPLE_RATE: '0',
        RAILWAY_GIT_COMMIT_SHA: 'bundle00sha',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const base = `http://127.0.0.1:${port}`;
    const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const res = await fetch(`${base}${path}`, {
        ...init,
        headers: {
          ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string>),
        },
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
    };
    try {
      const health = await until('health', async () => {
        if (child.exitCode !== null) throw new Error(out);
        const res = await call('/api/health').catch(() => undefined);
        return res?.json.status === 'healthy' ? res.json : undefined;
      });
      assert.equal(health.version, 'bundle00sha');
      assert.deepEqual(health.migrations, { current: 4 });

      const account = { email: 'bundle@example.com', password: 'bundle-password-123' };
      assert.equal((await call('/api/auth/register', { method: 'POST', json: account })).status, 202);
      const token = (await call('/api/auth/login', { method: 'POST', json: account })).json
        .access_token as string;
      const auth = { authorization: `Bearer ${token}` };
      const project = (await call('/api/projects', { method: 'POST', headers: auth, json: { name: 'B' } }))
        .json.id as string;
      const secret = (await call(`/api/projects/${project}/webhook`, { headers: auth })).json
        .secret as string;

      // A failed extraction job reaches Sentry with its transcript and job.
      const body = JSON.stringify({ data: { project_id: project, transcript: 'DECISION: ship it' } });
      const id = `msg_${randomBytes(6).toString('hex')}`;
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${id}.${ts}.${body}`)
        .digest('base64');
      const hook = await call('/api/webhooks/tactiq', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': ts,
          'webhook-signature': `v1,${sig}`,
        },
        body,
      });
      assert.equal(hook.status, 202, JSON.stringify(hook.json));
      const transcriptId = hook.json.transcript_id as string;
      const jobEvent = await until('the failed job in Sentry', async () =>
        sentry.events().find((e) => e.tags?.transcript_id === transcriptId),
      );
      assert.equal(jobEvent.release, 'bundle00sha');
      assert.match(String(jobEvent.tags?.job_id), /^\d+$/);
      assert.equal(jobEvent.environment, 'production');

      // A route's 5xx reaches Sentry with the route pattern and the request id the client sent.
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      await db.query('ALTER TABLE decisions RENAME TO decisions_away');
      await db.end();
      const requestId = `req-${randomBytes(6).toString('hex')}`;
      const broken = await call(`/api/projects/${project}/decisions`, {
        headers: { ...auth, 'x-request-id': requestId },
      });
      assert.equal(broken.status, 500);
      assert.equal((broken.json.error as { code: string }).code, 'internal_error');
      const routeEvent = await until('the 5xx in Sentry', async () =>
        sentry.events().find((e) => e.tags?.request_id === requestId),
      );
      assert.equal(routeEvent.tags?.route, '/api/projects/:id/decisions');
      assert.equal(routeEvent.release, 'bundle00sha');
      assert.ok(!JSON.stringify(sentry.items).includes(token), 'the bearer token never reaches Sentry');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  } finally {
    await sentry.stop();
    await anthropic.stop();
    rmSync(build, { recursive: true, force: true });
    rmSync(app, { recursive: true, force: true });
    await database.drop();
  }
  // The build alone can take minutes on a busy two-core machine.
}, 600_000);
