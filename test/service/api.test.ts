/**
 * The HTTP API on real PostgreSQL (a fresh database for this file): auth, projects, decisions,
 * access control, keyset pagination, full-text search and SQL-injection strings in `q`.
 */
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  bearer,
  createProject,
  freshDatabase,
  JWT_SECRET,
  register,
  startApp,
  type TestDatabase,
  type TestService,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
});
afterAll(async () => {
  await svc?.close();
  await database?.drop();
});

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('auth', () => {
  test('register answers 202; login returns a 12-hour bearer token that opens /api/projects, never cached', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'Ana@Example.com', password: 'correct horse battery' },
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal((res.json() as { status: string }).status, 'registered');

    const login = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ana@example.com', password: 'correct horse battery' },
    });
    assert.equal(login.statusCode, 200, 'email is matched case-insensitively');
    const body = login.json() as { access_token: string; token_type: string; expires_in: number };
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 12 * 3600);
    assert.match(body.access_token, /^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(login.headers['cache-control'], 'no-store', 'token answers are never cached');
    assert.equal(
      (await svc.app.inject({ url: '/api/projects', headers: bearer(body.access_token) })).statusCode,
      200,
    );
  });

  test('passwords are stored as scrypt hashes, never in clear', async () => {
    const rows = await svc.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE email = 'Ana@Example.com'",
    );
    assert.match(rows.rows[0]!.password_hash, /^scrypt\$\d+\$8\$1\$/);
    assert.ok(!rows.rows[0]!.password_hash.includes('correct horse'));
    assert.ok(!svc.logText().includes('correct horse'), 'passwords never reach the logs');
  });

  test('registering a taken email answers exactly like a free one and changes nothing', async () => {
    const taken = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'ANA@example.com', password: 'another password' },
    });
    const free = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'free-email@example.com', password: 'another password' },
    });
    assert.equal(taken.statusCode, 202);
    assert.equal(taken.statusCode, free.statusCode);
    assert.equal(taken.body, free.body, 'same body: no way to tell which email had an account');
    const old = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ana@example.com', password: 'correct horse battery' },
    });
    assert.equal(old.statusCode, 200, 'the existing account keeps its password');
  });

  test('wrong password and unknown email both answer 401 with the same message', async () => {
    const wrong = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ana@example.com', password: 'wrong password' },
    });
    const unknown = await svc.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.com', password: 'whatever123' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(errorOf(wrong.body), errorOf(unknown.body));
  });

  test('invalid register bodies answer 400 naming the field', async () => {
    for (const [payload, field] of [
      [{ email: 'not-an-email', password: 'long enough' }, 'email'],
      [{ email: 'x@example.com', password: 'short' }, 'password'],
      [{ email: 'x@example.com' }, 'password'],
    ] as const) {
      const res = await svc.app.inject({ method: 'POST', url: '/api/auth/register', payload });
      assert.equal(res.statusCode, 400);
      assert.equal(errorOf(res.body).code, 'validation_error');
      assert.match(errorOf(res.body).message, new RegExp(`^${field}:`));
    }
  });

  test('missing, tampered, expired, wrongly signed and alg=none tokens answer 401', async () => {
    const token = await register(svc.app, 'tokens@example.com');
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...payload, sub: '00000000-0000-0000-0000-000000000000' }),
    ).toString('base64url');
    const key = new TextEncoder().encode(JWT_SECRET);
    const expired = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(payload.sub))
      .setIssuer('decisionlog')
      .setAudience('decisionlog-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const otherSecret = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(payload.sub))
      .setIssuer('decisionlog')
      .setAudience('decisionlog-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-0123456789abcdef'));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;

    const cases: Array<[string, Record<string, string>, string]> = [
      ['missing', {}, 'unauthorized'],
      ['not bearer', { authorization: `Basic ${token}` }, 'unauthorized'],
      ['tampered payload', bearer(`${h}.${forgedPayload}.${s}`), 'invalid_token'],
      [
        'tampered signature',
        bearer(`${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`),
        'invalid_token',
      ],
      ['expired', bearer(expired), 'token_expired'],
      ['other secret', bearer(otherSecret), 'invalid_token'],
      ['alg none', bearer(none), 'invalid_token'],
    ];
    for (const [name, headers, code] of cases) {
      const res = await svc.app.inject({ url: '/api/projects', headers });
      assert.equal(res.statusCode, 401, name);
      assert.equal(errorOf(res.body).code, code, name);
    }
    assert.equal((await svc.app.inject({ url: '/api/projects', headers: bearer(token) })).statusCode, 200);
  });
});

