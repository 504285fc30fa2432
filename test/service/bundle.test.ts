/**
 * The production artefact: scripts/build-service.mjs builds the ncc bundle (what service/Dockerfile
 * runs), and it boots from a folder with no node_modules against real PostgreSQL, in production
 * mode, with the Dockerfile's command line (Sentry via --import), migrates and answers health.
 * The build alone takes ~30–60 s on two cores.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { freshDatabase, JWT_SECRET, WEBHOOK_SECRET } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');

test('the ncc bundle boots on PostgreSQL in production mode and serves /api/health', async () => {
  const build = mkdtempSync(join(tmpdir(), 'svc-bundle-'));
  // Run it from elsewhere: nothing may resolve from the repository's node_modules.
  const app = mkdtempSync(join(tmpdir(), 'svc-app-'));
  const database = await freshDatabase();
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-service.mjs'), '--out', build], {
      cwd: root,
      stdio: 'pipe',
    });
    for (const part of ['server/index.js', 'instrument/index.js', 'migrations/0001_initial.sql']) {
      assert.ok(existsSync(join(build, part)), part);
    }
    cpSync(build, app, { recursive: true });

    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));

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
        TACTIQ_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ANTHROPIC_API_KEY: 'sk-ant-unused',
        EXTRACTION_ENABLED: 'false',
        SENTRY_DSN: 'https://publickey@127.0.0.1:9/1',
        RAILWAY_GIT_COMMIT_SHA: 'bundle00sha',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      let body: { status?: string; version?: string; migrations?: { current: number } } = {};
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && child.exitCode === null && body.status !== 'healthy') {
        body = await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.json() as Promise<typeof body>,
          () => ({}),
        );
        if (body.status !== 'healthy') await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(body.status, 'healthy', out);
      assert.equal(body.version, 'bundle00sha');
      assert.equal(body.migrations?.current, 1);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
  } finally {
    rmSync(build, { recursive: true, force: true });
    rmSync(app, { recursive: true, force: true });
    await database.drop();
  }
});
