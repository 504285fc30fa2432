/**
 * The extraction worker against the Anthropic stand-in on real PostgreSQL: decisions stored and the
 * decision_extracted event logged; 529 overloaded and malformed answers retried with backoff, then
 * failed; non-retryable 4xx failed at once; two workers never process the same transcript; jobs
 * left pending or half-done by a crashed process resume after a restart.
 */
import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import { openDatabase } from '../../service/src/db/database.js';
import { AnthropicExtractor, MAX_TRANSCRIPT_CHARS } from '../../service/src/extraction/anthropic.js';
import { ExtractionWorker, type WorkerOptions } from '../../service/src/extraction/worker.js';
import { AnthropicStandIn } from '../standins/anthropic.js';
import {
  createProject,
  freshDatabase,
  memoryLogger,
  register,
  signedHeaders,
  startApp,
  type TestDatabase,
  type TestService,
  transcriptPayload,
  webhookKeyOf,
} from './helpers.js';

let database: TestDatabase;
let svc: TestService;
let anthropic: AnthropicStandIn;
let projectId: string;
let key: Buffer;

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
  const token = await register(svc.app, 'extract@example.com');
  projectId = await createProject(svc.app, token);
  key = await webhookKeyOf(svc.app, token, projectId);
  anthropic = await new AnthropicStandIn().start();
});
afterAll(async () => {
  await anthropic?.stop();
  await svc?.close();
  await database?.drop();
});
beforeEach(async () => {
  anthropic.requests.length = 0;
  anthropic.queue.length = 0;
  anthropic.mode = 'json';
  // Each test starts from an empty queue.
  await svc.db.query('DELETE FROM transcripts');
});

function makeWorker(overrides: Partial<WorkerOptions> = {}) {
  const logs = memoryLogger();
  const worker = new ExtractionWorker({
    db: svc.db,
    log: logs.log,
    extractor: new AnthropicExtractor({
      apiKey: anthropic.apiKey,
      baseUrl: anthropic.url,
      model: 'claude-sonnet-5-5',
      timeoutMs: 10_000,
      log: logs.log,
    }),
    concurrency: 1,
    pollMs: 20,
    leaseMs: 60_000,
    maxAttempts: 3,
    backoffBaseMs: 0,
    backoffMaxMs: 0,
    ...overrides,
  });
  return { worker, logs };
}

async function deliver(lines: string[], title?: string): Promise<string> {
  const body = transcriptPayload(projectId, lines, title);
  const res = await svc.app.inject({
    method: 'POST',
    url: '/api/webhooks/tactiq',
    payload: body,
    headers: signedHeaders(body, key),
  });
  assert.equal(res.statusCode, 202, res.body);
  return (res.json() as { transcript_id: string }).transcript_id;
}

const jobOf = async (transcriptId: string) =>
  (
    await svc.db.query<{
      status: string;
      attempts: number;
      last_error: string | null;
      decisions_count: number | null;
      cost_usd: string | null;
    }>(
      'SELECT status, attempts, last_error, decisions_count, cost_usd::text FROM extraction_jobs WHERE transcript_id = $1',
      [transcriptId],
    )
  ).rows[0]!;

const decisionsOf = async (transcriptId: string) =>
  (
    await svc.db.query<{ title: string; owner: string | null; project_id: string }>(
      'SELECT title, owner, project_id FROM decisions WHERE transcript_id = $1 ORDER BY title',
      [transcriptId],
    )
  ).rows;

