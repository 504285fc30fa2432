// The contract checks the stand-ins rely on: the validator, the committed extracts, and stand-ins
// rejecting (and recording) requests their vendor's contract does not allow.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { GitHubStandIn } from '../standins/github.js';
import { SentryStandIn } from '../standins/sentry.js';
import { SlackStandIn } from '../standins/slack.js';
import { extractContract, githubContract } from './openapi.js';
import { validate } from './validate.js';

describe('validate (JSON-schema subset)', () => {
  test('types, nullable, enums, required, lengths, additionalProperties, anyOf and $ref', () => {
    const root = { components: { schemas: { state: { type: 'string', enum: ['success', 'failure'] } } } };
    const schema = {
      type: 'object',
      required: ['state', 'n'],
      additionalProperties: false,
      properties: {
        state: { $ref: '#/components/schemas/state' },
        n: { type: 'integer', minimum: 1 },
        note: { type: 'string', maxLength: 3, nullable: true },
        id: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    };
    assert.deepEqual(validate(schema, { state: 'success', n: 2, note: null, id: 'x' }, 'body', root), []);
    assert.deepEqual(
      validate(schema, { state: 'done', n: 0, note: 'long', id: true, extra: 1 }, 'body', root),
      [
        'at body.state: "done" is not one of ["success","failure"]',
        'at body.n: 0 is below the minimum 1',
        'at body.note: 4 characters, at most 3 allowed',
        'at body.id: matches none of the anyOf alternatives',
        'at body: "extra" is not allowed',
      ],
    );
    assert.deepEqual(validate(schema, {}, 'body', root), [
      'at body: "state" is required',
      'at body: "n" is required',
    ]);
  });
});

describe('contracts', () => {
  test('the Sentry and Slack extracts name their source, vendor commit and hash', () => {
    const documents = { sentry: 'openapi-derefed.json', slack: 'web-openapi-v2.json' };
    for (const name of ['sentry', 'slack'] as const) {
      const { extract } = extractContract(name);
      assert.equal(extract.source, documents[name]);
      assert.match(extract.commit ?? '', /[0-9a-f]{40}/);
      assert.match(extract.sha256, /^[0-9a-f]{64}$/);
    }
  });

  test('GitHub operations come from @octokit/openapi; undocumented ones do not match', () => {
    const gh = githubContract();
    assert.equal(
      gh.match('POST', '/repos/acme/decisionlog/deployments/5/statuses')?.template,
      '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    );
    assert.equal(
      gh.match('PATCH', '/repos/acme/decisionlog/issues/comments/9')?.template,
      '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    );
    assert.equal(gh.match('POST', '/repos/acme/decisionlog/deployments/5/verdicts'), undefined);
  });

  test('the deprecated Sentry project issues endpoint is not in the extract', () => {
    const sentry = extractContract('sentry');
    assert.equal(sentry.match('GET', '/api/0/projects/acme/decisionlog/issues/'), undefined);
    assert.ok(sentry.match('GET', '/api/0/organizations/acme/issues/'));
  });
});

describe('stand-ins reject what the vendor does not allow, and fail the test', () => {
  test('GitHub: a status state outside the enum is 422 and a violation', async () => {
    const gh = await new GitHubStandIn().start();
    gh.deployments.push({
      id: 1,
      ref: 'main',
      sha: 'a'.repeat(40),
      environment: 'production',
      description: null,
      payload: {},
      transient_environment: false,
      production_environment: true,
      created_at: new Date().toISOString(),
      statuses: [],
    });
    const res = await fetch(`${gh.url}/repos/acme/decisionlog/deployments/1/statuses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'done' }),
    });
    assert.equal(res.status, 422);
    assert.equal(gh.deployments[0]?.statuses.length, 0);
    await assert.rejects(gh.stop(), /body\.state: "done" is not one of/);
  });

  test('Sentry: a version over 200 characters is 400 and a violation', async () => {
    const sentry = await new SentryStandIn().start();
    const res = await fetch(`${sentry.url}/api/0/organizations/acme/releases/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sentry.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 'v'.repeat(201), projects: ['decisionlog-api'] }),
    });
    assert.equal(res.status, 400);
    assert.equal(sentry.releases.size, 0);
    await assert.rejects(sentry.stop(), /body\.version: 201 characters, at most 200 allowed/);
  });

  test('Slack: an unknown argument or a missing Authorization header is a violation', async () => {
    const slack = await new SlackStandIn().start();
    const res = await fetch(`${slack.apiUrl}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0DEPLOYS', text: 'hi', colour: 'red' }),
    });
    assert.deepEqual(await res.json(), { ok: false, error: 'not_authed' });
    await assert.rejects(slack.stop(), /"colour" is not allowed[\s\S]*no Authorization header/);
  });
});
