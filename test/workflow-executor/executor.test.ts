// The local workflow executor on small workflows written here: order, conditions with status
// functions, contexts, outputs, workflow_call checks, nesting, composite actions, the GITHUB_* files,
// concurrency queueing, and loud failures for what it does not implement.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ConcurrencyLedger } from './concurrency.js';
import { WorkflowError, WorkflowExecutor } from './executor.js';

let repo: string;
let tools: string;
const expr = (e: string) => `\${{ ${e} }}`;

function write(root: string, path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function executor(ledger = new ConcurrencyLedger()): WorkflowExecutor {
  return new WorkflowExecutor({
    repositories: { 'acme/tools': tools, 'acme/app': repo },
    checkout: () => repo,
    github: {
      repository: 'acme/app',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      apiUrl: 'http://127.0.0.1:9',
      token: 'ghs_x',
    },
    secrets: { TOKEN: 's3cr3t-value' },
    vars: { REGION: 'eu' },
    ledger,
  });
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'wfx-repo-'));
  tools = mkdtempSync(join(tmpdir(), 'wfx-tools-'));
  write(
    tools,
    'action.yml',
    `name: greet
description: composite
inputs:
  who:
    description: who
    default: world
outputs:
  greeting:
    description: the greeting
    value: ${expr('steps.say.outputs.text')}
runs:
  using: composite
  steps:
    - id: say
      shell: bash
      env:
        WHO: ${expr('inputs.who')}
      run: echo "text=hello $WHO" >> "$GITHUB_OUTPUT"
`,
  );
  write(
    repo,
    '.github/workflows/called.yml',
    `on:
  workflow_call:
    inputs:
      name:
        description: a name
        type: string
        required: true
      loud:
        description: shout
        type: boolean
        default: false
    secrets:
      TOKEN:
        description: a token
        required: true
    outputs:
      said:
        description: what was said
        value: ${expr('jobs.say.outputs.said')}
jobs:
  say:
    runs-on: ubuntu-latest
    outputs:
      said: ${expr('steps.s.outputs.said')}
    steps:
      - id: s
        env:
          NAME: ${expr('inputs.name')}
          LOUD: ${expr('inputs.loud')}
          HAS_TOKEN: ${expr("secrets.TOKEN != ''")}
        run: echo "said=$NAME/$LOUD/$HAS_TOKEN" >> "$GITHUB_OUTPUT"
`,
  );
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(tools, { recursive: true, force: true });
});

