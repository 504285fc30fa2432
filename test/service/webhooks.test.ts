/**
 * POST /api/webhooks/tactiq on real PostgreSQL: Standard Webhooks signatures with each project's own
 * secret (valid, bad, old, future, missing, tampered body, rotated secrets, another project's
 * secret), replays stored once, payload and project checks.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  bearer,
  createProject,
  freshDatabase,
  keyOfSecret,
  register,
  signedHeaders as signedWith,
  startApp,
  type TestDatabase,
  type TestService,
  transcriptPayload,
  webhookKeyOf,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;
let projectId: string;
let ownerToken: string;
let key: Buffer;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
  ownerToken = await register(svc.app, 'hooks@example.com');
  projectId = await createProject(svc.app, ownerToken);
  key = await webhookKeyOf(svc.app, ownerToken, projectId);
});

/** Signed with this file's project secret unless another key is given. */
const signedHeaders = (body: string, opts: { id?: string; timestamp?: number; key?: Buffer } = {}) =>
  signedWith(body, opts.key ?? key, opts);
afterAll(async () => {
  await svc?.close();
  await database?.drop();
});

const post = (payload: string, headers: Record<string, string>, query = '') =>
  svc.app.inject({ method: 'POST', url: `/api/webhooks/tactiq${query}`, payload, headers });

const count = async (table: string) =>
  Number((await svc.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);

const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('webhook signatures (Standard Webhooks)', () => {
  test('a correctly signed transcript is stored with a pending job and answered 202', async () => {
    const body = transcriptPayload(projectId, ['Ana: DECISION: Ship on Monday', 'Ben: fine by me']);
    const res = await post(body, signedHeaders(body));
    assert.equal(res.statusCode, 202, res.body);
    const { transcript_id, status } = res.json() as { transcript_id: string; status: string };
    assert.equal(status, 'accepted');
    const t = await svc.db.query<{ content: string; project_id: string; title: string }>(
      'SELECT content, project_id, title FROM transcripts WHERE id = $1',
      [transcript_id],
    );
    assert.equal(t.rows[0]!.content, 'Ana: DECISION: Ship on Monday\nBen: fine by me');
    assert.equal(t.rows[0]!.project_id, projectId);
    const job = await svc.db.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM extraction_jobs WHERE transcript_id = $1',
      [transcript_id],
    );
    assert.deepEqual(job.rows[0], { status: 'pending', attempts: 0 });
  });

  test('bad, old, future and missing signatures answer 401 and store nothing', async () => {
    const before = await count('transcripts');
    const body = transcriptPayload(projectId, ['DECISION: should never be stored']);
    const now = Math.floor(Date.now() / 1000);
    const good = signedHeaders(body);
    const cases: Array<[string, Record<string, string>, string]> = [
      ['wrong key', signedHeaders(body, { key: Buffer.from('another-key-that-is-not-ours!!') }), body],
      ['signature of another body', good, body.replace('never', 'NEVER')],
      ['6 minutes old', signedHeaders(body, { timestamp: now - 360 }), body],
      ['6 minutes in the future', signedHeaders(body, { timestamp: now + 360 }), body],
      ['timestamp not a number', { ...good, 'webhook-timestamp': 'yesterday' }, body],
      ['timestamp changed after signing', { ...good, 'webhook-timestamp': String(now - 5) }, body],
      ['id changed after signing', { ...good, 'webhook-id': 'msg_other' }, body],
      ['no signature header', { ...good, 'webhook-signature': '' }, body],
      ['no id header', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'webhook-id')), body],
      [
        'no timestamp header',
        Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'webhook-timestamp')),
        body,
      ],
      [
        'v2 scheme only',
        { ...good, 'webhook-signature': good['webhook-signature']!.replace('v1,', 'v2,') },
        body,
      ],
      ['garbage signature', { ...good, 'webhook-signature': 'v1,not-base64!!' }, body],
      // A correctly signed id too long to be a key would otherwise fail the insert with a 500.
      ['webhook-id over 256 characters', signedHeaders(body, { id: `msg_${'x'.repeat(300)}` }), body],
    ];
    for (const [name, headers, payload] of cases) {
      const res = await post(payload, headers);
      assert.equal(res.statusCode, 401, `${name}: ${res.body}`);
      assert.equal(errorCode(res.body), 'invalid_signature', name);
    }
    assert.equal(await count('transcripts'), before);
    assert.equal(await count('webhook_deliveries'), before);
  });

  test('a timestamp 4 minutes old is still accepted (tolerance is 5 minutes)', async () => {
    const body = transcriptPayload(projectId, ['DECISION: late but fine']);
    const res = await post(body, signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 240 }));
    assert.equal(res.statusCode, 202);
  });

  test('several signatures (secret rotation): one valid entry is enough', async () => {
    const body = transcriptPayload(projectId, ['DECISION: rotate keys']);
    const headers = signedHeaders(body);
    const other = signedHeaders(body, {
      id: headers['webhook-id'],
      key: Buffer.from('old-rotated-out-key-0123456789'),
    });
    headers['webhook-signature'] = `${other['webhook-signature']} ${headers['webhook-signature']}`;
    assert.equal((await post(body, headers)).statusCode, 202);
  });

  test('a replayed webhook-id is accepted once: the repeat answers 200 duplicate and stores nothing', async () => {
    const body = transcriptPayload(projectId, ['DECISION: only once']);
    const headers = signedHeaders(body);
    const first = await post(body, headers);
    assert.equal(first.statusCode, 202);
    const before = await count('transcripts');
    const [second, third] = await Promise.all([post(body, headers), post(body, headers)]);
    for (const res of [second, third]) {
      assert.equal(res.statusCode, 200);
      const json = res.json() as { status: string; transcript_id: string };
      assert.equal(json.status, 'duplicate');
      assert.equal(json.transcript_id, (first.json() as { transcript_id: string }).transcript_id);
    }
    assert.equal(await count('transcripts'), before);
    assert.equal(await count('extraction_jobs'), before);
  });

  test('concurrent first deliveries of one webhook-id store a single transcript', async () => {
    const body = transcriptPayload(projectId, ['DECISION: race']);
    const headers = signedHeaders(body);
    const before = await count('transcripts');
    const results = await Promise.all(Array.from({ length: 5 }, () => post(body, headers)));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 202]);
    assert.equal(await count('transcripts'), before + 1);
  });
});