describe('extraction worker', () => {
  test('extracts decisions through the Messages API, stores them and logs decision_extracted with cost', async () => {
    const id = await deliver(
      ['Ana: DECISION: Ship on Monday', 'Ben: what about QA?', 'Ben: DECISION: QA signs off Friday'],
      'Launch sync',
    );
    const { worker, logs } = makeWorker();
    assert.equal(await worker.runOnce(), 'done');
    assert.equal(await worker.runOnce(), 'idle');

    const call = anthropic.messageCalls();
    assert.equal(call.length, 1);
    const sent = call[0]!.json as {
      model: string;
      output_config: { format: { type: string } };
      messages: Array<{ content: string }>;
    };
    assert.equal(sent.model, 'claude-sonnet-5-5');
    assert.equal(sent.output_config.format.type, 'json_schema');
    assert.match(
      sent.messages[0]!.content,
      /Meeting: Launch sync[\s\S]*<transcript>\nAna: DECISION: Ship on Monday/,
    );
    const auth =
      call[0]!.headers['x-api-key'] ?? String(call[0]!.headers.authorization).replace(/^Bearer /, '');
    assert.equal(auth, anthropic.apiKey);
    assert.ok(call[0]!.headers['anthropic-version'], 'anthropic-version header sent');

    assert.deepEqual(await decisionsOf(id), [
      { title: 'QA signs off Friday', owner: 'Ben', project_id: projectId },
      { title: 'Ship on Monday', owner: 'Ana', project_id: projectId },
    ]);
    const job = await jobOf(id);
    assert.equal(job.status, 'done');
    assert.equal(job.decisions_count, 2);
    assert.ok(Number(job.cost_usd) > 0);

    const event = logs.lines.find((l) => l.event === 'decision_extracted');
    assert.ok(event, 'decision_extracted logged');
    assert.equal(event.transcript_id, id);
    assert.equal(event.decisions_count, 2);
    assert.equal(typeof event.latency_ms, 'number');
    // Sonnet 5.5 at $2 / $10 per million tokens, from the usage the stand-in reported.
    const answer = (await anthropic.messageCalls()[0]!.json) as unknown;
    assert.ok(answer);
    assert.equal(typeof event.cost_usd, 'number');
    assert.equal(event.cost_usd, Number(job.cost_usd));
    assert.equal(
      event.cost_usd,
      Math.round(((Number(event.input_tokens) * 2 + Number(event.output_tokens) * 10) / 1e6) * 1e6) / 1e6,
    );
    assert.ok(!logs.text().includes(anthropic.apiKey), 'the API key is never logged');
  });

  test('a tool_use answer is accepted as well as JSON text', async () => {
    anthropic.mode = 'tool_use';
    const id = await deliver(['DECISION: Use tool answers']);
    const { worker } = makeWorker();
    assert.equal(await worker.runOnce(), 'done');
    assert.deepEqual(
      (await decisionsOf(id)).map((d) => d.title),
      ['Use tool answers'],
    );
  });

  test('529 overloaded_error: the job goes back to pending with the error, and the next attempt succeeds', async () => {
    const id = await deliver(['DECISION: Survive overload']);
    anthropic.queue.push(AnthropicStandIn.overloaded());
    const { worker, logs } = makeWorker({ backoffBaseMs: 60_000, backoffMaxMs: 60_000 });
    assert.equal(await worker.runOnce(), 'retry');
    let job = await jobOf(id);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 1);
    assert.match(job.last_error ?? '', /529 overloaded_error/);
    assert.equal(await worker.runOnce(), 'idle', 'backoff: not runnable before run_after');
    assert.ok(
      logs.lines.some(
        (l) => l.event === 'extraction_retry' && typeof l.retry_in_ms === 'number' && l.retry_in_ms >= 30_000,
      ),
    );

    await svc.db.query('UPDATE extraction_jobs SET run_after = now() WHERE transcript_id = $1', [id]);
    assert.equal(await worker.runOnce(), 'done');
    job = await jobOf(id);
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 2);
    assert.equal(anthropic.messageCalls().length, 2);
    assert.deepEqual(
      (await decisionsOf(id)).map((d) => d.title),
      ['Survive overload'],
    );
  });

  test('a malformed answer is retried; after max attempts the job fails for good and stores nothing', async () => {
    const id = await deliver(['DECISION: Never parsed']);
    for (let i = 0; i < 3; i++) anthropic.queue.push(AnthropicStandIn.malformed());
    const { worker, logs } = makeWorker();
    assert.equal(await worker.runOnce(), 'retry');
    assert.equal(await worker.runOnce(), 'retry');
    assert.equal(await worker.runOnce(), 'failed');
    assert.equal(await worker.runOnce(), 'idle');
    const job = await jobOf(id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 3);
    assert.match(job.last_error ?? '', /not valid JSON/);
    assert.deepEqual(await decisionsOf(id), []);
    assert.ok(logs.lines.some((l) => l.event === 'extraction_failed' && l.level === 'error'));
  });

  test('JSON of the wrong shape counts as malformed too', async () => {
    const id = await deliver(['DECISION: wrong shape']);
    anthropic.queue.push({
      status: 200,
      json: {
        id: 'msg_x',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-5-5',
        content: [{ type: 'text', text: '{"decisions": [{"rationale": "no title"}]}' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 5 },
      },
    });
    const { worker } = makeWorker();
    assert.equal(await worker.runOnce(), 'retry');
    assert.match((await jobOf(id)).last_error ?? '', /does not match the decisions schema/);
  });

  test('a 401 from the API is not retried: the job fails at once', async () => {
    const id = await deliver(['DECISION: bad key']);
    const { worker } = makeWorker({
      extractor: new AnthropicExtractor({
        apiKey: 'sk-ant-wrong',
        baseUrl: anthropic.url,
        model: 'claude-sonnet-5-5',
        timeoutMs: 5000,
      }),
    });
    assert.equal(await worker.runOnce(), 'failed');
    const job = await jobOf(id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.match(job.last_error ?? '', /401 authentication_error/);
  });

  test('an answer cut off at max_tokens is not retried (it would stop there again): the job fails at once', async () => {
    const id = await deliver(['DECISION: too long to answer']);
    anthropic.queue.push(AnthropicStandIn.truncated(), AnthropicStandIn.truncated());
    const { worker, logs } = makeWorker();
    assert.equal(await worker.runOnce(), 'failed');
    assert.equal(await worker.runOnce(), 'idle');
    assert.equal(anthropic.messageCalls().length, 1, 'the same request is not paid for twice');
    const job = await jobOf(id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.match(job.last_error ?? '', /max_tokens \(8192 output tokens\).*split the transcript/);
    assert.deepEqual(await decisionsOf(id), []);
    assert.ok(logs.lines.some((l) => l.event === 'extraction_failed' && /max_tokens/.test(String(l.error))));
  });

  test('a transcript longer than the limit is cut with a warning naming the transcript', async () => {
    const filler = Array.from(
      { length: Math.ceil(MAX_TRANSCRIPT_CHARS / 40) },
      () => 'Ana: we talked at length about many things',
    );
    const id = await deliver([
      'Ana: DECISION: Keep the first part',
      ...filler,
      'Ben: DECISION: Lost at the end',
    ]);
    const { worker, logs } = makeWorker();
    assert.equal(await worker.runOnce(), 'done');
    const sent = (anthropic.messageCalls()[0]!.json as { messages: Array<{ content: string }> }).messages[0]!
      .content;
    assert.ok(sent.length < MAX_TRANSCRIPT_CHARS + 200, `sent ${sent.length} characters`);
    assert.deepEqual(
      (await decisionsOf(id)).map((d) => d.title),
      ['Keep the first part'],
    );
    const warning = logs.lines.find((l) => l.event === 'transcript_truncated');
    assert.ok(warning, 'transcript_truncated logged');
    assert.equal(warning.level, 'warn');
    assert.equal(warning.transcript_id, id);
    assert.equal(warning.sent_chars, MAX_TRANSCRIPT_CHARS);
    assert.ok(Number(warning.transcript_chars) > MAX_TRANSCRIPT_CHARS);
  });

  test('two workers on separate pools never process the same transcript (FOR UPDATE SKIP LOCKED)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await deliver([`DECISION: item ${i}`]));
    // Slow answers keep both workers busy at the same time.
    const decide = anthropic.decide;
    anthropic.route('POST', '/v1/messages', async (req) => {
      await new Promise((r) => setTimeout(r, 30));
      const text = (req.json as { messages: Array<{ content: string }> }).messages[0]!.content;
      return {
        status: 200,
        json: {
          id: 'msg',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5-5',
          content: [{ type: 'text', text: JSON.stringify({ decisions: decide(text) }) }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 100, output_tokens: 20 },
        },
      };
    });
    const { log } = memoryLogger();
    const otherDb = await openDatabase({
      databaseUrl: database.url,
      embeddedDbDir: 'memory://',
      poolMax: 3,
      slowQueryMs: 500,
      log,
    });
    try {
      const a = makeWorker({ concurrency: 2, workerId: 'worker-a' });
      const b = makeWorker({ concurrency: 2, workerId: 'worker-b', db: otherDb });
      a.worker.start();
      b.worker.start();
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const left = await svc.db.query("SELECT 1 FROM extraction_jobs WHERE status <> 'done'");
        if (left.rows.length === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all([a.worker.stop(), b.worker.stop()]);
      const perWorker = (lines: typeof a.logs.lines) =>
        lines.filter((l) => l.event === 'decision_extracted').map((l) => String(l.transcript_id));
      const byA = perWorker(a.logs.lines);
      const byB = perWorker(b.logs.lines);
      assert.equal(byA.length + byB.length, 12, 'every transcript extracted exactly once');
      assert.deepEqual([...byA, ...byB].sort(), [...ids].sort());
      assert.equal(anthropic.messageCalls().length, 12, 'one API call per transcript');
      const per = await svc.db.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM decisions WHERE transcript_id = ANY($1::uuid[]) GROUP BY transcript_id',
        [ids],
      );
      assert.equal(per.rows.length, 12);
      assert.ok(
        per.rows.every((r) => r.n === '1'),
        'no transcript has duplicated decisions',
      );
    } finally {
      anthropic.route('POST', '/v1/messages', () => ({ status: 500, json: {} }));
      await otherDb.close();
    }
  });
});

