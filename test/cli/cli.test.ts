// The command line: the same main() as each action through a terminal ActionIO; in process for each
// subcommand, and the committed bundle under a real pseudo-terminal for the confirmation prompt.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import { EXIT, run } from '../../cli/src/cli.js';
import { dumpEncrypted } from '../../lib/backup.js';
import { markdownForTerminal, useColor } from '../../lib/terminal-io.js';
// @ts-expect-error plain ESM script without types
import { CLI_INPUTS_FILE, cliInputsSource } from '../../scripts/cli-inputs.mjs';
import { createDb, migrationDir, type TestDb } from '../actions/migrate/helpers.js';
import { SERVICE, type World, world } from '../actions/railway-deploy/fixture.js';
import { nodeBinary, repoRoot } from '../harness/run-action.js';
import { StandIn } from '../standins/server.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], env: Record<string, string | undefined> = {}, tty = false): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await run(argv, { PATH: process.env.PATH, ...env }, { stdin, stdout, stderr });
  return { code, stdout: out, stderr: err };
}

function railwayEnv(w: World): Record<string, string> {
  return {
    RAILWAY_TOKEN: w.railway.projectToken,
    RAILWAY_API_URL: w.railway.apiUrl,
    RAILWAY_PROJECT_ID: w.railway.projectId,
    RAILWAY_ENVIRONMENT_ID: w.railway.environmentId,
    RAILWAY_SERVICE_ID: SERVICE,
  };
}

const rollbacks = (w: World) => w.railway.operations.filter((o) => o.fields.includes('deploymentRollback'));

describe('decisionlog-deploy: command line conventions', () => {
  test('the input list is generated from the current action.yml files', () => {
    assert.equal(
      readFileSync(CLI_INPUTS_FILE, 'utf8'),
      cliInputsSource(),
      'cli/src/action-inputs.json is stale: run npm run build',
    );
  });

  test('--help lists the commands and exit codes; each command has examples', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, EXIT.ok);
    for (const c of ['status', 'rollback', 'gate', 'migrate', 'restore', 'deploy'])
      assert.match(top.stdout, new RegExp(`\\n  ${c} `));
    assert.match(top.stdout, /Exit codes: 0 ok, 1 the operation failed, 2 usage error/);
    const gate = await cli(['gate', '--help']);
    assert.equal(gate.code, EXIT.ok);
    assert.match(gate.stdout, /Examples:\n {2}decisionlog-deploy gate --url/);
    assert.match(gate.stdout, /--deadline/);
  });

  test('usage errors: one sentence on stderr, exit 2, nothing on stdout', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [
        ['roll-back'],
        {},
        /^Unknown command "roll-back": use one of status, rollback, gate, migrate, restore, deploy/,
      ],
      [['gate', '--urll', 'x'], {}, /^Unknown flag --urll for "gate"/],
      [['gate', '--url'], {}, /^Flag --url needs a value/],
      [['migrate', 'drop'], {}, /^"migrate" needs one of plan, lint, apply/],
      [
        ['rollback', '--yes'],
        {},
        /needs a Railway token: set RAILWAY_TOKEN \(a project token\) or RAILWAY_API_TOKEN/,
      ],
      [['deploy'], { RAILWAY_TOKEN: 't0ken-value' }, /needs --project-id \(or RAILWAY_PROJECT_ID\)/],
    ];
    for (const [argv, env, message] of cases) {
      const r = await cli(argv, env);
      assert.equal(r.code, EXIT.usage, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
    }
  });

  test('colours only on a TTY and never with NO_COLOR', () => {
    assert.equal(useColor({ isTTY: true }, {}), true);
    assert.equal(useColor({ isTTY: false }, {}), false);
    assert.equal(useColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(useColor({ isTTY: true }, { TERM: 'dumb' }), false);
  });

  test('summaries render for a terminal: no HTML, no Mermaid', () => {
    const md =
      '## Health gate\n<details><summary>Probes</summary>\n\n| a | b |\n</details>\n```mermaid\nxychart-beta\n```\n<!-- marker -->';
    assert.equal(markdownForTerminal(md), 'Health gate\nProbes\n\n| a | b |');
  });
});

