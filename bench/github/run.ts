/**
 * What octokit costs the actions that talk to GitHub (health-gate and migrate post a PR comment,
 * railway-deploy records Deployments): whole-process wall time of the committed health-gate bundle
 * on a pull_request event without and with `github-token` (the difference is loading
 * `@actions/github` + both plugins on demand, plus GET /user, the comment list and one POST), beside
 * a bare `node -e "await fetch(…)"` floor, and the bundle sizes (main file + on-demand chunks).
 * Prints medians; no pass/fail.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinary, repoRoot, runnerSetup } from '../../test/harness/run-action.js';
import { GitHubStandIn } from '../../test/standins/github.js';
import { StandIn } from '../../test/standins/server.js';
import { median } from '../harness.js';

const RUNS = 8;
const node = nodeBinary();
const github = await new GitHubStandIn().start();
const service = await new StandIn().route('GET', '/health', () => ({ json: { status: 'ok' } })).start();

interface Case {
  name: string;
  args: string[];
  inputs?: Record<string, string>;
}

const gate = join(repoRoot, 'actions', 'health-gate', 'dist', 'index.js');
const gateInputs = {
  url: `${service.url}/health`,
  interval: '50ms',
  timeout: '2s',
  'success-threshold': '1',
};
const cases: Case[] = [
  {
    name: 'floor: node -e "await fetch(…)"',
    args: ['--input-type=module', '-e', `await fetch(${JSON.stringify(`${service.url}/health`)});`],
  },
  { name: 'health-gate, no github-token (octokit not loaded)', args: [gate], inputs: gateInputs },
  {
    name: 'health-gate + PR comment (octokit loaded, 3 GitHub calls)',
    args: [gate],
    inputs: { ...gateInputs, 'github-token': github.token },
  },
];

function measure(c: Case, run: number): Promise<{ wallMs: number; ok: boolean; log: string }> {
  const setup = c.inputs
    ? runnerSetup('health-gate', {
        inputs: c.inputs,
        eventName: 'pull_request',
        event: { pull_request: { number: 1000 + run } },
        env: { GITHUB_API_URL: github.url },
      })
    : undefined;
  const env = setup?.env ?? { PATH: process.env.PATH ?? '' };
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(node, c.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (setup) rmSync(setup.dir, { recursive: true, force: true });
      resolve({ wallMs, ok: code === 0, log });
    });
  });
}

const walls = new Map<string, number[]>(cases.map((c) => [c.name, []]));
try {
  for (let run = -1; run < RUNS; run++) {
    for (const c of cases) {
      const s = await measure(c, run);
      if (!s.ok) {
        console.error(`${c.name} failed:\n${s.log}`);
        process.exitCode = 1;
      }
      if (run >= 0) walls.get(c.name)?.push(s.wallMs);
    }
  }
} finally {
  await github.stop();
  await service.stop();
}

const floor = median(walls.get(cases[0]?.name as string) ?? []);
console.log(`\nNode ${node} — median of ${RUNS} runs (after 1 warm-up), whole process, local stand-ins`);
console.log('| case | wall (median) | min | max | × floor |');
console.log('| --- | --- | --- | --- | --- |');
for (const c of cases) {
  const w = walls.get(c.name) ?? [];
  const med = median(w);
  console.log(
    `| ${c.name} | ${med.toFixed(0)} ms | ${Math.min(...w).toFixed(0)} ms | ${Math.max(...w).toFixed(0)} ms | ${(med / floor).toFixed(2)}× |`,
  );
}
console.log('\nBundles (index.js is loaded at start; N.index.js chunks only when a GitHub token is given):');
for (const action of ['health-gate', 'migrate', 'railway-deploy', 'slack-notify', 'sentry-release']) {
  const dir = join(repoRoot, 'actions', action, 'dist');
  const kb = (f: string) => statSync(join(dir, f)).size / 1024;
  const chunks = readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f));
  const chunkKb = chunks.reduce((sum, f) => sum + kb(f), 0);
  console.log(
    `  ${action.padEnd(15)} index.js ${kb('index.js').toFixed(0)} KB${chunks.length ? ` + on-demand chunks ${chunkKb.toFixed(0)} KB` : ''}`,
  );
}