describe('resume after restart', () => {
  test('jobs left pending by a stopped process, and jobs whose holder died mid-call, are processed after a restart', async () => {
    // Fresh stand-in routes (the previous test replaced /v1/messages).
    await anthropic.stop();
    anthropic = await new AnthropicStandIn().start();

    // Process 1 stores transcripts, has no worker, and "crashes".
    const first = await startApp(database.url);
    const body1 = transcriptPayload(projectId, ['DECISION: left pending']);
    const body2 = transcriptPayload(projectId, ['DECISION: left half-done']);
    const r1 = await first.app.inject({
      method: 'POST',
      url: '/api/webhooks/tactiq',
      payload: body1,
      headers: signedHeaders(body1, key),
    });
    const r2 = await first.app.inject({
      method: 'POST',
      url: '/api/webhooks/tactiq',
      payload: body2,
      headers: signedHeaders(body2, key),
    });
    const pending = (r1.json() as { transcript_id: string }).transcript_id;
    const halfDone = (r2.json() as { transcript_id: string }).transcript_id;
    // A worker of process 1 had claimed the second one and died: its lease ran out.
    await first.db.query(
      `UPDATE extraction_jobs SET status = 'processing', attempts = 1, locked_by = 'dead-worker', locked_until = now() - interval '1 second'
        WHERE transcript_id = $1`,
      [halfDone],
    );
    await first.close();

    // Process 2 boots with a worker: both jobs complete without any new webhook.
    const { worker } = makeWorker({ workerId: 'after-restart' });
    worker.start();
    try {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const left = await svc.db.query("SELECT 1 FROM extraction_jobs WHERE status <> 'done'");
        if (left.rows.length === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker.stop();
    }
    assert.equal((await jobOf(pending)).status, 'done');
    const resumed = await jobOf(halfDone);
    assert.equal(resumed.status, 'done');
    assert.equal(resumed.attempts, 2);
    assert.deepEqual(
      (await decisionsOf(halfDone)).map((d) => d.title),
      ['left half-done'],
    );
  });

  test('a worker that lost its lease does not store its (late) result', async () => {
    const id = await deliver(['DECISION: contested']);
    const { worker } = makeWorker({ workerId: 'slow-worker' });
    // Lease already over when the answer arrives: another worker has taken the job meanwhile.
    anthropic.queue.push({ ...(await okReply('contested')), delayMs: 200 });
    const running = worker.runOnce();
    await new Promise((r) => setTimeout(r, 100));
    await svc.db.query("UPDATE extraction_jobs SET locked_by = 'other-worker' WHERE transcript_id = $1", [
      id,
    ]);
    assert.equal(await running, 'lost');
    assert.deepEqual(await decisionsOf(id), []);
  });

  afterEach(() => {
    anthropic.queue.length = 0;
  });
});

async function okReply(title: string) {
  return {
    status: 200,
    json: {
      id: 'msg',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [
        {
          type: 'text',
          text: JSON.stringify({
            decisions: [{ title, rationale: null, owner: null, confidence: 1, quote: null }],
          }),
        },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  };
}