describe('projects and decisions', () => {
  let owner: string;
  let stranger: string;
  let member: string;
  let projectId: string;

  beforeAll(async () => {
    owner = await register(svc.app, 'owner@example.com');
    stranger = await register(svc.app, 'stranger@example.com');
    member = await register(svc.app, 'member@example.com');
    projectId = await createProject(svc.app, owner, 'Launch');
    await svc.db.query(
      `INSERT INTO project_members (project_id, user_id) SELECT $1, id FROM users WHERE email = 'member@example.com'`,
      [projectId],
    );
    // 45 decisions, several sharing one created_at (keyset must break ties on id).
    await svc.db.query(
      `INSERT INTO decisions (project_id, title, rationale, created_at)
       SELECT $1, 'Decision ' || g || CASE WHEN g % 5 = 0 THEN ' about pricing' ELSE ' about hiring' END,
              CASE WHEN g = 7 THEN 'We chose Postgres for full-text search' END,
              timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 minute'
         FROM generate_series(1, 45) g`,
      [projectId],
    );
  });

  test('the owner lists, creates and reads projects; the list holds only their own', async () => {
    const second = await createProject(svc.app, owner, 'Hiring');
    const list = await svc.app.inject({ url: '/api/projects', headers: bearer(owner) });
    assert.equal(list.statusCode, 200);
    const items = list.json() as Array<{ id: string; role: string }>;
    assert.deepEqual(items.map((p) => p.id).sort(), [projectId, second].sort());
    assert.ok(items.every((p) => p.role === 'owner'));
    const one = await svc.app.inject({ url: `/api/projects/${projectId}`, headers: bearer(owner) });
    assert.equal(one.statusCode, 200);
    assert.equal((one.json() as { name: string }).name, 'Launch');
    assert.deepEqual(
      await svc.app.inject({ url: '/api/projects', headers: bearer(stranger) }).then((r) => r.json()),
      [],
    );
  });

  test('more than 500 projects are not dropped: the list says a next page follows and the pages hold them all', async () => {
    const many = await register(svc.app, 'many-projects@example.com');
    const userId = (
      await svc.db.query<{ id: string }>(
        "SELECT id FROM users WHERE lower(email) = 'many-projects@example.com'",
      )
    ).rows[0]!.id;
    // One statement: all 501 share created_at, so the id breaks the ties between pages.
    await svc.db.query(
      "INSERT INTO projects (owner_id, name) SELECT $1, 'Project ' || g FROM generate_series(1, 501) g",
      [userId],
    );
    const expected = (
      await svc.db.query<{ id: string }>(
        'SELECT id FROM projects WHERE owner_id = $1 ORDER BY created_at DESC, id DESC',
        [userId],
      )
    ).rows.map((r) => r.id);
    assert.equal(expected.length, 501);

    // No parameters, as older clients and smoke.yml call it: still a bare array, now with a next link.
    const first = await svc.app.inject({ url: '/api/projects', headers: bearer(many) });
    assert.equal(first.statusCode, 200);
    const firstItems = first.json() as Array<{ id: string }>;
    assert.ok(Array.isArray(firstItems));
    assert.equal(firstItems.length, 500);
    const cursor = String(first.headers['next-cursor'] ?? '');
    assert.ok(cursor, 'next-cursor header when more projects follow');
    const link = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link ?? ''));
    assert.ok(link, `Link rel=next: ${first.headers.link}`);
    assert.equal(link[1], `/api/projects?limit=500&cursor=${cursor}`);
    const last = await svc.app.inject({ url: link[1]!, headers: bearer(many) });
    assert.equal(last.statusCode, 200);
    assert.equal(last.headers['next-cursor'], undefined, 'no next page after the last one');
    assert.equal(last.headers.link, undefined);
    assert.deepEqual(
      [...firstItems, ...(last.json() as Array<{ id: string }>)].map((p) => p.id),
      expected,
    );

    // Smaller pages walk the same list in the same order, each project once.
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await svc.app.inject({
        url: `/api/projects?limit=200${next ? `&cursor=${next}` : ''}`,
        headers: bearer(many),
      });
      assert.equal(res.statusCode, 200);
      seen.push(...(res.json() as Array<{ id: string }>).map((p) => p.id));
      next = res.headers['next-cursor'] as string | undefined;
      pages++;
    } while (next);
    assert.equal(pages, 3);
    assert.deepEqual(seen, expected);

    for (const qs of ['limit=0', 'limit=501', 'limit=ten']) {
      const res = await svc.app.inject({ url: `/api/projects?${qs}`, headers: bearer(many) });
      assert.equal(res.statusCode, 400, qs);
      assert.equal(errorOf(res.body).code, 'validation_error');
    }
    const bad = await svc.app.inject({ url: '/api/projects?cursor=not-ours', headers: bearer(many) });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad.body).code, 'invalid_cursor');
  });

  test("another user's project and its decisions answer 404; a member sees them", async () => {
    for (const url of [`/api/projects/${projectId}`, `/api/projects/${projectId}/decisions`]) {
      const res = await svc.app.inject({ url, headers: bearer(stranger) });
      assert.equal(res.statusCode, 404, url);
      assert.equal(errorOf(res.body).code, 'not_found');
      assert.equal((await svc.app.inject({ url, headers: bearer(member) })).statusCode, 200, url);
    }
    const some = (await svc.db.query<{ id: string }>('SELECT id FROM decisions LIMIT 1')).rows[0]!.id;
    assert.equal(
      (await svc.app.inject({ url: `/api/decisions/${some}`, headers: bearer(stranger) })).statusCode,
      404,
    );
    const mine = await svc.app.inject({ url: `/api/decisions/${some}`, headers: bearer(member) });
    assert.equal(mine.statusCode, 200);
    assert.equal((mine.json() as { project_id: string }).project_id, projectId);
    assert.equal(
      (await svc.app.inject({ url: '/api/projects/not-a-uuid', headers: bearer(owner) })).statusCode,
      404,
    );
  });

  test('creating a project validates the body', async () => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(owner),
      payload: { name: '  ' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(errorOf(res.body).message, /^name:/);
  });

  test('keyset pagination walks every decision once, newest first, across equal timestamps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/projects/${projectId}/decisions?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await svc.app.inject({ url, headers: bearer(owner) });
      assert.equal(res.statusCode, 200);
      const body = res.json() as {
        items: Array<{ id: string; title: string; created_at: string }>;
        next_cursor: string | null;
      };
      seen.push(...body.items.map((d) => d.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 5);
    assert.equal(seen.length, 45);
    assert.equal(new Set(seen).size, 45, 'no decision repeats');
    const expected = await svc.db.query<{ id: string }>(
      'SELECT id FROM decisions WHERE project_id = $1 ORDER BY created_at DESC, id DESC',
      [projectId],
    );
    assert.deepEqual(
      seen,
      expected.rows.map((r) => r.id),
    );
  });

  test('q searches title and rationale with full-text search (stemming included)', async () => {
    const res = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?q=pricing&limit=100`,
      headers: bearer(owner),
    });
    const titles = (res.json() as { items: Array<{ title: string }> }).items.map((d) => d.title);
    assert.equal(titles.length, 9);
    assert.ok(titles.every((t) => t.includes('pricing')));
    const stemmed = await svc.app.inject({
      url: `/api/projects/${projectId}/decisions?q=searching`,
      headers: bearer(owner),
    });
    assert.deepEqual(
      (stemmed.json() as { items: Array<{ title: string }> }).items.map((d) => d.title),
      ['Decision 7 about hiring'],
    );
  });

  test('SQL-injection strings in q are plain search text: 200, no error, tables intact', async () => {
    const attacks = [
      "'; DROP TABLE decisions; --",
      "' OR '1'='1",
      "pricing') OR 1=1 --",
      '1; SELECT pg_sleep(5)',
      "\\'; DELETE FROM users; --",
      '$1 $2 :: ) ( & | ! <->',
      "pricing' UNION SELECT id, email, password_hash FROM users --",
      '%_%',
      '\u0000',
    ];
    for (const q of attacks) {
      const res = await svc.app.inject({
        url: `/api/projects/${projectId}/decisions?q=${encodeURIComponent(q)}`,
        headers: bearer(owner),
      });
      assert.ok(
        res.statusCode === 200 || res.statusCode === 400,
        `${JSON.stringify(q)} → ${res.statusCode} ${res.body}`,
      );
      if (res.statusCode === 200) {
        const items = (res.json() as { items: Array<{ project_id: string }> }).items;
        assert.ok(
          items.every((d) => d.project_id === projectId),
          'never rows of another project',
        );
        assert.ok(!res.body.includes('scrypt$'), 'never password hashes');
      }
    }
    const count = await svc.db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM decisions WHERE project_id = $1',
      [projectId],
    );
    assert.equal(count.rows[0]!.n, '45');
    assert.ok(
      Number((await svc.db.query<{ n: string }>('SELECT count(*)::text AS n FROM users')).rows[0]!.n) >= 4,
    );
  });

  test('bad limit and forged cursors answer 400, including a well-shaped cursor with an impossible date', async () => {
    const impossible = (date: string) =>
      Buffer.from(JSON.stringify([date, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    for (const qs of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=bm90LWEtY3Vyc29y',
      "cursor=' OR 1=1",
      `cursor=${impossible('2026-13-45T99:99:99.000000Z')}`,
      `cursor=${impossible('2026-02-30T10:00:00.000000Z')}`,
    ]) {
      const res = await svc.app.inject({
        url: `/api/projects/${projectId}/decisions?${qs}`,
        headers: bearer(owner),
      });
      assert.equal(res.statusCode, 400, qs);
    }
  });

  test('unknown routes answer 404 in the error envelope', async () => {
    const res = await svc.app.inject({ url: '/api/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(errorOf(res.body).code, 'not_found');
  });
});

describe('health', () => {
  test('200 healthy with version, database latency and the current migration, never cached', async () => {
    const res = await svc.app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /no-store/);
    const body = res.json() as Record<string, unknown> & {
      checks: { database: { status: string; latency_ms: number } };
      migrations: { current: number };
    };
    assert.equal(body.status, 'healthy');
    assert.equal(body.version, 'abc1234def');
    assert.equal(body.checks.database.status, 'ok');
    assert.equal(typeof body.checks.database.latency_ms, 'number');
    assert.equal(body.migrations.current, 4);
    assert.ok(!Number.isNaN(Date.parse(String(body.timestamp))));
    assert.equal(typeof body.uptime_s, 'number');
  });
});