describe('workflow executor', () => {
  test('needs order, if with status functions, outputs, env and summary files, nested call, composite', async () => {
    const file = write(
      repo,
      '.github/workflows/main.yml',
      `on: push
jobs:
  first:
    runs-on: ubuntu-latest
    outputs:
      value: ${expr('steps.one.outputs.value')}
    steps:
      - id: one
        run: |
          echo "value=41" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV=carried" >> "$GITHUB_ENV"
          echo "### first ran" >> "$GITHUB_STEP_SUMMARY"
      - id: two
        env:
          CARRIED: ${expr('env.FROM_ENV')}
        run: test "$CARRIED" = carried
      - id: greet
        uses: acme/tools@v1
        with:
          who: ${expr('vars.REGION')}
      - run: test "${expr('steps.greet.outputs.greeting')}" = "hello eu"
  breaks:
    needs: first
    runs-on: ubuntu-latest
    steps:
      - run: exit 3
      - name: never
        run: echo no
      - name: on failure
        id: after
        if: failure()
        run: echo "ran=yes" >> "$GITHUB_OUTPUT"
  skipped:
    needs: breaks
    runs-on: ubuntu-latest
    steps:
      - run: echo should not run
  cleanup:
    needs: [first, breaks]
    if: always() && needs.first.outputs.value == '41'
    runs-on: ubuntu-latest
    steps:
      - run: echo cleaning
  call:
    needs: first
    uses: ./.github/workflows/called.yml
    with:
      name: n-${expr('needs.first.outputs.value')}
    secrets:
      TOKEN: ${expr('secrets.TOKEN')}
`,
    );
    const run = await executor().run(file, repo, { event: 'push' });
    const job = (p: string) => run.jobs.find((j) => j.path === p);
    assert.equal(job('first')?.result, 'success');
    assert.equal(job('first')?.outputs.value, '41');
    assert.match(job('first')?.summary ?? '', /first ran/);
    assert.equal(job('breaks')?.result, 'failure');
    assert.deepEqual(
      job('breaks')?.steps.map((s) => s.outcome),
      ['failure', 'skipped', 'success'],
    );
    assert.equal(job('skipped')?.result, 'skipped');
    assert.equal(job('cleanup')?.result, 'success');
    assert.equal(job('call')?.result, 'success');
    assert.equal(
      job('call')?.outputs.said,
      'n-41/false/true',
      'typed default, passed secret, workflow output',
    );
    assert.equal(job('call/say')?.result, 'success');
    assert.equal(run.conclusion, 'failure');
  });

  test('workflow_call inputs are checked: missing required, wrong type, unknown name', async () => {
    const caller = (withs: string) =>
      write(
        repo,
        '.github/workflows/bad-call.yml',
        `on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    with:
${withs}
    secrets:
      TOKEN: x
`,
      );
    await assert.rejects(
      executor().run(caller('      loud: true'), repo, { event: 'push' }),
      /name is required/,
    );
    await assert.rejects(
      executor().run(caller("      name: a\n      loud: 'yes'"), repo, { event: 'push' }),
      /expects a boolean/,
    );
  });

  test('workflow_dispatch inputs: required and boolean', async () => {
    const file = write(
      repo,
      '.github/workflows/dispatch.yml',
      `on:
  workflow_dispatch:
    inputs:
      reason:
        description: why
        required: true
        type: string
      dry:
        description: dry run
        type: boolean
        default: false
jobs:
  go:
    runs-on: ubuntu-latest
    outputs:
      seen: ${expr("format('{0}/{1}', inputs.reason, inputs.dry)")}
    steps:
      - run: echo ok
`,
    );
    await assert.rejects(
      executor().run(file, repo, { event: 'workflow_dispatch', inputs: {} }),
      /reason is required/,
    );
    const run = await executor().run(file, repo, {
      event: 'workflow_dispatch',
      inputs: { reason: 'x', dry: 'true' },
    });
    assert.equal(run.jobs[0]?.outputs.seen, 'x/true');
  });

  test('what it does not implement fails loudly, naming the construct and its line', async () => {
    const file = write(
      repo,
      '.github/workflows/matrix.yml',
      `on: push
jobs:
  m:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2]
    steps:
      - run: echo
`,
    );
    await assert.rejects(executor().run(file, repo, { event: 'push' }), (err: Error) => {
      assert.ok(err instanceof WorkflowError);
      assert.match(err.message, /matrix\.yml:5: job key `strategy:` is not supported/);
      return true;
    });
    const third = write(
      repo,
      '.github/workflows/third.yml',
      `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: some/action@0123456789012345678901234567890123456789
`,
    );
    await assert.rejects(
      executor().run(third, repo, { event: 'push' }),
      /third\.yml:6: `uses: some\/action` has no local equivalent/,
    );
  });
});

