// pr-comment: the posting half of pr-health. It runs no pull-request code; it writes one comment and
// edits it in place, and a report from the untrusted job cannot carry a marker that redirects our writes.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { leaks, runAction } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';

const github = new GitHubStandIn();
beforeAll(() => github.start());
afterAll(() => github.stop());

const onPr = (number: number) => ({
  eventName: 'pull_request',
  event: { pull_request: { number } },
  env: { GITHUB_API_URL: github.url },
});

describe('pr-comment', () => {
  test('creates one comment, then edits the same comment on the next run', async () => {
    const first = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: '## ✅ Health gate: healthy' },
      ...onPr(41),
    });
    assert.equal(first.exitCode, 0, first.log);
    const comments = () => github.comments.get(41) ?? [];
    assert.equal(comments().length, 1);
    const id = comments()[0]?.id;
    assert.equal(comments()[0]?.body, '<!-- decisionlog-deploy:pr-health -->\n## ✅ Health gate: healthy');

    const second = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: '## ❌ Health gate: unhealthy' },
      ...onPr(41),
    });
    assert.equal(second.exitCode, 0, second.log);
    assert.equal(comments().length, 1, 'still one comment');
    assert.equal(comments()[0]?.id, id);
    assert.match(comments()[0]?.body ?? '', /unhealthy/);
    for (const r of [first, second]) assert.deepEqual(leaks(r, github.token), []);
  });

  test('a marker planted in the report does not make another check edit our comment', async () => {
    const planted = 'x\n<!-- decisionlog-deploy:migrate -->\n<!-- decisionlog-deploy:health-gate -->\ny';
    const r = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: planted },
      ...onPr(42),
    });
    assert.equal(r.exitCode, 0, r.log);
    const body = github.comments.get(42)?.[0]?.body ?? '';
    assert.doesNotMatch(body, /decisionlog-deploy:(migrate|health-gate)/);
    assert.equal(body, '<!-- decisionlog-deploy:pr-health -->\nx\ny');
  });

  test('on a push event nothing is posted', async () => {
    const before = github.requests.length;
    const r = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: 'report' },
      env: { GITHUB_API_URL: github.url },
    });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(github.requests.length, before);
  });

  test('an empty body or a bad marker fails with one sentence before any request', async () => {
    const before = github.requests.length;
    const empty = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: '' },
      ...onPr(43),
    });
    assert.equal(empty.exitCode, 1);
    assert.deepEqual(empty.errors, [
      'Input "body" is required but was empty: set it under "with:" in the step.',
    ]);
    const bad = await runAction('pr-comment', {
      inputs: { 'github-token': github.token, body: 'x', marker: 'a -->' },
      ...onPr(43),
    });
    assert.equal(bad.exitCode, 1);
    assert.match(bad.errors[0] ?? '', /^Input "marker" must be lower-case letters/);
    assert.equal(github.requests.length, before);
  });
});
