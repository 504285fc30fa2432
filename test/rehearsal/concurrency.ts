/**
 * Many services, one environment: three deploy runs of the caller template at once — service "api",
 * service "worker", and a second deploy of "api" — in the executor's concurrency model (GitHub's:
 * one running and one pending per group). The two services must deploy side by side while the two
 * deploys of "api" queue, the second starting only after the first released its group.
 */
import { join } from 'node:path';
import { repoRoot } from '../harness/run-action.js';
import { ConcurrencyLedger, type RunReport, WorkflowExecutor } from '../workflow-executor/executor.js';
import {
  executorOptions,
  makeServiceRepo,
  migrateBaseline,
  REPOSITORY_EVENT,
  SERVICE_ID,
  V1,
  V2,
  World,
} from './rehearsal.js';

export const WORKER_ID = 'svc-decisionlog-worker';

export interface ConcurrencyRehearsal {
  ok: boolean;
  lines: string[];
  runs: Record<'api-1' | 'worker' | 'api-2', RunReport>;
  ledger: ConcurrencyLedger;
}

export async function rehearseConcurrency(
  opts: { log?: (line: string) => void; suiteRoot?: string; databaseAdminUrl?: string } = {},
): Promise<ConcurrencyRehearsal> {
  const log = opts.log ?? (() => {});
  const suiteRoot = opts.suiteRoot ?? repoRoot;
  const adminUrl =
    opts.databaseAdminUrl ?? process.env.REHEARSAL_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const world = await new World(() => ({ env: {} }), adminUrl).start('concurrency');
  const ledger = new ConcurrencyLedger();
  try {
    const baseline = join(world.tmp, 'baseline');
    makeServiceRepo(baseline, suiteRoot, 'deploy');
    await migrateBaseline(world.databaseUrl, join(baseline, 'service', 'migrations'));
    for (const id of [SERVICE_ID, WORKER_ID]) {
      await world.addService(id);
      await world.seedServing(id, V1);
    }
    // Light runs: no caller tests and no migration (no DATABASE_URL) — only deploy, gate, verdict.
    const start = (label: 'api-1' | 'worker' | 'api-2', serviceId: string) => {
      const repo = join(world.tmp, label);
      const caller = makeServiceRepo(repo, suiteRoot, 'deploy', undefined, { 'test-command': '' });
      const options = executorOptions(world, suiteRoot, repo, serviceId, ledger);
      delete options.environments.production.secrets.DATABASE_URL;
      const executor = new WorkflowExecutor({ ...options, log: (line) => log(`[${label}] ${line}`) });
      return executor.run(
        caller,
        repo,
        { event: 'push', payload: { after: V2, repository: REPOSITORY_EVENT } },
        label,
      );
    };
    const api1 = start('api-1', SERVICE_ID);
    const worker = start('worker', WORKER_ID);
    // The second push to api lands while the first deploy of api is still running.
    await new Promise((r) => setTimeout(r, 500));
    const api2 = start('api-2', SERVICE_ID);
    const [a1, w, a2] = await Promise.all([api1, worker, api2]);
    const runs = { 'api-1': a1, worker: w, 'api-2': a2 };

    const at = (who: string, what: string) =>
      ledger.events.find((e) => e.who.startsWith(`${who}:`) && e.what === what)?.at;
    const lines: string[] = [];
    const problems: string[] = [];
    const groupOf = (who: string) => ledger.events.find((e) => e.who.startsWith(`${who}:`))?.group;
    lines.push(`groups: api → ${groupOf('api-1')}, worker → ${groupOf('worker')}`);
    const a1Got = at('api-1', 'acquired');
    const a1Left = at('api-1', 'released');
    const wGot = at('worker', 'acquired');
    const wLeft = at('worker', 'released');
    const a2Queued = at('api-2', 'queued');
    const a2Got = at('api-2', 'acquired');
    if (a1Got === undefined || wGot === undefined || a1Left === undefined || wLeft === undefined)
      problems.push('a deploy never took or released its concurrency group');
    else if (!(wGot < a1Left && a1Got < wLeft)) problems.push('the two services did not deploy side by side');
    else lines.push('api and worker deployed side by side (both groups held at once)');
    if (a2Queued === undefined || a2Got === undefined || a1Left === undefined || a2Got < a1Left)
      problems.push('the second deploy of api did not wait for the first');
    else
      lines.push(
        `the second deploy of api queued and started ${((a2Got - a1Left) / 1000).toFixed(1)} s after the first released`,
      );
    for (const [label, run] of Object.entries(runs)) {
      const result = run.jobs.find((j) => j.path === 'deploy')?.outputs.result;
      lines.push(`${label}: ${run.conclusion}, result ${result ?? '—'}`);
      if (result !== 'deployed') problems.push(`${label} did not deploy (${result ?? run.conclusion})`);
    }
    for (const p of problems) lines.push(`✖ ${p}`);
    return { ok: problems.length === 0, lines, runs, ledger };
  } finally {
    await world.stop();
  }
}