describe('pull requests, background processes, composite action files', () => {
  const prRun = (repoDir: string, baseRef: string, headRepo: string, readOnlyToken?: string) =>
    new WorkflowExecutor({
      repositories: { 'acme/app': repoDir },
      checkout: () => repoDir,
      github: {
        repository: 'acme/app',
        sha: 'b'.repeat(40),
        ref: 'refs/heads/main',
        apiUrl: 'http://127.0.0.1:9',
        token: 'ghs_write',
        readOnlyToken,
      },
      secrets: { TOKEN: 'repo-secret' },
      environments: { production: { secrets: { ENV_ONLY: 'env-secret' } } },
    }).run(join(repoDir, '.github/workflows/pr.yml'), repoDir, {
      event: 'pull_request',
      payload: {
        action: 'opened',
        number: 3,
        pull_request: {
          number: 3,
          head: { ref: 'feature', sha: 'c'.repeat(40), repo: { full_name: headRepo } },
          base: { ref: baseRef, sha: 'd'.repeat(40), repo: { full_name: 'acme/app' } },
        },
      },
    });

  test("a fork gets no secrets (not even an environment's) and the read-only token; branch filters apply", async () => {
    write(
      repo,
      '.github/workflows/pr.yml',
      `on:
  pull_request:
    branches: [main, 'release/**']
jobs:
  look:
    runs-on: ubuntu-latest
    environment: production
    outputs:
      seen: ${expr("format('{0}/{1}/{2}/{3}/{4}', secrets.TOKEN != '', secrets.ENV_ONLY != '', github.token, github.head_ref, github.ref)")}
    steps:
      - run: test "$GITHUB_BASE_REF" = main
`,
    );
    const same = await prRun(repo, 'main', 'acme/app', 'ghs_read');
    assert.equal(same.jobs[0]?.outputs.seen, 'true/true/ghs_write/feature/refs/pull/3/merge');
    const fork = await prRun(repo, 'main', 'mallory/app', 'ghs_read');
    assert.equal(fork.jobs[0]?.outputs.seen, 'false/false/ghs_read/feature/refs/pull/3/merge');
    assert.equal(fork.conclusion, 'success');
    await assert.rejects(prRun(repo, 'main', 'mallory/app'), /read-only GITHUB_TOKEN/);
    await assert.rejects(
      prRun(repo, 'develop', 'acme/app', 'ghs_read'),
      /pr\.yml:3: branch develop is not in on\.pull_request\.branches/,
    );
    write(
      repo,
      '.github/workflows/pr.yml',
      'on:\n  pull_request:\n    paths: [src/**]\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
    );
    await assert.rejects(
      prRun(repo, 'main', 'acme/app', 'ghs_read'),
      /pr\.yml:3: the `on\.pull_request\.paths` filter is not supported/,
    );
  });

  test("what a step started in the background ends with its job, as the runner's orphan cleanup does", async () => {
    const file = write(
      repo,
      '.github/workflows/background.yml',
      `on: push
jobs:
  start:
    runs-on: ubuntu-latest
    outputs:
      pid: ${expr('steps.bg.outputs.pid')}
    steps:
      - id: bg
        run: |
          nohup sleep 300 > /dev/null 2>&1 &
          echo "pid=$!" >> "$GITHUB_OUTPUT"
`,
    );
    const run = await executor().run(file, repo, { event: 'push' });
    const pid = Number(run.jobs[0]?.outputs.pid);
    assert.ok(pid > 0);
    assert.throws(() => process.kill(pid, 0), 'the background process outlived its job');
  });

  test('composite actions: GITHUB_ACTION_PATH is the action folder; a step without a script fails loudly with its line', async () => {
    write(tools, 'files/data.txt', 'from the action folder\n');
    write(
      tools,
      'files/action.yml',
      `name: files
description: reads its own folder
outputs:
  text:
    description: the file
    value: ${expr('steps.read.outputs.text')}
runs:
  using: composite
  steps:
    - id: read
      shell: bash
      run: echo "text=$(cat "$GITHUB_ACTION_PATH/data.txt")" >> "$GITHUB_OUTPUT"
`,
    );
    write(
      tools,
      'broken/action.yml',
      `name: broken
description: a step that does nothing
runs:
  using: composite
  steps:
    - shell: bash
      run: echo first
    - name: neither run nor uses
      shell: bash
`,
    );
    const file = write(
      repo,
      '.github/workflows/composite.yml',
      `on: push
jobs:
  use:
    runs-on: ubuntu-latest
    outputs:
      text: ${expr('steps.files.outputs.text')}
    steps:
      - id: files
        uses: acme/tools/files@v1
`,
    );
    const run = await executor().run(file, repo, { event: 'push' });
    assert.equal(run.jobs[0]?.outputs.text, 'from the action folder');
    const broken = write(
      repo,
      '.github/workflows/broken.yml',
      'on: push\njobs:\n  use:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/tools/broken@v1\n',
    );
    await assert.rejects(
      executor().run(broken, repo, { event: 'push' }),
      /action\.yml \(Line: 8, Col: 7\): Required property is missing: run/,
    );
  });
});

describe('concurrency model', () => {
  test('same group queues, other groups run side by side, a newer pending run cancels the older', async () => {
    const ledger = new ConcurrencyLedger();
    const none = new Set<string>();
    const a1 = await ledger.acquire('deploy-prod-api', 'a1', { cancelInProgress: false, held: none });
    const b1 = await ledger.acquire('deploy-prod-web', 'b1', { cancelInProgress: false, held: none });
    let a2Started = false;
    const a2 = ledger.acquire('deploy-prod-api', 'a2', { cancelInProgress: false, held: none }).then((r) => {
      a2Started = true;
      return r;
    });
    const a3 = ledger.acquire('deploy-prod-api', 'a3', { cancelInProgress: false, held: none });
    await assert.rejects(a2, /higher priority waiting request/);
    assert.equal(a2Started, false);
    a1();
    const releaseA3 = await a3;
    releaseA3();
    b1();
    assert.deepEqual(
      ledger.events.map((e) => `${e.who}:${e.what}`),
      [
        'a1:acquired',
        'b1:acquired',
        'a2:queued',
        'a2:cancelled',
        'a3:queued',
        'a1:released',
        'a3:acquired',
        'a3:released',
        'b1:released',
      ],
    );
  });

  test('a nested run waiting on the group its caller holds is a deadlock', async () => {
    const ledger = new ConcurrencyLedger();
    await assert.rejects(
      ledger.acquire('g', 'inner', { cancelInProgress: false, held: new Set(['g']) }),
      /deadlock was detected for concurrency group "g"/,
    );
  });
});
