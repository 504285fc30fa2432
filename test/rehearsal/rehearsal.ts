/**
 * End-to-end rehearsal of the gated deploy workflow (.github/workflows/deploy.yml), on this machine:
 * the committed action bundles run under Node 24 through the runner-faithful harness, in the
 * workflow's order and with its conditions; real PostgreSQL; the real DecisionLog service started as
 * "v1" and "v2" processes; a Railway stand-in whose deployments start those processes and switch
 * traffic; Slack, Sentry and GitHub stand-ins.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ActionResult, nodeBinary, repoRoot, runAction } from '../harness/run-action.js';
import { GitHubStandIn } from '../standins/github.js';
import { RailwayStandIn, type StandInDeployment } from '../standins/railway.js';
import { SentryStandIn } from '../standins/sentry.js';
import { SentryIssuesStandIn } from '../standins/sentry-issues.js';
import { SlackStandIn } from '../standins/slack.js';
import { type Fault, freePort, Router, type ServiceProcess, startService } from './traffic.js';

export type ScenarioName = 'healthy' | 'crash' | 'gate-fails' | 'migration-fails';
export const SCENARIOS: ScenarioName[] = ['healthy', 'crash', 'gate-fails', 'migration-fails'];

export const V1 = '1111111111111111111111111111111111111111';
export const V2 = '2222222222222222222222222222222222222222';
const SERVICE_ID = 'svc-decisionlog-api';

export interface StageRecord {
  stage: string;
  exitCode: number | null;
  ms: number;
  outputs: Record<string, string>;
}

export interface RehearsalResult {
  scenario: ScenarioName;
  /** What the deploy workflow's `result` output would be. */
  result: 'deployed' | 'rolled-back' | 'failed';
  stages: StageRecord[];
  /** Which version answers on the public URL at the end. */
  servingVersion: string | undefined;
  /** From the start of the bad deploy to v1 answering again (gate-fails only). */
  recoveryMs: number | undefined;
  railway: RailwayStandIn;
  slack: SlackStandIn;
  sentry: SentryStandIn;
  github: GitHubStandIn;
  /** Rows in the history table at the end. */
  appliedVersions: number[];
  outputDir: string;
}

export interface RehearsalOptions {
  /** Where job summaries go (default rehearsal-output/<scenario>). */
  outputDir?: string;
  log?: (line: string) => void;
  databaseAdminUrl?: string;
}

