import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { backoffMs } from '../../lib/backoff.js';
import { DEFAULT_RETRY, http, NetworkError, retryDelayMs, serverDelayMs } from '../../lib/http.js';
import { StandIn } from '../standins/server.js';

const fast = { baseDelayMs: 10, maxDelayMs: 40 };

describe('retry decisions', () => {
  test('429 follows Retry-After in seconds and as an HTTP date', () => {
    assert.equal(retryDelayMs(429, { 'retry-after': '2' }, 1, DEFAULT_RETRY), 2000);
    const now = Date.parse('2026-11-25T10:00:00Z');
    assert.equal(serverDelayMs({ 'retry-after': 'Wed, 25 Nov 2026 10:00:03 GMT' }, now), 3000);
  });

  test('429 reads X-Sentry-Rate-Limit-Reset / X-RateLimit-Reset epoch seconds when no Retry-After', () => {
    const now = 1_700_000_000_000;
    assert.equal(serverDelayMs({ 'x-sentry-rate-limit-reset': String(now / 1000 + 4) }, now), 4000);
    assert.equal(serverDelayMs({ 'x-ratelimit-reset': '1.5' }, now), 1500);
  });

  test('a Retry-After beyond the cap is not waited for', () => {
    assert.equal(retryDelayMs(429, { 'retry-after': '3600' }, 1, DEFAULT_RETRY), undefined);
  });

  test('5xx backs off with jitter inside [ceiling/2, ceiling], ceiling = base·2^(n-1); 4xx is not retried', () => {
    for (const r of [0, 0.5, 0.999]) {
      const d = retryDelayMs(503, {}, 3, DEFAULT_RETRY, Date.now(), () => r)!;
      assert.ok(d >= 1000 && d <= 2000, `delay ${d}`);
    }
    assert.equal(retryDelayMs(404, {}, 1, DEFAULT_RETRY), undefined);
    assert.equal(retryDelayMs(502, {}, 1, { ...DEFAULT_RETRY, retryServerErrors: false }), undefined);
  });

  test('backoff grows and is capped', () => {
    assert.equal(
      backoffMs(1, DEFAULT_RETRY.baseDelayMs, DEFAULT_RETRY.maxDelayMs, () => 1),
      500,
    );
    assert.equal(
      backoffMs(2, DEFAULT_RETRY.baseDelayMs, DEFAULT_RETRY.maxDelayMs, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(10, DEFAULT_RETRY.baseDelayMs, DEFAULT_RETRY.maxDelayMs, () => 1),
      10_000,
    );
  });
});

describe('http() against a stand-in', () => {
  const api = new StandIn();
  beforeAll(async () => {
    api.route('GET', '/ok', () => ({ json: { ok: true } }));
    api.route('GET', '/slow', () => ({ delayMs: 500, json: {} }));
    await api.start();
  });
  afterAll(() => api.stop());

  test('502 then ECONNRESET then success: three attempts, final 200', async () => {
    api.queue.push({ status: 502, text: 'bad gateway' }, { reset: true });
    const retries: string[] = [];
    const res = await http(`${api.url}/ok`, { retry: fast, onRetry: (i) => retries.push(i.reason) });
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 3);
    assert.deepEqual(res.json(), { ok: true });
    assert.equal(retries[0], 'HTTP 502');
    assert.match(retries[1] ?? '', /ECONNRESET|UND_ERR_SOCKET|closed/);
  });

  test('429 waits Retry-After then succeeds', async () => {
    api.queue.push({ status: 429, headers: { 'retry-after': '1' }, json: { error: 'rate limited' } });
    const waits: number[] = [];
    const res = await http(`${api.url}/ok`, { retry: fast, onRetry: (i) => waits.push(i.delayMs) });
    assert.equal(res.status, 200);
    assert.deepEqual(waits, [1000]);
  });

  test('retries exhausted on 503 returns the 503 for the caller to explain', async () => {
    api.queue.push({ status: 503 }, { status: 503 }, { status: 503 });
    const res = await http(`${api.url}/ok`, { retry: { ...fast, retries: 2 } });
    assert.equal(res.status, 503);
    assert.equal(res.attempts, 3);
  });

  test('a timeout per attempt becomes one clear NetworkError sentence', async () => {
    await assert.rejects(
      http(`${api.url}/slow`, { timeoutMs: 100, retry: { ...fast, retries: 1 }, service: 'Test API' }),
      (err: unknown) =>
        err instanceof NetworkError &&
        /^Could not reach Test API .*no answer within 100ms after 2 attempts/.test(err.message),
    );
  });

  test('connection refused names the host and the cause', async () => {
    await assert.rejects(http('http://127.0.0.1:9/x', { retry: { ...fast, retries: 0 } }), (err: unknown) => {
      return (
        err instanceof NetworkError && err.code === 'ECONNREFUSED' && /connection refused/.test(err.message)
      );
    });
  });

  test('NetworkError.detail is the phrase without the service or URL', async () => {
    const err = await http('http://127.0.0.1:9/x', {
      retry: { ...fast, retries: 0 },
      service: 'Test API',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof NetworkError);
    assert.equal(err.detail, 'connection refused (ECONNREFUSED)');
    assert.match(err.message, /^Could not reach Test API \(http:\/\/127\.0\.0\.1:9\): connection refused/);
    // Built directly (older call sites), detail falls back to the message.
    assert.equal(new NetworkError('whole sentence.', 'X').detail, 'whole sentence.');
  });

  test('a cancelled request says it was cancelled, not that the host is down', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 50);
    const err = await http(`${api.url}/slow`, {
      signal: cancel.signal,
      retry: fast,
      service: 'Test API',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof NetworkError);
    assert.equal(err.code, 'ABORTED');
    assert.equal(err.detail, 'the request was cancelled');
    assert.match(err.message, /Test API .*the request was cancelled/);
    assert.doesNotMatch(err.message, /check the URL|Could not reach/);
  });

  test('cancelled while waiting to retry: the cancel sentence, no further attempt', async () => {
    const cancel = new AbortController();
    api.queue.push({ status: 502 }, { status: 502 });
    const before = api.requests.length;
    const err = await http(`${api.url}/ok`, {
      signal: cancel.signal,
      retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 },
      onRetry: () => cancel.abort(),
    }).then(
      (res) => res,
      (e: unknown) => e,
    );
    // A cancelled wait ends with the cancel sentence (no answer was given to the retried attempt).
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'ABORTED');
    assert.match(err.message, /the request was cancelled/);
    assert.equal(api.requests.length - before, 1, 'one attempt, none after the cancel');
    api.queue.length = 0;
  });

  describe('mutations are sent at most once', () => {
    beforeAll(() => {
      api.route('POST', '/deploy', () => ({ json: { id: 'd1' } }));
    });
    const posts = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/deploy').length;

    test('a 502 after the server took the request is returned, not re-sent', async () => {
      const before = posts();
      api.queue.push({ status: 502, text: 'bad gateway' });
      const res = await http(`${api.url}/deploy`, { method: 'POST', json: {}, mutation: true, retry: fast });
      assert.equal(res.status, 502);
      assert.equal(posts() - before, 1);
    });

    test('a reset socket throws "may have been applied" after one attempt', async () => {
      const before = posts();
      api.queue.push({ reset: true });
      const err = await http(`${api.url}/deploy`, {
        method: 'POST',
        json: {},
        mutation: true,
        retry: fast,
        service: 'Test API',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof NetworkError);
      assert.equal(err.outcomeUnknown, true);
      assert.match(err.message, /may or may not have been applied, so it was not sent again/);
      assert.equal(posts() - before, 1);
    });

    test('a 429 is refused unprocessed, so it is waited out and sent again', async () => {
      const before = posts();
      api.queue.push({ status: 429, headers: { 'retry-after': '0' }, json: {} });
      const res = await http(`${api.url}/deploy`, { method: 'POST', json: {}, mutation: true, retry: fast });
      assert.equal(res.status, 200);
      assert.equal(posts() - before, 2);
    });

    test('connection refused never reached the server: retried, and says so', async () => {
      const err = await http('http://127.0.0.1:9/x', {
        method: 'POST',
        mutation: true,
        retry: { ...fast, retries: 1 },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof NetworkError);
      assert.equal(err.outcomeUnknown, false);
      assert.match(err.message, /after 2 attempts/);
    });
  });
});