describe('webhook payloads', () => {
  test('the project can come from ?project_id= in the webhook URL', async () => {
    const body = JSON.stringify({
      type: 'transcript.ready',
      data: { title: 'x', transcript: 'DECISION: from the URL' },
    });
    const res = await post(body, signedHeaders(body), `?project_id=${projectId}`);
    assert.equal(res.statusCode, 202, res.body);
  });

  test('the signed body names the project: an unsigned ?project_id= cannot redirect it', async () => {
    const other = await createProject(svc.app, await register(svc.app, 'other-owner2@example.com'), 'Other');
    const body = JSON.stringify({
      type: 'transcript.ready',
      data: { title: 'redirect attempt', transcript: 'DECISION: stays put', project_id: projectId },
    });
    const res = await post(body, signedHeaders(body), `?project_id=${other}`);
    assert.equal(res.statusCode, 202, res.body);
    const stored = await svc.db.query<{ project_id: string }>(
      "SELECT project_id FROM transcripts WHERE title = 'redirect attempt'",
    );
    assert.deepEqual(
      stored.rows.map((r) => r.project_id),
      [projectId],
    );
  });

  test('no project answers 422 unknown_project; an unknown one cannot be verified: 401', async () => {
    const none = JSON.stringify({ data: { transcript: 'hello' } });
    const res = await post(none, signedHeaders(none));
    assert.equal(res.statusCode, 422);
    assert.equal(errorCode(res.body), 'unknown_project');
    for (const pid of ['00000000-0000-4000-8000-000000000000', "x' OR 1=1 --"]) {
      const body = JSON.stringify({ data: { transcript: 'hello', project_id: pid } });
      const unknown = await post(body, signedHeaders(body));
      assert.equal(unknown.statusCode, 401, pid);
      assert.equal(errorCode(unknown.body), 'invalid_signature');
    }
  });

  test('signed but invalid JSON answers 400; wrong shape answers 422', async () => {
    const notJson = '{"data": ';
    assert.equal(errorCode((await post(notJson, signedHeaders(notJson))).body), 'invalid_json');
    const noTranscript = JSON.stringify({ data: { project_id: projectId } });
    const res = await post(noTranscript, signedHeaders(noTranscript));
    assert.equal(res.statusCode, 422);
    assert.equal(errorCode(res.body), 'invalid_payload');
  });

  test('a signed delivery that is not JSON (text/plain) answers 415 naming application/json, not 401', async () => {
    const before = await count('transcripts');
    const body = transcriptPayload(projectId, ['DECISION: sent as text']);
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded']) {
      const res = await post(body, { ...signedHeaders(body), 'content-type': type });
      assert.equal(res.statusCode, 415, `${type}: ${res.body}`);
      assert.equal(errorCode(res.body), 'unsupported_media_type');
      const message = (JSON.parse(res.body) as { error: { message: string } }).error.message;
      assert.match(message, /Content-Type: application\/json/);
      assert.ok(message.includes(type), message);
      assert.doesNotMatch(message, /TACTIQ_WEBHOOK_SECRET|signature/);
    }
    const { 'content-type': _, ...untyped } = signedHeaders(body);
    assert.equal((await post(body, untyped)).statusCode, 415, 'no content type at all');
    assert.equal(await count('transcripts'), before, 'nothing stored');
    // JSON with a charset parameter is still JSON.
    const ok = await post(body, {
      ...signedHeaders(body),
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(ok.statusCode, 202, ok.body);
  });
});

describe('per-project webhook secrets', () => {
  test("one project's secret cannot write into another tenant's project, by body or by URL", async () => {
    const otherOwner = await register(svc.app, 'other-tenant@example.com');
    const victim = await createProject(svc.app, otherOwner, 'Victim');
    const before = await count('transcripts');
    // Signed with this project's secret, but naming the victim's project.
    const inBody = JSON.stringify({ data: { project_id: victim, transcript: 'DECISION: injected' } });
    const viaBody = await post(inBody, signedHeaders(inBody));
    assert.equal(viaBody.statusCode, 401, viaBody.body);
    assert.equal(errorCode(viaBody.body), 'invalid_signature');
    const noProject = JSON.stringify({ data: { transcript: 'DECISION: injected' } });
    const viaUrl = await post(noProject, signedHeaders(noProject), `?project_id=${victim}`);
    assert.equal(viaUrl.statusCode, 401, viaUrl.body);
    assert.equal(await count('transcripts'), before, 'nothing stored');
    // The victim's own secret works for the victim's project.
    const victimKey = await webhookKeyOf(svc.app, otherOwner, victim);
    const ok = await post(noProject, signedHeaders(noProject, { key: victimKey }), `?project_id=${victim}`);
    assert.equal(ok.statusCode, 202, ok.body);
  });

  test('only owners read the secret, never cached; rotation keeps the previous secret working', async () => {
    const res = await svc.app.inject({
      url: `/api/projects/${projectId}/webhook`,
      headers: bearer(ownerToken),
    });
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json() as { url: string; secret: string };
    assert.equal(body.url, `/api/webhooks/tactiq?project_id=${projectId}`);
    assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const stranger = await register(svc.app, 'stranger-hooks@example.com');
    const hidden = await svc.app.inject({
      url: `/api/projects/${projectId}/webhook`,
      headers: bearer(stranger),
    });
    assert.equal(hidden.statusCode, 404);

    const rotated = await svc.app.inject({
      method: 'POST',
      url: `/api/projects/${projectId}/webhook/rotate`,
      headers: bearer(ownerToken),
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const newKey = keyOfSecret((rotated.json() as { secret: string }).secret);
    assert.notDeepEqual(newKey, key);
    for (const k of [newKey, key]) {
      const t = transcriptPayload(projectId, ['DECISION: after rotation']);
      assert.equal((await post(t, signedHeaders(t, { key: k }))).statusCode, 202);
    }
    // A day later the previous secret stops verifying.
    await svc.db.query(
      "UPDATE projects SET webhook_secret_rotated_at = now() - interval '25 hours' WHERE id = $1",
      [projectId],
    );
    const late = transcriptPayload(projectId, ['DECISION: old key, too late']);
    assert.equal((await post(late, signedHeaders(late, { key }))).statusCode, 401);
    key = newKey;
  });

  test("a webhook-id another project used answers duplicate without revealing that project's transcript", async () => {
    const otherOwner = await register(svc.app, 'id-squatter@example.com');
    const other = await createProject(svc.app, otherOwner, 'Squatter');
    const otherKey = await webhookKeyOf(svc.app, otherOwner, other);
    const id = 'msg_shared_id_0001';
    const theirs = transcriptPayload(other, ['DECISION: theirs']);
    assert.equal((await post(theirs, signedHeaders(theirs, { id, key: otherKey }))).statusCode, 202);
    const ours = transcriptPayload(projectId, ['DECISION: ours']);
    const res = await post(ours, signedHeaders(ours, { id }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'duplicate', transcript_id: null });
  });
});
