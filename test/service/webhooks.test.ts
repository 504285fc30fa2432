/**
 * POST /api/webhooks/tactiq on real PostgreSQL: Standard Webhooks signatures (valid, bad, old,
 * future, missing, tampered body, rotated secrets), replays stored once, payload and project checks.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  createProject,
  freshDatabase,
  register,
  signedHeaders,
  startApp,
  type TestDatabase,
  type TestService,
  transcriptPayload,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;
let projectId: string;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
  projectId = await createProject(svc.app, await register(svc.app, 'hooks@example.com'));
});
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
    const other = await createProject(svc.app, await register(svc.app, 'other-owner@example.com'), 'Other');
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

  test('no or unknown project answers 422 unknown_project', async () => {
    for (const pid of [undefined, '00000000-0000-4000-8000-000000000000', "x' OR 1=1 --"]) {
      const body = JSON.stringify({ data: { transcript: 'hello', ...(pid ? { project_id: pid } : {}) } });
      const res = await post(body, signedHeaders(body));
      assert.equal(res.statusCode, 422, String(pid));
      assert.equal(errorCode(res.body), 'unknown_project');
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

  test('without TACTIQ_WEBHOOK_SECRET the endpoint answers 503, not 2xx', async () => {
    const other = await startApp(database.url, { TACTIQ_WEBHOOK_SECRET: undefined });
    try {
      const body = transcriptPayload(projectId, ['DECISION: x']);
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/webhooks/tactiq',
        payload: body,
        headers: signedHeaders(body),
      });
      assert.equal(res.statusCode, 503);
      assert.equal(errorCode(res.body), 'webhook_not_configured');
    } finally {
      await other.close();
    }
  });
});
