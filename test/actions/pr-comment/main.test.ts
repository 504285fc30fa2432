// pr-comment's main() in process, against the GitHub stand-in: create then edit in place under its
// marker, a custom marker, the push event, a token GitHub refuses, and the inputs refused before any
// request. The bundle tests in action.test.ts stay the contract with the runner.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { main } from '../../../actions/pr-comment/src/main.js';
import { UserError } from '../../../lib/errors.js';
import { runMain } from '../../harness/io.js';
import type { RunOptions } from '../../harness/run-action.js';
import { GitHubStandIn } from '../../standins/github.js';

const github = new GitHubStandIn();
beforeAll(() => github.start());
afterAll(() => github.stop());

const onPr = (number: number): Omit<RunOptions, 'inputs'> => ({
  eventName: 'pull_request',
  event: { pull_request: { number } },
  env: { GITHUB_API_URL: github.url },
});
const comment = (inputs: RunOptions['inputs'], opts: Omit<RunOptions, 'inputs'>) =>
  runMain('pr-comment', main, { inputs: { 'github-token': github.token, ...inputs }, ...opts });

describe('pr-comment main()', () => {
  test('posts once, then edits the same comment; the token is registered and never shown', async () => {
    const first = await comment({ body: '## ✅ Health gate: healthy' }, onPr(51));
    assert.equal(first.error, undefined, first.failure);
    assert.deepEqual(first.io.infos.at(-1), 'Posted the report on pull request #51.');
    assert.ok(first.io.masks.includes(github.token));
    const second = await comment({ body: '## ❌ Health gate: unhealthy' }, onPr(51));
    assert.equal(second.error, undefined, second.failure);
    assert.deepEqual(second.io.infos.at(-1), 'Updated the report on pull request #51.');
    const comments = github.comments.get(51) ?? [];
    assert.equal(comments.length, 1);
    assert.equal(comments[0]?.body, '<!-- decisionlog-deploy:pr-health -->\n## ❌ Health gate: unhealthy');
    for (const r of [first, second]) {
      assert.deepEqual(r.io.leaks(github.token), []);
      assert.deepEqual(r.io.outputs, {}, 'pr-comment has no outputs');
    }
  });

  test('another marker is another comment: each check edits only its own', async () => {
    await comment({ body: 'health' }, onPr(52));
    const r = await comment({ body: 'migration plan', marker: 'migrate-plan' }, onPr(52));
    assert.equal(r.error, undefined, r.failure);
    const bodies = (github.comments.get(52) ?? []).map((c) => c.body);
    assert.deepEqual(bodies, [
      '<!-- decisionlog-deploy:pr-health -->\nhealth',
      '<!-- decisionlog-deploy:migrate-plan -->\nmigration plan',
    ]);
  });

  test('on a push event nothing is sent; a debug line says why', async () => {
    const before = github.requests.length;
    const r = await comment({ body: 'report' }, { env: { GITHUB_API_URL: github.url } });
    assert.equal(r.error, undefined, r.failure);
    assert.equal(github.requests.length, before);
    assert.ok(
      r.io.debugs.some((d) => /^No pull request in this push event: the report was not posted/.test(d)),
    );
  });

  test('a token GitHub refuses is a warning naming the pull request; the step passes', async () => {
    const bad = 'ghs_revoked_token_5678';
    const r = await comment({ 'github-token': bad, body: 'report' }, onPr(53));
    assert.equal(r.error, undefined, r.failure);
    assert.equal(r.io.warnings.length, 1);
    assert.match(r.io.warnings[0]?.message ?? '', /^Could not post the report on pull request #53: /);
    assert.deepEqual(r.io.leaks(bad), []);
    assert.equal(github.comments.get(53), undefined);
  });

  const refused: Array<[string, RunOptions['inputs'], RegExp]> = [
    ['an empty body', { body: '' }, /^Input "body" is required/],
    ['no token', { 'github-token': '', body: 'x' }, /^Input "github-token" is required/],
    [
      'a marker with capitals and spaces',
      { body: 'x', marker: 'PR Health' },
      /^Input "marker" must be lower-case letters, digits and dashes \(e\.g\. pr-health\), not "PR Health"\.$/,
    ],
  ];
  test.each(refused)('%s fails with one sentence before any request', async (_what, inputs, expected) => {
    const before = github.requests.length;
    const r = await comment(inputs, onPr(54));
    assert.ok(r.error instanceof UserError, r.failure);
    assert.match(r.failure ?? '', expected);
    assert.doesNotMatch(r.failure ?? '', /\n/);
    assert.equal(github.requests.length, before);
  });
});