describe('decisionlog-deploy rollback', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w?.railway.stop(); // w is unset when world() failed (a missing fixture): its one sentence is the error
  });

  test("--yes: the action's rollback to the previous good deployment, outputs on stdout, token never printed", async () => {
    const r = await cli(
      ['rollback', '--yes', '--reason', 'checkout 500s', '--poll-interval', '100ms'],
      railwayEnv(w),
    );
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.equal(rollbacks(w).length, 1);
    assert.deepEqual(rollbacks(w)[0]?.variables, { id: w.older.id });
    assert.match(r.stdout, new RegExp(`rolled-back-to +${w.older.id}`));
    assert.match(r.stderr, /Rolling back to the last good deployment: checkout 500s/);
    assert.match(r.stderr, /not gated: pass --url/);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(w.railway.projectToken), 'the token is never printed');
  });

  test('status: what serves, the rollback target, and nothing changed', async () => {
    const before = w.railway.operations.length;
    const r = await cli(['status', '--json'], railwayEnv(w));
    assert.equal(r.code, EXIT.ok, r.stderr);
    const { outputs } = JSON.parse(r.stdout) as { outputs: Record<string, string> };
    assert.equal(outputs['deployment-id'], w.live.id);
    assert.equal(outputs.status, 'SUCCESS');
    assert.equal(outputs['commit-sha'], '2'.repeat(40));
    assert.equal(outputs['previous-deployment-id'], w.older.id, 'the target rollback would pick');
    assert.match(r.stderr, /the GitHub Deployments ledger was not read/);
    assert.equal(
      w.railway.operations.slice(before).filter((o) => /mutation/.test(o.query ?? '')).length,
      0,
      'status changes nothing',
    );
  });

  test('rollback --url: the restored commit is what the gate expects', async () => {
    const health = await new StandIn()
      .route('GET', '/health', () => ({ json: { status: 'healthy', version: '1'.repeat(40) } }))
      .start();
    try {
      const r = await cli(
        [
          'rollback',
          '--yes',
          '--url',
          `${health.url}/health`,
          '--gate-interval',
          '50ms',
          '--gate-bake-time',
          '0s',
          '--poll-interval',
          '100ms',
        ],
        railwayEnv(w),
      );
      assert.equal(r.code, EXIT.ok, r.stderr);
      assert.match(r.stdout, new RegExp(`^commit-sha +${'1'.repeat(40)}$`, 'm'));
      assert.match(r.stdout, /^gate-result +healthy$/m);
      assert.match(r.stdout, new RegExp(`^gate-observed-version +${'1'.repeat(40)}$`, 'm'));
    } finally {
      await health.stop();
    }
  });

  test('--json: one JSON document on stdout for scripts', async () => {
    const r = await cli(
      ['rollback', '--yes', '--json', '--to', w.older.id, '--poll-interval', '100ms'],
      railwayEnv(w),
    );
    assert.equal(r.code, EXIT.ok, r.stderr);
    const doc = JSON.parse(r.stdout) as { command: string; outputs: Record<string, string> };
    assert.equal(doc.command, 'rollback');
    assert.equal(doc.outputs['rolled-back-to'], w.older.id);
    assert.equal(doc.outputs.status, 'SUCCESS');
  });

  test('not on a terminal and no --yes: refused before anything is sent', async () => {
    const r = await cli(['rollback'], railwayEnv(w));
    assert.equal(r.code, EXIT.usage);
    assert.match(r.stderr, /not on a terminal, so pass --yes/);
    assert.equal(rollbacks(w).length, 0);
  });

  test("an unknown --to: the action's own sentence, exit 1", async () => {
    const r = await cli(['rollback', '--yes', '--to', 'no-such-deployment'], railwayEnv(w));
    assert.equal(r.code, EXIT.failed);
    assert.equal(rollbacks(w).length, 0);
    assert.match(r.stderr, /no-such-deployment/);
  });

  // A real pseudo-terminal (util-linux `script`): the prompt is shown and answered as a person would.
  for (const [answer, code] of [
    ['n', EXIT.declined],
    ['y', EXIT.ok],
  ] as const) {
    test(`the committed bundle on a terminal asks first; "${answer}" → exit ${code}`, async () => {
      const bundle = join(repoRoot, 'cli', 'dist', 'index.js');
      const cmd = `${nodeBinary()} ${bundle} rollback --poll-interval 100ms; exit $?`;
      const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
        env: { ...process.env, ...railwayEnv(w), NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      const prompted = new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          screen += d;
          if (screen.includes('[y/N]')) resolve();
        });
      });
      const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
      await prompted;
      assert.equal(rollbacks(w).length, 0, 'nothing is sent before the answer');
      assert.match(
        screen,
        new RegExp(`Roll back service ${SERVICE} in environment .* to the last good deployment\\?`),
      );
      child.stdin.write(`${answer}\r`);
      const exit = await exited;
      assert.equal(exit, code, screen);
      assert.equal(rollbacks(w).length, answer === 'y' ? 1 : 0);
    });
  }
});

