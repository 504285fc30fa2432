// railway-deploy `deploy`, run from the committed bundle against the Railway stand-in.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { leaks } from '../../harness/run-action.js';
import { railwayReplies } from '../../standins/railway.js';
import { newest, run, SERVICE, start, type World, world } from './fixture.js';

describe('railway-deploy deploy', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
  });

  test('success: prints the status flow and sets every output', async () => {
    const sha = 'c'.repeat(40);
    w.railway.stepOnRead = true;
    const r = await run(w.railway, { 'commit-sha': sha });
    assert.equal(r.exitCode, 0, r.log);
    const d = newest(w.railway);
    assert.notEqual(d.id, w.live.id);
    assert.equal(d.meta.commitHash, sha);
    assert.equal(r.outputs['deployment-id'], d.id);
    assert.equal(r.outputs.status, 'SUCCESS');
    assert.equal(r.outputs['previous-deployment-id'], w.live.id);
    assert.equal(r.outputs.url, `https://${SERVICE}-production.up.railway.app`);
    assert.match(r.outputs['duration-seconds'] ?? '', /^\d+\.\d$/);
    assert.equal(r.outputs['rolled-back-to'], undefined);
    const order = ['QUEUED', 'BUILDING', 'DEPLOYING', 'SUCCESS'].map((s) =>
      r.log.search(new RegExp(`^ {2}${s} \\(`, 'm')),
    );
    assert.ok(
      order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number))),
      `flow in order: ${order}`,
    );
    assert.match(r.summary, /QUEUED → BUILDING \(.+\) → DEPLOYING \(.+\) → SUCCESS/);
    // Railway's replacement semantics: the old live deployment is now REMOVED.
    assert.equal(w.railway.deployment(w.live.id)?.status, 'REMOVED');
    // Project tokens go in Project-Access-Token, never as Bearer, and never reach the log.
    assert.ok(w.railway.operations.every((o) => o.auth === 'project'));
    assert.ok(r.masks.includes(w.railway.projectToken));
    assert.deepEqual(leaks(r, w.railway.projectToken), []);
    assert.deepEqual(w.railway.fieldsCalled().slice(0, 2), ['deployments', 'serviceInstanceDeployV2']);
    assert.ok(
      !w.railway.fieldsCalled().includes('serviceInstanceUpdate'),
      'no settings given, no update sent',
    );
  });

  test('empty commit-sha deploys the latest commit of the connected branch, like the CLI', async () => {
    // manage-services.md: serviceInstanceDeployV2 without commitSha redeploys the commit the service has.
    const head = 'e'.repeat(40);
    w.railway.services.get(SERVICE)!.latestCommit = head;
    const r = await run(w.railway);
    assert.equal(r.exitCode, 0, r.log);
    const d = newest(w.railway);
    assert.equal(d.meta.commitHash, head, 'the branch head, not the commit already serving');
    assert.equal(r.outputs['deployment-id'], d.id);
    const deploy = w.railway.operations.find((o) => o.fields.includes('serviceInstanceDeploy'));
    assert.match(deploy?.query ?? '', /latestCommit: true/);
    assert.equal(w.railway.fieldsCalled().includes('serviceInstanceDeployV2'), false);
    assert.match(r.log, /deploying the latest commit of the connected branch/);
  });

  test('WAITING and NEEDS_APPROVAL: the log says what Railway waits for, then SUCCESS', async () => {
    w.railway.stepOnRead = true;
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'WAITING' },
      { status: 'NEEDS_APPROVAL' },
      { status: 'BUILDING' },
      { status: 'SUCCESS' },
    ];
    const r = await run(w.railway, { 'commit-sha': 'c'.repeat(40) });
    assert.equal(r.exitCode, 0, r.log);
    assert.match(
      r.log,
      /^ {2}WAITING \(.*\): Railway holds it until the GitHub workflows of this commit succeed/m,
    );
    assert.match(
      r.log,
      /^ {2}NEEDS_APPROVAL \(.*\): Railway holds it until someone approves the deployment/m,
    );
    assert.equal(r.outputs.status, 'SUCCESS');
  });

  test('timeout while WAITING says what Railway was waiting for', async () => {
    w.railway.scenario = () => [{ status: 'WAITING' }, { status: 'SUCCESS', delayMs: 60_000 }];
    const r = await run(w.railway, { timeout: '1s' });
    assert.equal(r.exitCode, 1);
    assert.match(
      r.errors[0] ?? '',
      /was still WAITING when the 1\.0s timeout ran out \(Railway holds it until the GitHub workflows/,
    );
  });

  test('SKIPPED: never reported as serving; the step fails and says why', async () => {
    w.railway.scenario = () => [{ status: 'QUEUED' }, { status: 'WAITING' }, { status: 'SKIPPED' }];
    const r = await run(w.railway, { 'commit-sha': 'c'.repeat(40) });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.status, 'SKIPPED');
    assert.equal(r.outputs.url, undefined);
    assert.equal(r.errors.length, 1);
    assert.match(
      r.errors[0] ?? '',
      new RegExp(
        `Railway SKIPPED deployment .*, so it will never serve: with "Wait for CI" on, a GitHub workflow of this commit failed.*deployment ${w.live.id} keeps serving`,
      ),
    );
    assert.match(r.summary, /skipped by Railway \(not deployed\)/);
    assert.equal(w.railway.deployment(w.live.id)?.status, 'SUCCESS');
    assert.equal(w.railway.fieldsCalled().includes('buildLogs'), false, 'a skipped deployment has no logs');
  });

  test('account token is sent as Bearer with token-type account', async () => {
    const r = await run(w.railway, { token: w.railway.accountToken, 'token-type': 'account' });
    assert.equal(r.exitCode, 0, r.log);
    assert.ok(w.railway.operations.every((o) => o.auth === 'account'));
  });

  test('build failure: exit 1 with the last build log lines in the log, not in the summary', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'BUILDING', buildLogs: ['[build] npm ci', 'npm ERR! Missing script: "build"'] },
      { status: 'FAILED' },
    ];
    const r = await run(w.railway);
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.status, 'FAILED');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /ended FAILED after .*: the build or pre-deploy command failed/);
    assert.match(r.log, /npm ERR! Missing script: "build"/);
    // Log lines may hold production data: the summary leaves them out unless logs-in-summary asks.
    assert.doesNotMatch(r.summary, /Missing script|\[build\] npm ci/);
    assert.doesNotMatch(r.errors[0] ?? '', /job summary/);
    assert.match(r.summary, /❌ failed/);
    assert.equal(w.railway.deployment(w.live.id)?.status, 'SUCCESS', 'the live deployment keeps serving');
    assert.doesNotMatch(r.log, /at .*\(.*\.js:\d+:\d+\)/, 'no stack trace');
  });

  test('crash after deploy: CRASHED ends the step with the deploy log', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'BUILDING' },
      { status: 'DEPLOYING', deployLogs: ['Error: connect ECONNREFUSED 10.0.0.5:5432'] },
      { status: 'CRASHED', deployLogs: ['process exited with code 1'] },
    ];
    const r = await run(w.railway);
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.status, 'CRASHED');
    assert.match(r.errors[0] ?? '', /ended CRASHED.*crashed/);
    assert.doesNotMatch(r.summary, /ECONNREFUSED 10\.0\.0\.5:5432/);
    assert.match(r.log, /ECONNREFUSED 10\.0\.0\.5:5432/);
    assert.match(r.log, /process exited with code 1/);
  });

  test('logs-in-summary: true copies the log lines into the summary as well', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'DEPLOYING', deployLogs: ['Error: connect ECONNREFUSED 10.0.0.5:5432'] },
      { status: 'CRASHED' },
    ];
    const r = await run(w.railway, { 'logs-in-summary': true });
    assert.equal(r.exitCode, 1);
    assert.match(r.summary, /ECONNREFUSED 10\.0\.0\.5:5432/);
    assert.match(r.errors[0] ?? '', /above and in the job summary/);
  });

  test('Railway log lines cannot issue workflow commands', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      {
        status: 'BUILDING',
        buildLogs: [
          '::error title=forged::pwned by a log line',
          '  ::add-mask::secret-looking',
          'plain ##[set-output name=url;]https://evil.example',
          '\u001b[31mred\u001b[0m text\rthen ::warning::carriage',
        ],
      },
      { status: 'FAILED' },
    ];
    const r = await run(w.railway);
    assert.equal(r.exitCode, 1);
    assert.equal(r.errors.length, 1, r.errors.join('\n'));
    assert.doesNotMatch(r.errors.join('\n'), /pwned/);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(
      r.masks.filter((m) => m.includes('secret-looking')),
      [],
    );
    // No stdout line the runner would read as a command, in either syntax.
    const commandLike = r.log
      .split('\n')
      .filter((l) => /^\s*::/.test(l) && !/^::(error|group|endgroup|add-mask)::/.test(l));
    assert.deepEqual(commandLike, []);
    assert.doesNotMatch(r.log, /##\[/);
    assert.doesNotMatch(r.log, /\u001b|\r/);
    assert.match(r.log, /pwned by a log line/, 'the text itself is still shown');
  });

  test('timeout: fails, leaves Railway untouched, reports the last status', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'BUILDING' },
      { status: 'SUCCESS', delayMs: 60_000 },
    ];
    const r = await run(w.railway, { timeout: '1s' });
    assert.equal(r.exitCode, 1);
    assert.equal(r.outputs.status, 'BUILDING');
    assert.match(
      r.errors[0] ?? '',
      /still BUILDING when the 1\.0s timeout ran out: Railway was left untouched/,
    );
    assert.match(r.summary, /timed out/);
    const mutations = w.railway
      .fieldsCalled()
      .filter((f) => ['serviceInstanceDeploy', 'serviceInstanceDeployV2', 'deploymentRollback'].includes(f));
    assert.deepEqual(mutations, ['serviceInstanceDeploy'], 'nothing but the one deploy was asked of Railway');
  });

  test('502 then ECONNRESET then success: retried with a note in the log', async () => {
    w.railway.queue.push(railwayReplies.badGateway(), railwayReplies.connectionReset());
    const r = await run(w.railway);
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.status, 'SUCCESS');
    assert.match(r.log, /Railway API: HTTP 502; retrying/);
    assert.match(r.log, /Railway API: .*(ECONNRESET|UND_ERR_SOCKET).*; retrying/);
    assert.equal(
      w.railway.requests.length,
      w.railway.operations.length + 2,
      'two requests answered by the script',
    );
  });

  test('429 with Retry-After: waits as told, then succeeds', async () => {
    w.railway.queue.push(railwayReplies.tooManyRequests(1));
    const r = await run(w.railway);
    assert.equal(r.exitCode, 0, r.log);
    assert.match(r.log, /Railway API: HTTP 429; retrying in 1\.0s/);
  });

  test('bad token: one sentence with the token-type hint, token masked', async () => {
    const bad = 'rw-wrong-token-5e5e5e5e';
    const r = await run(w.railway, { token: bad });
    assert.equal(r.exitCode, 1);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /Railway refused the token .*"Not Authorized".*Project-Access-Token/);
    assert.deepEqual(leaks(r, bad), []);
    assert.equal(w.railway.fieldsCalled().includes('serviceInstanceDeployV2'), false);
  });

  test('project token sent as Bearer (token-type account) is refused with the hint', async () => {
    const r = await run(w.railway, { 'token-type': 'account' });
    assert.equal(r.exitCode, 1);
    assert.match(r.errors[0] ?? '', /Not Authorized.*Bearer.*token-type "project"/);
  });

  test('"Commit not found": its own sentence, no deployment, not the IDs hint', async () => {
    const service = w.railway.services.get(SERVICE)!;
    service.knownCommits = new Set(['1'.repeat(40), '2'.repeat(40)]);
    const before = w.railway.deploymentsOf(SERVICE).length;
    const r = await run(w.railway, { 'commit-sha': 'b'.repeat(40) });
    assert.equal(r.exitCode, 1);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /could not find the commit in the service's connected GitHub repository/);
    assert.doesNotMatch(r.errors[0] ?? '', /check project-id/);
    assert.equal(w.railway.deploymentsOf(SERVICE).length, before);
  });

  test('"Project Token not found": says the token is gone, not the IDs hint', async () => {
    const deleted = 'rw-deleted-token-7a7a7a7a';
    w.railway.deletedProjectTokens.add(deleted);
    const r = await run(w.railway, { token: deleted });
    assert.equal(r.exitCode, 1);
    assert.match(r.errors[0] ?? '', /Railway does not know this project token.*Settings → Tokens/);
    assert.doesNotMatch(r.errors[0] ?? '', /check project-id/);
    assert.deepEqual(leaks(r, deleted), []);
  });

  test('url prefers the custom domain people use over *.up.railway.app', async () => {
    w.railway.services.get(SERVICE)!.customDomains = ['api.example.com'];
    const r = await run(w.railway, { 'commit-sha': 'c'.repeat(40) });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.url, 'https://api.example.com');
  });

  test('unknown service: points at the IDs', async () => {
    const r = await run(w.railway, { 'service-id': 'svc-typo' });
    assert.equal(r.exitCode, 1);
    // Listing an unknown service finds nothing; starting a deployment on it is what Railway refuses.
    assert.match(r.errors[0] ?? '', /Service not found.*check project-id, environment-id and service-id/);
  });

  test('image deploy: settings applied with serviceInstanceUpdate first, then serviceInstanceDeployV2', async () => {
    const image = 'ghcr.io/acme/decisionlog:sha-1234567';
    const r = await run(w.railway, {
      image,
      'healthcheck-path': '/health',
      'healthcheck-timeout': '120s',
      'num-replicas': 2,
      'restart-policy': 'ON_FAILURE',
    });
    assert.equal(r.exitCode, 0, r.log);
    const fields = w.railway.fieldsCalled();
    assert.ok(fields.indexOf('serviceInstanceUpdate') >= 0);
    assert.ok(
      fields.indexOf('serviceInstanceUpdate') < fields.indexOf('serviceInstanceDeployV2'),
      fields.join(),
    );
    const update = w.railway.operations.find((o) => o.fields.includes('serviceInstanceUpdate'));
    assert.deepEqual(update?.variables.input, {
      source: { image },
      healthcheckPath: '/health',
      healthcheckTimeout: 120,
      numReplicas: 2,
      restartPolicyType: 'ON_FAILURE',
    });
    assert.equal(w.railway.services.get(SERVICE)?.source.image, image);
    assert.equal(r.outputs.status, 'SUCCESS');
  });

  test('image deploy: SUCCESS is trusted, no undocumented meta key is needed', async () => {
    // Railway documents no deployment field naming the image: a real SUCCESS has no meta.image.
    const r = await run(w.railway, { image: 'ghcr.io/acme/decisionlog:new' });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.status, 'SUCCESS');
    assert.deepEqual(newest(w.railway).meta, {});
  });

  test('wait: false returns right after starting', async () => {
    w.railway.scenario = () => [{ status: 'QUEUED' }, { status: 'SUCCESS', delayMs: 5_000 }];
    const r = await run(w.railway, { wait: false });
    assert.equal(r.exitCode, 0, r.log);
    assert.equal(r.outputs.status, 'QUEUED');
    assert.equal(r.outputs['deployment-id'], newest(w.railway).id);
  });

  test('bad input fails before any request', async () => {
    const r = await run(w.railway, { 'commit-sha': 'abc' });
    assert.equal(r.exitCode, 1);
    assert.match(r.errors[0] ?? '', /full 40-character commit SHA/);
    assert.equal(w.railway.requests.length, 0);
  });

  test('SIGTERM while waiting: stops polling, says Railway was left untouched, exits non-zero', async () => {
    w.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'BUILDING' },
      { status: 'SUCCESS', delayMs: 60_000 },
    ];
    const { child, result } = start(w.railway, { 'commit-sha': 'c'.repeat(40) });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (d) => {
        out += d;
        if (/^ {2}BUILDING \(/m.test(out)) resolve();
      });
    });
    child.kill('SIGTERM');
    const r = await result;
    assert.equal(r.exitCode, 1);
    assert.match(
      r.errors[0] ?? '',
      /cancelled while waiting: Railway was left untouched and deployment .* keeps going there/,
    );
    const d = newest(w.railway);
    assert.equal(d.status, 'BUILDING', 'the deployment keeps going on Railway');
    assert.equal(r.outputs['deployment-id'], d.id);
    const afterDeploy = w.railway
      .fieldsCalled()
      .slice(w.railway.fieldsCalled().indexOf('serviceInstanceDeployV2') + 1);
    assert.ok(
      afterDeploy.every((f) => f === 'deployment'),
      `only status reads after the deploy: ${afterDeploy}`,
    );
  });
});
