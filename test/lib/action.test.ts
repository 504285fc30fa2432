// lib/action.ts: runnerIO binds ActionIO to the runner's file commands and workflow commands, with
// every secret scrubbed; runAction turns what main throws into one failed-step sentence.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { runAction, runnerIO } from '../../lib/action.js';
import { UserError } from '../../lib/errors.js';
import { parseFileCommand } from '../harness/run-action.js';

const SECRET = 'hunter2-secret-value';
let dir: string;
let stdout: string;
let restore: () => void;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lib-action-'));
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) {
    process.env[name] = join(dir, name);
    writeFileSync(join(dir, name), '');
  }
  stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  restore = () => {
    process.stdout.write = write;
  };
});
afterEach(() => {
  restore();
  process.exitCode = undefined;
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'RUNNER_DEBUG']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('runnerIO', () => {
  test('a registered secret is masked with ::add-mask:: and scrubbed from outputs, logs and the summary', async () => {
    const io = runnerIO();
    io.secrets.register(SECRET);
    io.setOutput('url', `https://x.example/?t=${SECRET}`);
    io.setOutput('count', 3);
    io.info(`info ${SECRET}`);
    io.warning(`warning ${SECRET}`);
    io.error(`error ${SECRET}`);
    await io.summary(`## Summary ${SECRET}`);
    const grouped = await io.group(`group ${SECRET}`, async () => 42);
    assert.equal(grouped, 42);
    assert.match(stdout, new RegExp(`^::add-mask::${SECRET}$`, 'm'));
    assert.deepEqual(parseFileCommand(file('GITHUB_OUTPUT')), {
      url: 'https://x.example/?t=***',
      count: '3',
    });
    assert.match(file('GITHUB_STEP_SUMMARY'), /^## Summary \*\*\*/);
    for (const line of ['info ***', '::warning::warning ***', '::error::error ***', '::group::group ***']) {
      assert.ok(stdout.includes(line), `${line} in ${stdout}`);
    }
    const withoutMask = stdout.replace(`::add-mask::${SECRET}`, '');
    assert.ok(!withoutMask.includes(SECRET), 'the secret itself is printed only in ::add-mask::');
  });

  test('no GITHUB_STEP_SUMMARY (a local run): summary() writes nothing and does not throw', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await runnerIO().summary('ignored');
    assert.equal(file('GITHUB_STEP_SUMMARY'), '');
  });
});

describe('runAction', () => {
  test('a UserError fails the step with its sentence only, scrubbed', async () => {
    await runAction('demo', async (io) => {
      io.secrets.register(SECRET);
      throw new UserError(`The token ${SECRET} was refused: create a new one.`);
    });
    assert.equal(process.exitCode, 1);
    assert.match(stdout, /^::error::The token \*\*\* was refused: create a new one\.$/m);
    assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace');
  });

  test('anything else is "an unexpected error … a bug", with the stack only in debug lines', async () => {
    await runAction('demo', async () => {
      throw new TypeError('x is undefined');
    });
    assert.equal(process.exitCode, 1);
    assert.match(
      stdout,
      /^::error::demo hit an unexpected error: x is undefined\. This is a bug; please report it with this log\.$/m,
    );
    assert.match(stdout, /^::debug::TypeError: x is undefined/m);
  });

  test('success leaves the exit code alone', async () => {
    await runAction('demo', async (io) => io.setOutput('ok', true));
    assert.equal(process.exitCode, undefined);
    assert.deepEqual(parseFileCommand(file('GITHUB_OUTPUT')), { ok: 'true' });
  });
});