// The gate's defaults are a 2m bake-time in a 5m deadline: with them a healthy service is healthy after
// about 121 s, which is past vitest's 120 s testTimeout — that, not a hang, is why these tests pass
// --bake-time 0s (and a short deadline as a bound). The process itself exits as soon as the verdict is
// printed: the last test here runs the committed bundle and waits for it to exit.
describe('decisionlog-deploy gate', () => {
  const service = new StandIn();
  beforeAll(async () => {
    service.route('GET', '/health', () => ({ json: { status: 'healthy', version: 'a'.repeat(40) } }));
    service.route('GET', '/broken', () => ({ status: 503, json: { status: 'down' } }));
    await service.start();
  });
  afterAll(() => service.stop());

  test('healthy: probes on stderr as they happen, the verdict and report on stdout', async () => {
    const r = await cli([
      'gate',
      '--url',
      `${service.url}/health`,
      '--interval',
      '50ms',
      '--bake-time',
      '0s',
      '--deadline',
      '15s',
      '--expect-version',
      'a'.repeat(40),
    ]);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stdout, /^result +healthy$/m);
    assert.ok(r.stderr.length > 0, 'progress goes to stderr');
    assert.doesNotMatch(r.stdout, /<details>|```mermaid/);
  });

  test("unhealthy: exit 1 with the gate's reason", async () => {
    const r = await cli([
      'gate',
      '--url',
      `${service.url}/broken`,
      '--interval',
      '50ms',
      '--bake-time',
      '0s',
      '--deadline',
      '15s',
      '--json',
    ]);
    assert.equal(r.code, EXIT.failed);
    const doc = JSON.parse(r.stdout) as { outputs: Record<string, string>; error: string };
    assert.equal(doc.outputs.result, 'unhealthy');
    assert.match(doc.error, /Health gate unhealthy/);
  });

  test('the committed bundle exits by itself after a bake: no timer or socket keeps it alive', async () => {
    const bundle = join(repoRoot, 'cli', 'dist', 'index.js');
    const args = ['gate', '--url', `${service.url}/health`, '--interval', '50ms', '--bake-time', '300ms'];
    const child = spawn(nodeBinary(), [bundle, ...args, '--deadline', '15s', '--json'], {
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Far beyond the deadline: only a process that does not exit gets here.
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    assert.equal(signal, null, `the CLI did not exit after its verdict:\n${stdout}\n${stderr}`);
    assert.equal(code, EXIT.ok, stderr);
    const doc = JSON.parse(stdout) as { outputs: Record<string, string> };
    assert.equal(doc.outputs.result, 'healthy');
    assert.match(doc.outputs.reason ?? '', /stayed within its limits for the 300ms bake-time/);
  });
});

describe('decisionlog-deploy migrate', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createDb();
  });
  afterAll(() => db.drop());

  test('plan then apply against real PostgreSQL; the database URL is never printed', async () => {
    const dir = migrationDir({ '0001_init.sql': 'CREATE TABLE cli_demo (id int PRIMARY KEY);' });
    try {
      const plan = await cli(['migrate', 'plan', '--dir', dir.path], { DATABASE_URL: db.url });
      assert.equal(plan.code, EXIT.ok, plan.stderr);
      assert.match(plan.stdout, /^pending +1$/m);
      const apply = await cli(['migrate', 'apply', '--dir', dir.path, '--database-url', db.url]);
      assert.equal(apply.code, EXIT.ok, apply.stderr);
      assert.match(apply.stdout, /^applied +1$/m);
      assert.deepEqual(await db.query("SELECT to_regclass('cli_demo')::text AS t"), [{ t: 'cli_demo' }]);
      assert.ok(!`${apply.stdout}${apply.stderr}`.includes(db.url));
    } finally {
      dir.cleanup();
    }
  });
});

describe('decisionlog-deploy restore', () => {
  test('an unreachable host or a missing database: one sentence, exit 1, no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-restore-'));
    // stderr without the progress line: the one sentence, and no stack trace.
    const errorLines = (r: Ran) => r.stderr.split('\n').filter((l) => l && !l.startsWith('Restoring '));
    try {
      // A plaintext dump needs no key; the target is checked before the file is read.
      const file = join(dir, 'prod.dump');
      writeFileSync(file, '');
      const refused = await cli([
        'restore',
        '--file',
        file,
        '--database-url',
        'postgres://app:An0ther-Secret@127.0.0.1:1/scratch',
      ]);
      assert.equal(refused.code, EXIT.failed, refused.stderr);
      assert.deepEqual(errorLines(refused), [
        'Could not connect to the database at 127.0.0.1:1 (connection refused): check the host and port in database-url and that the server accepts connections from this runner.',
      ]);
      const missing = await cli(['restore', '--file', file], {
        DATABASE_URL: 'postgres://postgres:An0ther-Secret@127.0.0.1:5432/no_such_db_for_restore',
      });
      assert.equal(missing.code, EXIT.failed, missing.stderr);
      assert.deepEqual(errorLines(missing), [
        'The database no_such_db_for_restore does not exist on 127.0.0.1:5432: check the database name at the end of database-url.',
      ]);
      assert.ok(
        !`${refused.stdout}${refused.stderr}${missing.stdout}${missing.stderr}`.includes('An0ther-Secret'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('decrypts an encrypted backup into an empty database; wrong key exit 1, no key exit 2', async () => {
    const [source, target] = await Promise.all([createDb(), createDb()]);
    const dir = mkdtempSync(join(tmpdir(), 'cli-restore-'));
    try {
      const identity = await generateIdentity();
      const keyFile = join(dir, 'key.txt');
      writeFileSync(keyFile, `# created: test\n${identity}\n`);
      await source.query('CREATE TABLE notes (id int PRIMARY KEY, body text)');
      await source.query("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 42) g");
      const file = join(dir, 'prod.dump.age');
      await dumpEncrypted({
        databaseUrl: source.url,
        path: file,
        recipients: [await identityToRecipient(identity)],
      });

      const noKey = await cli(['restore', '--file', file, '--database-url', target.url]);
      assert.equal(noKey.code, EXIT.usage);
      assert.match(noKey.stderr, /is encrypted: pass --identity-file/);

      const wrong = join(dir, 'wrong.txt');
      writeFileSync(wrong, `${await generateIdentity()}\n`);
      const bad = await cli([
        'restore',
        '--file',
        file,
        '--database-url',
        target.url,
        '--identity-file',
        wrong,
      ]);
      assert.equal(bad.code, EXIT.failed);
      assert.match(bad.stderr, /was not encrypted to this key/);

      const ok = await cli(['restore', '--file', file, '--identity-file', keyFile, '--json'], {
        DATABASE_URL: target.url,
      });
      assert.equal(ok.code, EXIT.ok, ok.stderr);
      assert.ok(Number((JSON.parse(ok.stdout) as { seconds: number }).seconds) >= 0);
      assert.deepEqual(await target.query('SELECT count(*)::int AS n FROM notes'), [{ n: 42 }]);
      assert.ok(!`${ok.stdout}${ok.stderr}`.includes(identity), 'the secret key is never printed');

      const again = await cli([
        'restore',
        '--file',
        file,
        '--identity-file',
        keyFile,
        '--database-url',
        target.url,
      ]);
      assert.equal(again.code, EXIT.failed);
      assert.match(again.stderr, /already has 1 table: .* pass --force/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await Promise.all([source.drop(), target.drop()]);
    }
  });
});