export async function rehearse(
  scenario: ScenarioName,
  opts: RehearsalOptions = {},
): Promise<RehearsalResult> {
  const log = opts.log ?? (() => {});
  const outputDir = opts.outputDir ?? join(repoRoot, 'rehearsal-output', scenario);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const adminUrl =
    opts.databaseAdminUrl ?? process.env.REHEARSAL_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `rehearsal_${scenario.replace(/-/g, '_')}_${process.pid}_${Date.now() % 100000}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();

  const railway = await new RailwayStandIn().start();
  const slack = await new SlackStandIn().start();
  const sentry = await new SentryStandIn().start();
  const sentryIssues = await new SentryIssuesStandIn().start();
  const github = await new GitHubStandIn().start();
  const router = await new Router().start();
  const processes = new Map<string, ServiceProcess>();
  const tmp = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  const stages: StageRecord[] = [];
  let stageNo = 0;

  // How each version behaves once Railway starts it. v2's faults are what a bad release would do.
  const behaviour = (commit: string): { env: Record<string, string>; fault?: Fault } => {
    if (commit === V2 && scenario === 'crash')
      return { env: { ENVIRONMENT: 'production', JWT_SECRET_KEY: '' } };
    if (commit === V2 && scenario === 'gate-fails')
      return { env: {}, fault: { latencyMs: 350, errorRate: 0.5 } };
    return { env: {} };
  };

  const serviceEnv = (commit: string): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    GIT_SHA: commit,
    // 'test': the gate's smoke journey logs in every 200 ms round, so the rehearsal lowers the
    // password hash cost and lifts the login rate limit, which only local environments allow.
    ENVIRONMENT: 'test',
    PASSWORD_HASH_COST: '14',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    JWT_SECRET_KEY: 'rehearsal-jwt-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'warn',
    ...behaviour(commit).env,
  });

  // Railway: QUEUED → BUILDING → DEPLOYING, then the real process decides SUCCESS or FAILED.
  railway.addService(SERVICE_ID, { serviceDomains: [new URL(router.url).host] });
  railway.scenario = () => [
    { status: 'QUEUED' },
    { status: 'BUILDING', buildLogs: ['[build] npm ci', '[build] ncc build service/src/server.ts'] },
    { status: 'DEPLOYING', deployLogs: ['[deploy] starting container'] },
  ];
  const boot = async (d: StandInDeployment): Promise<void> => {
    const commit = String(d.meta.commitHash ?? '');
    const port = await freePort();
    const proc = startService({
      command: [nodeBinary(), join(repoRoot, 'scripts', 'start-service.mjs')],
      env: serviceEnv(commit),
      port,
    });
    processes.set(d.id, proc);
    const ok = await proc.ready;
    const tail = proc.log().trim().split('\n').slice(-5);
    for (const line of tail)
      d.deployLogs.push({ timestamp: new Date().toISOString(), message: line, severity: 'error' });
    if (ok) {
      await railway.setStatus(d.id, 'SUCCESS');
    } else {
      await proc.stop();
      await railway.setStatus(d.id, 'FAILED');
    }
  };
  railway.onStatus = (d, status) => {
    if (status === 'DEPLOYING') void boot(d);
    if (status === 'SUCCESS') {
      const proc = processes.get(d.id);
      if (proc)
        router.active = { name: d.id, port: proc.port, fault: behaviour(String(d.meta.commitHash)).fault };
    }
    if (status === 'REMOVED') void processes.get(d.id)?.stop();
  };

  const githubEnv = { GITHUB_API_URL: github.url, GITHUB_SHA: V2 };
  const run = async (
    stage: string,
    action: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<ActionResult> => {
    const started = performance.now();
    const res = await runAction(action, { inputs, env: { ...githubEnv, ...env }, timeoutMs: 180_000 });
    const ms = performance.now() - started;
    stages.push({ stage, exitCode: res.exitCode, ms, outputs: res.outputs });
    stageNo++;
    writeFileSync(
      join(outputDir, `${String(stageNo).padStart(2, '0')}-${stage}.md`),
      res.summary || '(no summary)\n',
    );
    writeFileSync(join(outputDir, `${String(stageNo).padStart(2, '0')}-${stage}.log`), res.maskedLog);
    log(
      `${res.exitCode === 0 ? '✔' : '✖'} ${stage.padEnd(22)} ${(ms / 1000).toFixed(1).padStart(5)} s  ${summaryLine(res)}`,
    );
    return res;
  };
  const slackStep = (stage: string, status: string, ts: string, extra: Record<string, string> = {}) =>
    run(stage, 'slack-notify', {
      token: slack.token,
      channel: 'C0DEPLOYS',
      'api-url': slack.apiUrl,
      'message-ts': ts,
      status,
      environment: 'production',
      ...extra,
    });
  const railwayInputs = {
    token: railway.projectToken,
    'api-url': railway.apiUrl,
    'project-id': railway.projectId,
    'environment-id': railway.environmentId,
    'service-id': SERVICE_ID,
    'poll-interval': '200ms',
    timeout: '2m',
    environment: 'production',
    'github-token': github.token,
  };
  const gateInputs = (expectVersion: string) => ({
    url: `${router.url}/api/health`,
    'expect-json': 'status=healthy',
    'expect-version': expectVersion,
    'max-p95-ms': '200',
    interval: '200ms',
    timeout: '2s',
    deadline: '45s',
    'success-threshold': '3',
    'failure-threshold': '3',
    // The production bake (minutes) scaled to the rehearsal's 200 ms interval.
    'bake-time': '2s',
    'smoke-file': join(repoRoot, 'service', 'smoke.yml'),
  });
  const smokeEnv = { SMOKE_EMAIL: 'smoke@decisionlog.test', SMOKE_PASSWORD: 'rehearsal-smoke-password' };

  let result: RehearsalResult['result'] = 'failed';
  let recoveryMs: number | undefined;
  try {
    // ── Baseline: v1 migrated and serving, as production is before the push.
    const migrationsDir = join(tmp, 'migrations');
    cpSync(join(repoRoot, 'service', 'migrations'), migrationsDir, { recursive: true });
    const base = await run('baseline-migrate', 'migrate', {
      'database-url': databaseUrl,
      dir: migrationsDir,
    });
    if (base.exitCode !== 0) throw new Error(`baseline migration failed:\n${base.maskedLog}`);
    const v1 = railway.seed(SERVICE_ID, { status: 'DEPLOYING', meta: { commitHash: V1, branch: 'main' } });
    await boot(v1);
    if (railway.deployment(v1.id)?.status !== 'SUCCESS') {
      throw new Error(`v1 did not start:\n${processes.get(v1.id)?.log()}`);
    }
    log(`  v1 (${V1.slice(0, 7)}) serving at ${router.url}`);

    // ── The deploy workflow for v2.
    // v2 ships one migration: a harmless new table, or, in migration-fails, a statement with a typo.
    writeFileSync(
      join(migrationsDir, '9000_v2_release_notes.sql'),
      scenario === 'migration-fails'
        ? 'CREATE TABLE release_notes (id bigserial PRIMARY KEY, body text NOT NUL);\n'
        : 'CREATE TABLE release_notes (id bigserial PRIMARY KEY, body text NOT NULL);\n',
    );
    const start = await slackStep('slack-started', 'migrating', '');
    const ts = start.outputs.ts ?? '';
    const migrate = await run('migrate', 'migrate', {
      'database-url': databaseUrl,
      dir: migrationsDir,
      'backup-dir': join(tmp, 'backup'),
    });
    if (migrate.exitCode !== 0) {
      await slackStep('slack-verdict', 'failed', ts, { details: 'Migration failed: nothing was deployed.' });
      return await finish();
    }
    await slackStep('slack-deploying', 'deploying', ts);
    const badDeployStarted = performance.now();
    const deploy = await run('railway-deploy', 'railway-deploy', { ...railwayInputs, 'commit-sha': V2 });
    if (deploy.exitCode !== 0) {
      await slackStep('slack-verdict', 'failed', ts, {
        details: `Railway: ${deploy.outputs.status ?? 'failed'}`,
      });
      return await finish();
    }
    await slackStep('slack-gating', 'gating', ts, { url: deploy.outputs.url ?? '' });
    const gate = await run('health-gate', 'health-gate', gateInputs(V2), smokeEnv);
    if (gate.exitCode === 0 && gate.outputs.healthy === 'true') {
      await run('sentry-release', 'sentry-release', {
        'auth-token': sentry.token,
        org: sentry.org,
        projects: 'decisionlog-api',
        url: sentry.url,
        release: V2,
        commit: V2,
        repository: 'acme/decisionlog',
        environment: 'production',
        'deploy-url': deploy.outputs.url ?? '',
      });
      await slackStep('slack-verdict', 'succeeded', ts, { url: deploy.outputs.url ?? '' });
      result = 'deployed';
      return await finish();
    }
    // ── Gate failed: roll back to the deployment that served before, and gate that too.
    const rollback = await run('railway-rollback', 'railway-deploy', {
      ...railwayInputs,
      command: 'rollback',
      'rollback-to': deploy.outputs['previous-deployment-id'] ?? '',
    });
    const rollbackGate = await run('health-gate-rollback', 'health-gate', gateInputs(V1), smokeEnv);
    if (rollback.exitCode === 0 && rollbackGate.outputs.healthy === 'true') {
      recoveryMs = performance.now() - badDeployStarted;
      result = 'rolled-back';
    }
    await slackStep('slack-verdict', result === 'rolled-back' ? 'rolled-back' : 'failed', ts, {
      details: gate.outputs.reason ?? '',
    });
    return await finish();
  } finally {
    for (const p of processes.values()) await p.stop();
    await Promise.all([
      railway.stop(),
      slack.stop(),
      sentry.stop(),
      sentryIssues.stop(),
      github.stop(),
      router.stop(),
    ]);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }

  async function finish(): Promise<RehearsalResult> {
    let servingVersion: string | undefined;
    try {
      const res = await fetch(`${router.url}/api/health`, { signal: AbortSignal.timeout(3000) });
      servingVersion = ((await res.json()) as { version?: string }).version;
    } catch {
      servingVersion = undefined;
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = await client.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    await client.end();
    return {
      scenario,
      result,
      stages,
      servingVersion,
      recoveryMs,
      railway,
      slack,
      sentry,
      github,
      appliedVersions: rows.rows.map((r) => Number(r.version)),
      outputDir,
    };
  }
}

function summaryLine(res: ActionResult): string {
  const o = res.outputs;
  if (o.result) return `${o.result}: ${o.reason ?? ''}`;
  if (o['rolled-back-to']) return `rolled back to ${o['rolled-back-to']} (${o.status})`;
  if (o.status && o['deployment-id']) return `${o.status} ${o['deployment-id']}`;
  if (o.applied !== undefined) return `applied ${o.applied} of ${o.pending} pending`;
  if (o.release) return `release ${o.release.slice(0, 7)}`;
  if (o.ok !== undefined) return `slack ok=${o.ok}`;
  return (res.errors[0] ?? '').slice(0, 160);
}
