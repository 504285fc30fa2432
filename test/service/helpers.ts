/**
 * Shared by the service tests: a fresh PostgreSQL database per test file, a config from test env,
 * an in-memory log, an app on that database, and Standard Webhooks signing written independently
 * of the service's verifier (so a mistake in one does not hide in the other).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { buildApp } from '../../service/src/app.js';
import { type Config, loadConfig } from '../../service/src/config.js';
import { type Db, openDatabase } from '../../service/src/db/database.js';
import { migrate } from '../../service/src/db/migrate.js';
import { createLogger } from '../../service/src/logger.js';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789abcdef';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `t_svc_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  const result = loadConfig({
    ENVIRONMENT: 'test',
    JWT_SECRET_KEY: JWT_SECRET,
    LOG_LEVEL: 'debug',
    // Tests register many users from one address; the rate-limit tests set their own limits.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    // 2^14 keeps the many test logins fast; security.test.ts proves the 2^17 default over HTTP.
    PASSWORD_HASH_COST: '14',
    GIT_SHA: 'abc1234def',
    ...env,
  });
  if (!result.ok) throw new Error(`test config invalid: ${result.problems.join('; ')}`);
  return result.config;
}

export interface LogLine {
  level: string;
  msg: string;
  event?: string;
  [key: string]: unknown;
}

/** A logger whose JSON lines land in `lines` (and `text`, to look for leaked secrets). */
export function memoryLogger(level: Config['logLevel'] = 'debug'): {
  log: Logger;
  lines: LogLine[];
  text: () => string;
} {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      const s = chunk.toString();
      raw.push(s);
      for (const l of s.split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { log: createLogger(level, 'test', stream), lines, text: () => raw.join('') };
}

export interface TestService {
  app: FastifyInstance;
  db: Db;
  config: Config;
  lines: LogLine[];
  logText: () => string;
  close(): Promise<void>;
}

/** The app on `url` (migrated), ready for inject(); `close` closes app and pool, not the database. */
export async function startApp(
  url: string,
  env: Record<string, string | undefined> = {},
): Promise<TestService> {
  const config = testConfig({ DATABASE_URL: url, ...env });
  const { log, lines, text } = memoryLogger();
  const db = await openDatabase({
    databaseUrl: url,
    embeddedDbDir: 'memory://',
    poolMax: 5,
    slowQueryMs: config.slowQueryMs,
    healthTimeoutMs: config.healthDbTimeoutMs,
    log,
  });
  await migrate(db, config.migrationsDir, () => {});
  const app = buildApp({ config, db, log });
  await app.ready();
  return {
    app,
    db,
    config,
    lines,
    logText: text,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Registers a user, logs in and returns its bearer token. */
export async function register(
  app: FastifyInstance,
  email: string,
  password = 'correct horse battery',
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  if (res.statusCode !== 202) throw new Error(`register ${email}: ${res.statusCode} ${res.body}`);
  return login(app, email, password);
}

export async function login(app: FastifyInstance, email: string, password = 'correct horse battery') {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}

/** The HMAC key of a project's webhook secret, read the way an owner does (GET …/webhook). */
export async function webhookKeyOf(app: FastifyInstance, token: string, projectId: string): Promise<Buffer> {
  const res = await app.inject({ url: `/api/projects/${projectId}/webhook`, headers: bearer(token) });
  if (res.statusCode !== 200) throw new Error(`webhook secret: ${res.statusCode} ${res.body}`);
  return keyOfSecret((res.json() as { secret: string }).secret);
}

export const keyOfSecret = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createProject(app: FastifyInstance, token: string, name = 'Launch'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(token),
    payload: { name },
  });
  if (res.statusCode !== 201) throw new Error(`create project: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** Standard Webhooks headers for `body`, signed with `key` at `timestamp` (Unix seconds). */
export function signedHeaders(
  body: string,
  key: Buffer,
  opts: { id?: string; timestamp?: number } = {},
): Record<string, string> {
  const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${sig}`,
  };
}

export function transcriptPayload(projectId: string, lines: string[], title = 'Weekly sync'): string {
  return JSON.stringify({
    type: 'transcript.ready',
    timestamp: new Date().toISOString(),
    data: {
      meeting_id: `meet-${randomBytes(4).toString('hex')}`,
      title,
      project_id: projectId,
      transcript: lines.map((l) => {
        const [speaker, ...rest] = l.split(': ');
        return rest.length ? { speaker, text: rest.join(': ') } : { text: l };
      }),
    },
  });
}
