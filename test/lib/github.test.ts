// lib/github.ts: octokit with GitHub's rate-limit rules, at-most-once writes, and PR comments matched
// by marker *and* our own author — against the GitHub stand-in checked with @octokit/openapi.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import {
  ACTIONS_BOT,
  commentText,
  GitHubApi,
  GitHubError,
  rateLimitOf,
  upsertPrComment,
  waitForRateLimit,
} from '../../lib/github.js';
import { GitHubStandIn } from '../standins/github.js';

const REPO = 'acme/decisionlog';
const MARKER = '<!-- decisionlog:health-gate -->';

describe('commentText', () => {
  test('keeps the report text, puts the marker first and removes every marker of ours inside it', () => {
    const marker = '<!-- decisionlog-deploy:pr-health -->';
    assert.equal(commentText(marker, '  a\n\nb  '), `${marker}\na\n\nb`);
    assert.equal(
      commentText(marker, `x\n<!-- decisionlog-deploy:migrate -->\n${marker} y`),
      `${marker}\nx\n y`,
    );
  });
});

describe('GitHubApi against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let logged: string[];
  const api = (token = gh.token, opts = {}) =>
    new GitHubApi(token, gh.url, { log: (m) => logged.push(m), secondMs: 5, ...opts });

  beforeEach(async () => {
    gh = await new GitHubStandIn().start();
    logged = [];
  });
  afterEach(async () => {
    await gh.stop();
  });

  test("a marker planted in someone else's comment is never edited: ours is created beside it", async () => {
    const planted = gh.addComment(7, `${MARKER}\nI agree with the bot`, 'mallory');
    const first = await upsertPrComment(api(), REPO, 7, MARKER, 'verdict one');
    assert.equal(first.created, true);
    assert.equal(planted.body, `${MARKER}\nI agree with the bot`, 'the planted comment is untouched');
    const ours = gh.comments.get(7)!.find((c) => c.id === first.id)!;
    assert.equal(ours.author, ACTIONS_BOT);
    const second = await upsertPrComment(api(), REPO, 7, MARKER, 'verdict two');
    assert.deepEqual(second, { id: first.id, created: false }, 'our own comment is edited the next time');
    assert.match(ours.body, /verdict two/);
    assert.equal(gh.calls('PATCH', `/repos/${REPO}/issues/comments/${planted.id}`).length, 0);
  });

  test("our own comment that only quotes another check's marker is not that check's comment", async () => {
    const other = gh.addComment(
      11,
      `<!-- decisionlog-deploy:migrate -->\nquoted ${MARKER} from a probe`,
      ACTIONS_BOT,
    );
    const done = await upsertPrComment(api(), REPO, 11, MARKER, 'verdict');
    assert.equal(done.created, true);
    assert.equal(gh.calls('PATCH', `/repos/${REPO}/issues/comments/${other.id}`).length, 0);
    const ours = gh.comments.get(11)!.find((c) => c.id === done.id)!;
    assert.ok(ours.body.startsWith(`${MARKER}\n`));
  });

  test("a personal token signs as its user (GET /user), and only that user's comment is ours", async () => {
    gh.addComment(8, `${MARKER}\nold`, ACTIONS_BOT, 'github-actions');
    const mine = gh.addComment(8, `${MARKER}\nmine`, 'deploy-bot');
    const done = await upsertPrComment(api(gh.patToken), REPO, 8, MARKER, 'new verdict');
    assert.deepEqual(done, { id: mine.id, created: false });
    assert.equal(gh.calls('GET', '/user').length, 1);
  });

  test('a create answered 502 after GitHub applied it is looked for, not posted twice', async () => {
    gh.afterApplying.push({ status: 502, json: { message: 'Server Error' } });
    const done = await upsertPrComment(api(), REPO, 9, MARKER, 'verdict');
    assert.equal(gh.comments.get(9)?.length, 1, 'exactly one comment');
    assert.equal(done.id, gh.comments.get(9)![0]!.id);
    assert.equal(gh.calls('POST', `/repos/${REPO}/issues/9/comments`).length, 1, 'the POST was sent once');
    assert.ok(
      logged.some((m) => /Looking for the comment before posting it again/.test(m)),
      logged.join('\n'),
    );
    assert.ok(
      logged.some((m) => /was posted .*not posting it again/.test(m)),
      logged.join('\n'),
    );
  });

  test('a create whose connection was reset after it was applied is not posted twice', async () => {
    gh.afterApplying.push({ reset: true });
    await upsertPrComment(api(), REPO, 10, MARKER, 'verdict');
    assert.equal(gh.comments.get(10)?.length, 1);
    assert.equal(gh.calls('POST', `/repos/${REPO}/issues/10/comments`).length, 1);
  });

  test('a primary rate limit (403, x-ratelimit-remaining 0, reset an hour away) says so, not "lacks a permission"', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    gh.queue.push({
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-limit': '5000',
      },
      json: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const err = await api()
      .request('GET /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'decisionlog' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof GitHubError, String(err));
    assert.equal(err.rateLimited, true);
    assert.match(err.message, /rate limit is used up until \d\d:\d\d:\d\d UTC/);
    assert.doesNotMatch(err.message, /permission/);
    assert.equal(gh.requests.length, 1, 'no retry for a reset an hour away');
  });

  test('a secondary rate limit with retry-after is waited for once, then the call succeeds', async () => {
    gh.queue.push({
      status: 403,
      headers: { 'retry-after': '2' },
      json: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    });
    const list = await api().request<unknown[]>('GET /repos/{owner}/{repo}/deployments', {
      owner: 'acme',
      repo: 'decisionlog',
    });
    assert.deepEqual(list, []);
    assert.equal(gh.requests.length, 2);
    assert.ok(
      logged.some((m) => /secondary rate limit .*waiting 2 s/.test(m)),
      logged.join('\n'),
    );
  });

  test('a 429 secondary limit without retry-after waits at least a minute, and a second one gives up', async () => {
    const limited = {
      status: 429,
      json: { message: 'You have exceeded a secondary rate limit.' },
    };
    gh.queue.push(limited, limited);
    const err = await api()
      .request(
        'POST /repos/{owner}/{repo}/deployments',
        { owner: 'acme', repo: 'decisionlog', ref: 'main' },
        {
          mutation: true,
        },
      )
      .catch((e: unknown) => e);
    assert.ok(
      logged.some((m) => /waiting 60 s/.test(m)),
      logged.join('\n'),
    );
    assert.ok(err instanceof GitHubError);
    assert.equal(err.rateLimited, true);
    assert.match(err.message, /secondary rate limit \(HTTP 429, wait at least a minute\)/);
    assert.equal(gh.deployments.length, 0);
    assert.equal(gh.requests.length, 2, 'one wait, one retry, then a sentence');
  });

  test('a mutation answered 502 is not retried; a read is', async () => {
    gh.queue.push({ status: 502, json: { message: 'Server Error' } });
    const err = await api()
      .request(
        'POST /repos/{owner}/{repo}/deployments',
        { owner: 'acme', repo: 'decisionlog', ref: 'main' },
        {
          mutation: true,
        },
      )
      .catch((e: unknown) => e);
    assert.ok(err instanceof GitHubError && err.outcomeUnknown, String(err));
    assert.equal(gh.requests.length, 1);
    gh.queue.push({ status: 502, json: { message: 'Server Error' } });
    await api().request('GET /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'decisionlog' });
    assert.equal(gh.requests.length, 3);
  });
});

describe('5xx with x-ratelimit-reset', () => {
  test('a read answered 502 that carries x-ratelimit-reset (an epoch) is retried with backoff, not after the window', async () => {
    const gh = await new GitHubStandIn().start();
    try {
      gh.queue.push({
        status: 502,
        headers: {
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        },
        json: { message: 'Server Error' },
      });
      const api = new GitHubApi(gh.token, gh.url, { secondMs: 5 });
      const list = await api.request<unknown[]>('GET /repos/{owner}/{repo}/deployments', {
        owner: 'acme',
        repo: 'decisionlog',
      });
      assert.deepEqual(list, []);
      assert.equal(gh.requests.length, 2);
    } finally {
      await gh.stop();
    }
  });
});

describe('rate-limit rules', () => {
  test('retry once, only when the wait fits', () => {
    assert.equal(waitForRateLimit(60, 0, 90), true);
    assert.equal(waitForRateLimit(60, 1, 90), false, 'never a second time in a row');
    assert.equal(waitForRateLimit(3601, 0, 90), false);
  });
  test('x-ratelimit-reset is an epoch time, not a delay', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const said = rateLimitOf(
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) },
      '',
      now,
    );
    assert.match(said ?? '', /until 12:10:00 UTC \(in about 10 min/);
    assert.equal(rateLimitOf(403, {}, 'Resource not accessible by integration', now), undefined);
    assert.equal(rateLimitOf(500, { 'x-ratelimit-reset': '1' }, '', now), undefined);
  });
});
