/**
 * Start-up benchmark for slack-notify and sentry-release: whole-process wall time and peak RSS of
 * the committed bundles under Node 24, each doing its one job against local stand-ins, beside a
 * bare `node -e "await fetch(…)"` floor measured in the same run. Prints medians; no pass/fail.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, repoRoot, runnerSetup } from '../../test/harness/run-action.js';
import { SentryStandIn } from '../../test/standins/sentry.js';
import { SlackStandIn } from '../../test/standins/slack.js';
import { median } from '../harness.js';

const RUNS = 8;
const node = nodeBinary();
const slack = await new SlackStandIn().start();
const sentry = await new SentryStandIn().start();
const dir = mkdtempSync(join(tmpdir(), 'bench-notify-'));
const hasTime = (() => {
  try {
    return statSync('/usr/bin/time').isFile();
  } catch {
    return false;
  }
})();

interface Case {
  name: string;
  args: (run: number) => string[];
  inputs?: (run: number) => Record<string, string>;
  action?: string;
}

const floorScript = `await fetch(${JSON.stringify(slack.webhookUrl)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });`;
const bundle = (action: string) => join(repoRoot, 'actions', action, 'dist', 'index.js');
const sentryInputs = (run: number) => ({
  'auth-token': sentry.token,
  org: sentry.org,
  projects: 'decisionlog-api',
  url: sentry.baseUrl,
  release: `bench-${run}-${Date.now()}`,
});

const cases: Case[] = [
  { name: 'floor: node -e "await fetch(…)"', args: () => ['--input-type=module', '-e', floorScript] },
  {
    name: 'slack-notify (webhook, 1 POST)',
    action: 'slack-notify',
    args: () => [bundle('slack-notify')],
    inputs: () => ({ 'webhook-url': slack.webhookUrl, status: 'deploying', environment: 'production' }),
  },
  {
    name: 'slack-notify (bot token, chat.postMessage)',
    action: 'slack-notify',
    args: () => [bundle('slack-notify')],
    inputs: () => ({ token: slack.token, channel: 'C0DEPLOYS', 'api-url': slack.apiUrl, status: 'started' }),
  },
  {
    name: 'sentry-release (create + finalize, 1 POST)',
    action: 'sentry-release',
    args: () => [bundle('sentry-release')],
    inputs: sentryInputs,
  },
  {
    name: 'sentry-release (+ deploy record, 2 POSTs)',
    action: 'sentry-release',
    args: () => [bundle('sentry-release')],
    inputs: (run) => ({ ...sentryInputs(run), environment: 'production' }),
  },
];

/** The runner's environment for a case (the harness builds it exactly as in the action tests). */
function runnerEnv(c: Case, run: number): { env: Record<string, string>; cleanup: () => void } {
  if (!c.action)
    return { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir }, cleanup: () => {} };
  const setup = runnerSetup(c.action, { inputs: c.inputs?.(run) ?? {} });
  return { env: setup.env, cleanup: () => rmSync(setup.dir, { recursive: true, force: true }) };
}

interface Sample {
  wallMs: number;
  rssMb: number | undefined;
  ok: boolean;
  log: string;
}

function measure(c: Case, run: number): Promise<Sample> {
  const args = c.args(run);
  const [cmd, argv] = hasTime ? ['/usr/bin/time', ['-v', node, ...args]] : [node, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const { env, cleanup } = runnerEnv(c, run);
    const child = spawn(cmd, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      cleanup();
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(log);
      resolve({ wallMs, rssMb: rss ? Number(rss[1]) / 1024 : undefined, ok: code === 0, log });
    });
  });
}

const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
try {
  // One warm-up round, then RUNS rounds interleaved so machine noise hits every case alike.
  for (let run = -1; run < RUNS; run++) {
    for (const c of cases) {
      const s = await measure(c, run);
      if (!s.ok) {
        console.error(`${c.name} failed:\n${s.log}`);
        process.exitCode = 1;
      }
      if (run >= 0) samples.get(c.name)?.push(s);
    }
  }
} finally {
  await slack.stop();
  await sentry.stop();
  rmSync(dir, { recursive: true, force: true });
}

const floor = median((samples.get(cases[0]?.name as string) ?? []).map((s) => s.wallMs));
console.log(`\nNode ${node} — median of ${RUNS} runs (after 1 warm-up), whole process, local stand-ins`);
console.log('| case | wall (median) | min | max | × floor | peak RSS (median) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of cases) {
  const list = samples.get(c.name) ?? [];
  const walls = list.map((s) => s.wallMs);
  const rss = list.flatMap((s) => (s.rssMb === undefined ? [] : [s.rssMb]));
  const med = median(walls);
  console.log(
    `| ${c.name} | ${med.toFixed(0)} ms | ${Math.min(...walls).toFixed(0)} ms | ${Math.max(...walls).toFixed(0)} ms | ${(med / floor).toFixed(2)}× | ${rss.length ? `${median(rss).toFixed(1)} MB` : 'n/a'} |`,
  );
}
console.log('\nBundle sizes (target < 1.5 MB):');
for (const action of ['slack-notify', 'sentry-release']) {
  const bytes = statSync(bundle(action)).size;
  console.log(`  actions/${action}/dist/index.js  ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
}
console.log('\nTarget: each action ≤ 1.5× the floor. Numbers only; nothing here passes or fails on time.');
