/**
 * End-to-end rehearsal of the gated deploy, driven by the workflow YAML itself: the caller templates
 * in workflows/ run through the local workflow executor (test/workflow-executor/), which calls our
 * reusable workflows in .github/workflows/ and runs the committed bundles under Node 24 through the
 * runner-faithful harness. Around it: real PostgreSQL, the real DecisionLog service started as "v1"
 * and "v2" processes, a Railway stand-in whose deployments start those processes and switch traffic,
 * and Slack, Sentry and GitHub stand-ins reached at their real addresses through the executor's
 * network map.
 */
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { parseDocument, parse as parseYaml } from 'yaml';
import { nodeBinary, repoRoot } from '../harness/run-action.js';
import { type Comment, GitHubStandIn } from '../standins/github.js';
import { RailwayStandIn, type StandInDeployment } from '../standins/railway.js';
import { S3StandIn } from '../standins/s3.js';
import { SentryStandIn } from '../standins/sentry.js';
import { SentryIssuesStandIn } from '../standins/sentry-issues.js';
import { SlackStandIn } from '../standins/slack.js';
import {
  ConcurrencyLedger,
  type JobReport,
  type RunReport,
  type Trigger,
  WorkflowExecutor,
} from '../workflow-executor/executor.js';
import type { Plain } from '../workflow-executor/expressions.js';
import { type Fault, freePort, PathFront, Router, type ServiceProcess, startService } from './traffic.js';

export type ScenarioName =
  | 'healthy'
  | 'crash'
  | 'gate-fails'
  | 'migration-fails'
  | 'rollback-dispatch'
  | 'root-action'
  | 'root-action-rollback'
  | 'pull-request';
/** Each scenario and the result its run must end with (what the workflow or action says). */
export const EXPECTED_RESULT: Record<ScenarioName, string> = {
  healthy: 'deployed',
  crash: 'failed',
  'gate-fails': 'rolled-back',
  'migration-fails': 'failed',
  'rollback-dispatch': 'healthy',
  'root-action': 'deployed',
  'root-action-rollback': 'rolled-back',
  'pull-request': 'healthy',
};
export const SCENARIOS = Object.keys(EXPECTED_RESULT) as ScenarioName[];

export const V1 = '1111111111111111111111111111111111111111';
export const V2 = '2222222222222222222222222222222222222222';
export const SERVICE_ID = 'svc-decisionlog-api';
/** The suite as a caller names it in the templates. */
export const SUITE_REPO = 'your-org/decisionlog-deploy';
/** The service repository that calls the suite. */
export const SERVICE_REPO = 'acme/decisionlog';
/**
 * `github.event.repository` as GitHub sends it (the templates deploy only from the default branch). A
 * public repository: the strictest case for backups (a readable dump would be anyone's to download).
 */
export const REPOSITORY_EVENT = {
  full_name: SERVICE_REPO,
  default_branch: 'main',
  private: false,
  visibility: 'public',
};

export interface RehearsalResult {
  scenario: ScenarioName;
  /** The called workflow's `result` output (deploy) or the rollback gate's verdict (dispatch). */
  result: string;
  run: RunReport;
  ran: string[];
  skipped: string[];
  failed: string[];
  /** Which version answers on the public URL at the end. */
  servingVersion: string | undefined;
  /** From the bad version going live (or the dispatch) to v1 answering again. */
  recoveryMs: number | undefined;
  railway: RailwayStandIn;
  slack: SlackStandIn;
  sentry: SentryStandIn;
  github: GitHubStandIn;
  /** Rows in the history table at the end. */
  appliedVersions: number[];
  /** Every file the run uploaded as an artifact, with its first bytes. */
  artifacts: UploadedFile[];
  /** healthy only: workflows/restore-drill.yml run after the deploy, on the artifact it kept. */
  drill: DrillResult | undefined;
  /** healthy only: the same drill with BACKUP_S3_BUCKET set, on that backup stored in the S3 stand-in. */
  drillS3?: DrillResult & { expectedBackup: string };
  outputDir: string;
  /** `pull-request` only: the runs besides the first, and the comments GitHub holds afterwards. */
  pullRequest?: PullRequestRuns;
}

export interface PullRequestRuns {
  /** The same pull request after a new push (`synchronize`): the comment must be edited, not added. */
  second: RunReport;
  /** A pull request from a fork, run beside the first one. */
  fork: RunReport;
  /** Head commit of each push of the pull request (the service reports it as its version). */
  heads: [string, string];
  /** Our pull request's comments and the fork's, as GitHub holds them at the end. */
  comments: Comment[];
  forkComments: Comment[];
  /** Comment writes (POST/PATCH) GitHub received for our pull request, in order. */
  writes: string[];
  /** Requests of the fork's run to GitHub: method, path, status, whether the read-only token was used. */
  forkRequests: { method: string; path: string; readOnlyToken: boolean }[];
}

export interface DrillResult {
  conclusion: string;
  summary: string;
  /** The restore time the drill reported in its summary. */
  seconds: number | undefined;
  /** Tables the drill's scratch database held, from its summary (`public.users` → rows). */
  tables: Record<string, number>;
}

export interface UploadedFile {
  artifact: string;
  file: string;
  path: string;
  /** The first 21 bytes as text: `age-encryption.org/v1` for an age file, `PGDMP…` for a readable dump. */
  head: string;
}

/** What a restore drill run reported in its job summary. */
function drillResult(run: RunReport): DrillResult {
  const summary = run.jobs.map((j) => j.summary ?? '').join('\n');
  const seconds = /restored in \*\*([\d.]+) s\*\*/.exec(summary)?.[1];
  return {
    conclusion: run.conclusion,
    summary,
    seconds: seconds === undefined ? undefined : Number(seconds),
    tables: Object.fromEntries(
      [...summary.matchAll(/^\| ([\w.]+) \| (\d+) \|$/gm)].map((m) => [m[1] as string, Number(m[2])]),
    ),
  };
}

/** The files the executor's upload-artifact equivalent kept, artifact by artifact. */
export function uploadedFiles(artifactsDir: string): UploadedFile[] {
  const out: UploadedFile[] = [];
  if (!existsSync(artifactsDir)) return out;
  for (const artifact of readdirSync(artifactsDir)) {
    for (const file of readdirSync(join(artifactsDir, artifact))) {
      const path = join(artifactsDir, artifact, file);
      const fd = openSync(path, 'r');
      const head = Buffer.alloc(21);
      const n = readSync(fd, head, 0, 21, 0);
      closeSync(fd);
      out.push({ artifact, file, path, head: head.subarray(0, n).toString('latin1') });
    }
  }
  return out;
}

export interface RehearsalOptions {
  /** Where job summaries go (default rehearsal-output/<scenario>). */
  outputDir?: string;
  log?: (line: string) => void;
  databaseAdminUrl?: string;
  /**
   * The suite's files (.github/workflows, workflows/, action.yml, actions/): this checkout by
   * default; the mutation test passes an edited copy.
   */
  suiteRoot?: string;
}

/**
 * `with:` values the rehearsal gives the caller templates instead of production's (faster gate
 * rounds, an SLO a loaded test machine meets); each key is set only when the called workflow declares it (names may differ by version).
 */
const FAST_GATE: Record<string, string>[] = [
  { 'gate-interval': '200ms', interval: '200ms' },
  { 'gate-deadline': '45s', deadline: '45s' },
  // The test machine is shared and often loaded (a fresh tsx process answers its first probes in
  // seconds under load); the SLO itself is proven in health-gate's tests, and v2's injected 503s fail
  // the gate here whatever the latency.
  { 'max-p95-ms': '5000' },
  // The bake (keep measuring after the streak) runs, but for 2 s instead of minutes.
  { 'gate-bake-time': '2s' },
];

export function summarizeJobs(run: RunReport): { ran: string[]; skipped: string[]; failed: string[] } {
  const name = (j: JobReport) => j.path;
  return {
    ran: run.jobs.filter((j) => j.result === 'success').map(name),
    skipped: run.jobs.filter((j) => j.result === 'skipped').map(name),
    failed: run.jobs.filter((j) => j.result === 'failure' || j.result === 'cancelled').map(name),
  };
}

/** Starts the world a deploy happens in: stand-ins, the edge router, a database, service processes. */
export class World {
  railway = new RailwayStandIn();
  slack = new SlackStandIn();
  sentry = new SentryStandIn();
  sentryIssues = new SentryIssuesStandIn();
  github = new GitHubStandIn();
  sentryFront = new PathFront((path) =>
    /^\/api\/0\/(projects\/[^/]+\/[^/]+|organizations\/[^/]+)\/issues/.test(path)
      ? this.sentryIssues.url
      : this.sentry.url,
  );
  readonly routers = new Map<string, Router>();
  readonly processes = new Map<string, ServiceProcess>();
  /** Every traffic switch: which commit serves which service, when. */
  readonly switches: { serviceId: string; commit: string; at: number }[] = [];
  readonly tmp = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  databaseUrl = '';
  /** The age key pair of the people who may restore: the public half is the BACKUP_RECIPIENTS variable. */
  backupIdentity = '';
  backupRecipient = '';
  #admin: pg.Client | undefined;
  #dbName = '';

  constructor(
    readonly behaviour: (commit: string) => { env: Record<string, string>; fault?: Fault },
    readonly adminUrl: string,
  ) {}

  async start(label: string): Promise<this> {
    this.#dbName = `rehearsal_${label.replace(/-/g, '_')}_${process.pid}_${Date.now() % 100000}`;
    this.#admin = new pg.Client({ connectionString: this.adminUrl });
    await this.#admin.connect();
    await this.#admin.query(`CREATE DATABASE ${this.#dbName}`);
    const dbUrl = new URL(this.adminUrl);
    dbUrl.pathname = `/${this.#dbName}`;
    this.databaseUrl = dbUrl.toString();
    this.backupIdentity = await generateIdentity();
    this.backupRecipient = await identityToRecipient(this.backupIdentity);
    this.sentry.org = 'your-sentry-org';
    this.sentryIssues.token = this.sentry.token;
    this.sentryIssues.projects.set('your-sentry-org', new Set(['decisionlog-api']));
    await Promise.all([
      this.railway.start(),
      this.slack.start(),
      this.sentry.start(),
      this.sentryIssues.start(),
      this.github.start(),
      this.sentryFront.start(),
    ]);
    // Railway: QUEUED → BUILDING → DEPLOYING, then the real process decides SUCCESS or FAILED.
    this.railway.scenario = () => [
      { status: 'QUEUED' },
      { status: 'BUILDING', buildLogs: ['[build] npm ci', '[build] ncc build service/src/server.ts'] },
      { status: 'DEPLOYING', deployLogs: ['[deploy] starting container'] },
    ];
    this.railway.onStatus = (d, status) => {
      if (status === 'DEPLOYING') void this.boot(d);
      if (status === 'SUCCESS') {
        const proc = this.processes.get(d.id);
        const router = this.routers.get(d.serviceId);
        if (proc && router) {
          const commit = String(d.meta.commitHash);
          router.active = { name: d.id, port: proc.port, fault: this.behaviour(commit).fault };
          this.switches.push({ serviceId: d.serviceId, commit, at: performance.now() });
        }
      }
      if (status === 'REMOVED') void this.processes.get(d.id)?.stop();
    };
    return this;
  }

  /** A Railway service with its own public domain (its own router). */
  async addService(serviceId: string): Promise<Router> {
    const router = await new Router().start();
    this.routers.set(serviceId, router);
    this.railway.addService(serviceId, { serviceDomains: [new URL(router.url).host] });
    return router;
  }

  async boot(d: StandInDeployment): Promise<void> {
    const commit = String(d.meta.commitHash ?? '');
    const port = await freePort();
    const proc = startService({
      command: [nodeBinary(), join(repoRoot, 'scripts', 'start-service.mjs')],
      env: {
        DATABASE_URL: this.databaseUrl,
        GIT_SHA: commit,
        // 'test': the gate's smoke journey logs in every round, so the rehearsal lowers the password
        // hash cost and lifts the login rate limit, which only local environments allow.
        ENVIRONMENT: 'test',
        PASSWORD_HASH_COST: '14',
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
        JWT_SECRET_KEY: 'rehearsal-jwt-secret-0123456789abcdef0123456789',
        LOG_LEVEL: 'warn',
        ...this.behaviour(commit).env,
      },
      port,
      // Booting from TypeScript sources on a loaded shared machine can take long; a crash is immediate.
      readyTimeoutMs: 180_000,
    });
    this.processes.set(d.id, proc);
    const ok = await proc.ready;
    for (const line of proc.log().trim().split('\n').slice(-5))
      d.deployLogs.push({ timestamp: new Date().toISOString(), message: line, severity: 'error' });
    if (ok) await this.railway.setStatus(d.id, 'SUCCESS');
    else {
      await proc.stop();
      await this.railway.setStatus(d.id, 'FAILED');
    }
  }

  /** A deployment of `commit` that is already serving, as production is before the push. */
  async seedServing(serviceId: string, commit: string): Promise<StandInDeployment> {
    const d = this.railway.seed(serviceId, {
      status: 'DEPLOYING',
      meta: { commitHash: commit, branch: 'main' },
    });
    await this.boot(d);
    if (this.railway.deployment(d.id)?.status !== 'SUCCESS')
      throw new Error(`${commit.slice(0, 7)} did not start:\n${this.processes.get(d.id)?.log()}`);
    return d;
  }

  async serving(serviceId = SERVICE_ID): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.routers.get(serviceId)?.url}/api/health`, {
        signal: AbortSignal.timeout(3000),
      });
      return ((await res.json()) as { version?: string }).version;
    } catch {
      return undefined;
    }
  }

  /** Vendor addresses the YAML and the actions use → the stand-ins (the executor's network map). */
  network(publicHost = 'https://api.example.com', serviceId = SERVICE_ID): Record<string, string> {
    return {
      [publicHost]: this.routers.get(serviceId)?.url ?? '',
      'https://backboard.railway.com/graphql/v2': this.railway.apiUrl,
      'https://slack.com/api': this.slack.apiUrl,
      'https://sentry.io': this.sentryFront.url,
    };
  }

  async stop(): Promise<void> {
    for (const p of this.processes.values()) await p.stop();
    await Promise.all([
      this.railway.stop(),
      this.slack.stop(),
      this.sentry.stop(),
      this.sentryIssues.stop(),
      this.github.stop(),
      this.sentryFront.stop(),
      ...[...this.routers.values()].map((r) => r.stop()),
    ]);
    if (this.#admin) {
      await this.#admin.query(`DROP DATABASE IF EXISTS ${this.#dbName} WITH (FORCE)`);
      await this.#admin.end();
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/**
 * The service repository that calls the suite: the caller template (with the rehearsal's `with:`
 * values), a package.json whose tests pass, the service's migrations and smoke journey.
 */
export function makeServiceRepo(
  dir: string,
  suiteRoot: string,
  template: 'deploy' | 'rollback' | 'pr-health',
  extraMigration?: string,
  withs: Record<string, string> = {},
): string {
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'decisionlog',
      version: '1.0.0',
      private: true,
      scripts: { test: 'node -e "console.log(\'service tests pass\')"' },
    }),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({
      name: 'decisionlog',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'decisionlog', version: '1.0.0' } },
    }),
  );
  cpSync(join(repoRoot, 'service', 'migrations'), join(dir, 'service', 'migrations'), { recursive: true });
  cpSync(join(repoRoot, 'service', 'smoke.yml'), join(dir, 'service', 'smoke.yml'));
  if (extraMigration)
    writeFileSync(join(dir, 'service', 'migrations', '9000_v2_release_notes.sql'), extraMigration);
  writeFileSync(
    join(dir, '.github', 'workflows', `${template}.yml`),
    callerWithFastGate(suiteRoot, template, withs),
  );
  return join(dir, '.github', 'workflows', `${template}.yml`);
}

/** The template workflows/<name>.yml with the rehearsal's gate timings in each suite call's `with:`. */
export function callerWithFastGate(
  suiteRoot: string,
  name: string,
  withs: Record<string, string> = {},
): string {
  const doc = parseDocument(readFileSync(join(suiteRoot, 'workflows', `${name}.yml`), 'utf8'));
  const jobs = doc.get('jobs') as { items: { key: { value: string } }[] } | undefined;
  for (const item of jobs?.items ?? []) {
    const id = item.key.value;
    const uses = String(doc.getIn(['jobs', id, 'uses']) ?? '');
    const m = /^[^/]+\/[^/]+\/(.+)@/.exec(uses);
    if (!m) continue;
    const called = parseYaml(readFileSync(join(suiteRoot, m[1] as string), 'utf8')) as {
      on?: { workflow_call?: { inputs?: Record<string, unknown> } };
    };
    const declared = Object.keys(called.on?.workflow_call?.inputs ?? {});
    for (const alternatives of FAST_GATE) {
      const key = Object.keys(alternatives).find((k) => declared.includes(k));
      if (key) doc.setIn(['jobs', id, 'with', key], alternatives[key]);
    }
    for (const [key, value] of Object.entries(withs)) doc.setIn(['jobs', id, 'with', key], value);
  }
  return doc.toString();
}

export async function rehearse(
  scenario: ScenarioName,
  opts: RehearsalOptions = {},
): Promise<RehearsalResult> {
  const log = opts.log ?? (() => {});
  const suiteRoot = opts.suiteRoot ?? repoRoot;
  const outputDir = opts.outputDir ?? join(repoRoot, 'rehearsal-output', scenario);
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const adminUrl =
    opts.databaseAdminUrl ?? process.env.REHEARSAL_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // How each version behaves once Railway starts it. v2's faults are what a bad release would do.
  const behaviour = (commit: string): { env: Record<string, string>; fault?: Fault } => {
    if (commit === V2 && scenario === 'crash')
      return { env: { ENVIRONMENT: 'production', JWT_SECRET_KEY: '' } };
    if (commit === V2 && (scenario === 'gate-fails' || scenario === 'root-action-rollback'))
      return { env: {}, fault: { latencyMs: 350, errorRate: 0.5 } };
    return { env: {} };
  };
  const world = await new World(behaviour, adminUrl).start(scenario);
  try {
    if (scenario === 'pull-request') return await rehearsePullRequest(world, suiteRoot, outputDir, log);
    await world.addService(SERVICE_ID);
    // Baseline: the schema as v1 left it, v1 serving.
    const baseline = join(world.tmp, 'baseline');
    makeServiceRepo(baseline, suiteRoot, 'deploy');
    await migrateBaseline(world.databaseUrl, join(baseline, 'service', 'migrations'));
    await world.seedServing(SERVICE_ID, V1);
    log(`v1 (${V1.slice(0, 7)}) serving at ${world.routers.get(SERVICE_ID)?.url}`);

    const serviceRepo = join(world.tmp, 'service-repo');
    let caller: string;
    let trigger: Trigger;
    if (scenario === 'rollback-dispatch') {
      // v2 went out and serves; a maintainer decides to go back.
      await world.seedServing(SERVICE_ID, V2);
      log(`v2 (${V2.slice(0, 7)}) serving; a maintainer dispatches the rollback`);
      caller = makeServiceRepo(serviceRepo, suiteRoot, 'rollback');
      trigger = {
        event: 'workflow_dispatch',
        inputs: { environment: 'production', reason: 'v2 shows the wrong decisions to customers' },
        payload: { repository: REPOSITORY_EVENT },
      };
    } else if (scenario === 'root-action' || scenario === 'root-action-rollback') {
      caller = makeServiceRepo(serviceRepo, suiteRoot, 'deploy', HARMLESS_MIGRATION);
      writeFileSync(caller, rootActionCaller(suiteRoot));
      trigger = { event: 'push', payload: { after: V2, repository: REPOSITORY_EVENT } };
    } else {
      const v2Migration =
        scenario === 'migration-fails'
          ? 'CREATE TABLE release_notes (id bigserial PRIMARY KEY, body text NOT NUL);\n'
          : 'CREATE TABLE release_notes (id bigserial PRIMARY KEY, body text NOT NULL);\n';
      // The caller's own tests (npm ci + npm test) run in `healthy`; the other scenarios are about
      // what happens after them, and skip them to keep the rehearsal's wall time down.
      const withs: Record<string, string> = scenario === 'healthy' ? {} : { 'test-command': '' };
      caller = makeServiceRepo(serviceRepo, suiteRoot, 'deploy', v2Migration, withs);
      trigger = { event: 'push', payload: { after: V2, repository: REPOSITORY_EVENT } };
    }
    const executor = new WorkflowExecutor({
      ...executorOptions(world, suiteRoot, serviceRepo),
      outputDir,
      log: (line) => log(line),
    });
    const before = world.switches.length;
    const dispatchedAt = performance.now();
    const run = await executor.run(caller, serviceRepo, trigger);
    const switches = world.switches.slice(before).filter((s) => s.serviceId === SERVICE_ID);
    let recoveryMs: number | undefined;
    const badLive =
      scenario === 'rollback-dispatch' ? dispatchedAt : switches.find((s) => s.commit === V2)?.at;
    const back = switches.find((s) => s.commit === V1 && badLive !== undefined && s.at >= badLive);
    if (badLive !== undefined && back) recoveryMs = back.at - badLive;

    // The drill a maintainer schedules, on the backup this deploy kept: decrypt, restore, check.
    let drill: DrillResult | undefined;
    let drillS3: (DrillResult & { expectedBackup: string }) | undefined;
    if (scenario === 'healthy') {
      const drillCaller = join(serviceRepo, '.github', 'workflows', 'restore-drill.yml');
      cpSync(join(suiteRoot, 'workflows', 'restore-drill.yml'), drillCaller);
      world.github.artifactsDir = executor.artifactsDir;
      // 120 other artifacts, older than the backup, put it on the second page of 100 (the stand-in
      // lists oldest first): the drill must read every page, not only the first.
      const longAgo = new Date(Date.now() - 86_400_000);
      for (let i = 0; i < 120; i++) {
        const other = join(executor.artifactsDir, `test-report-${i}`);
        mkdirSync(other, { recursive: true });
        writeFileSync(join(other, 'report.txt'), `report ${i}\n`);
        utimesSync(other, longAgo, longAgo);
      }
      const drillRun = await executor.run(drillCaller, serviceRepo, {
        event: 'workflow_dispatch',
        inputs: { environment: 'production' },
        payload: { repository: REPOSITORY_EVENT },
      });
      drill = drillResult(drillRun);
      log(`restore drill: ${drill.conclusion}, restored in ${drill.seconds ?? '?'} s`);

      // The same drill with the backups in a bucket (variable BACKUP_S3_BUCKET): this deploy's
      // .dump.age stored in the S3 stand-in beside an older backup and a file that is no backup; the
      // drill must restore the newest one from s3://backups/decisionlog/.
      const s3 = new S3StandIn();
      await s3.start();
      try {
        s3.createBucket('backups');
        const kept = uploadedFiles(executor.artifactsDir).find((f) => f.file.endsWith('.dump.age'));
        if (kept) s3.put('backups', `decisionlog/${kept.file}`, readFileSync(kept.path));
        s3.put(
          'backups',
          'decisionlog/prod-20200101T000000Z-v1.dump.age',
          'older',
          new Date(Date.now() - 3 * 86_400_000),
        );
        s3.put('backups', 'decisionlog/README.txt', 'not a backup');
        const options = executorOptions(world, suiteRoot, serviceRepo);
        const s3Run = await new WorkflowExecutor({
          ...options,
          environments: {
            ...options.environments,
            'restore-drill': {
              secrets: {
                AGE_IDENTITY: world.backupIdentity,
                BACKUP_S3_ACCESS_KEY_ID: s3.accessKeyId,
                BACKUP_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
              },
              vars: {
                BACKUP_S3_BUCKET: 'backups',
                BACKUP_S3_ENDPOINT: s3.endpoint,
                BACKUP_S3_REGION: 'auto',
              },
            },
          },
          outputDir: join(outputDir, 'drill-s3'),
          log: (line) => log(`[drill-s3] ${line}`),
        }).run(drillCaller, serviceRepo, {
          event: 'workflow_dispatch',
          inputs: { environment: 'production' },
          payload: { repository: REPOSITORY_EVENT },
        });
        drillS3 = {
          ...drillResult(s3Run),
          expectedBackup: kept ? `s3://backups/decisionlog/${kept.file}` : '',
        };
        log(`restore drill from the bucket: ${drillS3.conclusion}, restored in ${drillS3.seconds ?? '?'} s`);
      } finally {
        await s3.stop();
      }
    }

    const client = new pg.Client({ connectionString: world.databaseUrl });
    await client.connect();
    const rows = await client.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    await client.end();
    const result =
      scenario === 'rollback-dispatch'
        ? (run.jobs.find((j) => j.path === 'rollback')?.outputs.result ?? run.conclusion)
        : (run.jobs.find((j) => j.path === 'deploy')?.outputs.result ?? 'failed');
    // (root-action: the job's `result` output is the composite's.)
    return {
      scenario,
      result,
      run,
      ...summarizeJobs(run),
      servingVersion: await world.serving(),
      recoveryMs,
      railway: world.railway,
      slack: world.slack,
      sentry: world.sentry,
      github: world.github,
      appliedVersions: rows.rows.map((r) => Number(r.version)),
      artifacts: uploadedFiles(executor.artifactsDir),
      drill,
      drillS3,
      outputDir,
    };
  } finally {
    await world.stop();
  }
}

/** The executor wired to a world: repositories, checkout, secrets, vars, the network map. */
export function executorOptions(
  world: World,
  suiteRoot: string,
  serviceRepo: string,
  serviceId = SERVICE_ID,
  ledger = new ConcurrencyLedger(),
) {
  return {
    repositories: { [SUITE_REPO]: suiteRoot, [SERVICE_REPO]: serviceRepo },
    checkout: (repository: string, ref: string) => {
      if (repository === SERVICE_REPO && (ref === V2 || ref === 'refs/heads/main')) return serviceRepo;
      // The restore drill checks out the suite for its command line: this checkout's committed CLI.
      if (repository === SUITE_REPO) return suiteCli(world);
      throw new Error(`the rehearsal has no ${repository}@${ref} to check out`);
    },
    github: {
      repository: SERVICE_REPO,
      sha: V2,
      ref: 'refs/heads/main',
      apiUrl: world.github.url,
      token: world.github.token,
    },
    // Production's secrets live in the `production` environment (what the templates ask for): only
    // jobs that name it see them.
    environments: {
      production: {
        secrets: {
          RAILWAY_TOKEN: world.railway.projectToken,
          DATABASE_URL: world.databaseUrl,
          SENTRY_AUTH_TOKEN: world.sentry.token,
          SLACK_BOT_TOKEN: world.slack.token,
          SMOKE_EMAIL: 'smoke@decisionlog.test',
          SMOKE_PASSWORD: 'rehearsal-smoke-password',
        } as Record<string, string>,
      },
      // The drill's environment holds the restore key and nothing of production.
      'restore-drill': { secrets: { AGE_IDENTITY: world.backupIdentity } as Record<string, string> },
    },
    vars: {
      RAILWAY_PROJECT_ID: world.railway.projectId,
      RAILWAY_ENVIRONMENT_ID: world.railway.environmentId,
      RAILWAY_SERVICE_ID: serviceId,
      SLACK_CHANNEL_ID: 'C0DEPLOYS',
      BACKUP_RECIPIENTS: `# on-call restore key\n${world.backupRecipient}`,
    },
    network: world.network('https://api.example.com', serviceId),
    postgresAdminUrl: world.adminUrl,
    ledger,
    stepTimeoutMs: 180_000,
  };
}

/** A checkout of the suite holding what the drill runs from it: the committed command line. */
function suiteCli(world: World): string {
  const dir = join(world.tmp, 'suite-cli');
  if (!existsSync(dir)) cpSync(join(repoRoot, 'cli', 'dist'), join(dir, 'cli', 'dist'), { recursive: true });
  return dir;
}

/** The schema v1 runs on: every migration the service ships today, applied by the migrate bundle. */
export async function migrateBaseline(databaseUrl: string, dir: string): Promise<void> {
  const { runAction } = await import('../harness/run-action.js');
  const res = await runAction('migrate', {
    inputs: { 'database-url': databaseUrl, dir },
    timeoutMs: 120_000,
  });
  if (res.exitCode !== 0) throw new Error(`baseline migration failed:\n${res.maskedLog}`);
}

/**
 * What each scenario must leave behind, checked on the world (who serves, what Railway, Slack and
 * Sentry saw) and on the run (which jobs ran). Empty = the rehearsal passed. Shared by
 * `npm run rehearse`, the tests and the mutation test.
 */
const HARMLESS_MIGRATION = 'CREATE TABLE release_notes (id bigserial PRIMARY KEY, body text NOT NULL);\n';

/**
 * A service repository's job that runs the whole gated deploy as one step: the root action.yml,
 * as README "The root action" shows it (with the rehearsal's gate timings where it declares them).
 */
function rootActionCaller(suiteRoot: string): string {
  const declared = Object.keys(
    (parseYaml(readFileSync(join(suiteRoot, 'action.yml'), 'utf8')) as { inputs?: Record<string, unknown> })
      .inputs ?? {},
  );
  const fast = FAST_GATE.map((alternatives) =>
    Object.entries(alternatives).find(([k]) => declared.includes(k)),
  )
    .filter((e): e is [string, string] => e !== undefined)
    .map(([k, v]) => `          ${k}: "${v}"`)
    .join('\n');
  const e = (x: string) => `\${{ ${x} }}`;
  return `name: Deploy (root action)
on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    permissions:
      contents: read
      deployments: write
    outputs:
      result: ${e('steps.gated.outputs.result')}
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - id: gated
        uses: ${SUITE_REPO}@0000000000000000000000000000000000000000
        env:
          SMOKE_EMAIL: ${e('secrets.SMOKE_EMAIL')}
          SMOKE_PASSWORD: ${e('secrets.SMOKE_PASSWORD')}
        with:
          railway-token: ${e('secrets.RAILWAY_TOKEN')}
          railway-project-id: ${e('vars.RAILWAY_PROJECT_ID')}
          railway-environment-id: ${e('vars.RAILWAY_ENVIRONMENT_ID')}
          railway-service-id: ${e('vars.RAILWAY_SERVICE_ID')}
          health-url: https://api.example.com/api/health
          database-url: ${e('secrets.DATABASE_URL')}
          migrations-dir: service/migrations
          smoke-file: service/smoke.yml
          sentry-auth-token: ${e('secrets.SENTRY_AUTH_TOKEN')}
          sentry-org: your-sentry-org
          sentry-projects: decisionlog-api
          slack-bot-token: ${e('secrets.SLACK_BOT_TOKEN')}
          slack-channel: ${e('vars.SLACK_CHANNEL_ID')}
${fast}
`;
}

export function problems(r: RehearsalResult): string[] {
  const out: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  // (The pull-request world has no Railway service.)
  const newest = r.scenario === 'pull-request' ? undefined : r.railway.deploymentsOf(SERVICE_ID)[0];
  const slackText = r.slack.messages.at(-1)?.text ?? '';
  // Whatever the scenario: no artifact of this public repository's run may hold a readable dump.
  for (const f of r.artifacts) {
    expect(
      !(/\.dump/.test(f.file) || f.head.startsWith('PGDMP')) || f.head === 'age-encryption.org/v1',
      `artifact ${f.artifact} holds ${f.file}, which is not age-encrypted`,
    );
  }
  // Where the deploy workflow's migrate applied something, its backup was kept, encrypted. (In
  // migration-fails PostgreSQL's parser refuses the file before the backup: nothing to keep.)
  const migrated = ['healthy', 'crash', 'gate-fails'].includes(r.scenario);
  const backups = r.artifacts.filter((f) => f.artifact.startsWith('db-backup-production-'));
  if (migrated) {
    expect(
      backups.length === 1 &&
        backups[0]?.file.endsWith('.dump.age') === true &&
        backups[0]?.head === 'age-encryption.org/v1',
      `the pre-migration backup artifact is not one age-encrypted .dump.age (${backups.map((b) => b.file).join(', ') || 'none'})`,
    );
  }
  // v2 went live through the whole pipeline (the reusable workflow or the root action).
  const deployedV2 = () => {
    expect(r.servingVersion === V2, 'v2 is not serving');
    expect(r.appliedVersions.includes(9000), "v2's migration was not applied");
    expect(r.sentry.releases.has(V2), 'no Sentry release for v2');
    expect(
      r.slack.messages.length === 1 && /succeeded/i.test(slackText),
      'Slack did not end at one "succeeded" message',
    );
    expect(
      r.github.deployments.at(-1)?.statuses.at(-1)?.state === 'success',
      'GitHub Deployment not marked success',
    );
  };
  // v2 went live, failed its gate, and Railway rolled back to v1.
  const rolledBackToV1 = () => {
    expect(r.servingVersion === V1, 'v1 is not serving again');
    expect(r.recoveryMs !== undefined, 'v1 never served again after v2 went live');
    expect(
      newest?.origin === 'rollback' && newest.meta.commitHash === V1 && newest.status === 'SUCCESS',
      'Railway did not roll back to v1',
    );
    expect(!r.sentry.releases.has(V2), 'a Sentry release for a version that failed its gate');
    expect(
      r.slack.messages.length === 1 && /rolled.back/i.test(slackText),
      'Slack did not end at one "rolled back" message',
    );
  };
  const want = EXPECTED_RESULT[r.scenario];
  expect(r.result === want, `result is ${r.result}, expected ${want}`);
  switch (r.scenario) {
    case 'healthy':
      expect(
        r.ran.includes('deploy/gate') && r.ran.includes('deploy/release'),
        'gate or release did not succeed',
      );
      expect(r.skipped.includes('deploy/rollback'), 'the rollback job was not skipped');
      deployedV2();
      expect(r.drill?.conclusion === 'success', `the restore drill ended ${r.drill?.conclusion ?? 'unrun'}`);
      expect(r.drill?.seconds !== undefined, 'the restore drill reported no restore time');
      expect(
        r.drillS3?.conclusion === 'success' &&
          r.drillS3.seconds !== undefined &&
          (r.drillS3.tables['public.schema_migrations'] ?? 0) > 0 &&
          r.drillS3.expectedBackup !== '' &&
          r.drillS3.summary.includes(r.drillS3.expectedBackup),
        `the restore drill from the bucket did not restore ${r.drillS3?.expectedBackup || 'the backup'} (${r.drillS3?.conclusion ?? 'unrun'})`,
      );
      // The backup precedes v2's migration: the schema v1 ran on, with the smoke account v1 created.
      expect(
        (r.drill?.tables['public.schema_migrations'] ?? 0) > 0 &&
          !('public.release_notes' in (r.drill?.tables ?? {})),
        'the restored database is not the one before the migration',
      );
      break;
    case 'crash':
      expect(r.servingVersion === V1, 'v1 is not serving');
      expect(r.failed.includes('deploy/deploy'), 'the deploy job did not fail');
      expect(
        r.skipped.includes('deploy/gate') && r.skipped.includes('deploy/rollback'),
        'gate/rollback ran after a failed build',
      );
      expect(r.sentry.releases.size === 0, 'a Sentry release was made');
      expect(/failed/i.test(slackText), 'Slack does not say failed');
      break;
    case 'gate-fails':
      expect(r.failed.includes('deploy/gate'), 'the gate did not fail');
      rolledBackToV1();
      break;
    case 'migration-fails':
      expect(r.failed.includes('deploy/migrate'), 'the migrate job did not fail');
      expect(r.skipped.includes('deploy/deploy'), 'the deploy job was not skipped');
      expect(!r.railway.fieldsCalled().includes('serviceInstanceDeployV2'), 'Railway was asked to deploy');
      expect(r.servingVersion === V1, 'v1 is not serving');
      expect(!r.appliedVersions.includes(9000), 'the broken migration left a trace');
      break;
    case 'root-action':
      expect(r.ran.includes('deploy'), 'the job using the root action did not succeed');
      deployedV2();
      break;
    case 'root-action-rollback':
      expect(r.failed.includes('deploy'), 'the job using the root action did not fail');
      rolledBackToV1();
      break;
    case 'pull-request': {
      const pr = r.pullRequest;
      if (!pr) {
        out.push('no pull request runs');
        break;
      }
      const marker = '<!-- decisionlog-deploy:pr-health -->';
      const body = pr.comments[0]?.body ?? '';
      expect(
        r.ran.includes('health/health') && r.ran.includes('health/comment'),
        'the health or comment job did not succeed on the first push',
      );
      expect(
        pr.second.conclusion === 'success' &&
          pr.second.jobs.find((j) => j.path === 'health')?.outputs.result === 'healthy',
        'the second push did not end healthy',
      );
      expect(
        pr.comments.length === 1 && pr.comments[0]?.author === 'github-actions[bot]',
        `pull request #${PR_NUMBER} holds ${pr.comments.length} comments, expected exactly one by github-actions[bot]`,
      );
      expect(
        pr.writes.length === 2 &&
          pr.writes[0]?.startsWith('POST') === true &&
          pr.writes[1]?.startsWith('PATCH') === true,
        `the comment was not created once then edited (writes: ${pr.writes.join(', ') || 'none'})`,
      );
      expect(body.startsWith(marker), 'the comment does not start with the pr-health marker');
      expect(/Database migrations: plan/.test(body), 'the comment carries no migration plan');
      expect(/9000/.test(body), "the comment does not name the pull request's migration 9000");
      expect(/Health gate: healthy/.test(body), 'the comment carries no healthy gate verdict');
      expect(
        body.includes(pr.heads[1]) && !body.includes(pr.heads[0]),
        "the comment was not updated to the second push's gate (its version)",
      );
      // The fork: its code is checked and gated like ours; the job token cannot write, so the
      // comment is not posted and the run says why instead of failing.
      const forkComment = pr.fork.jobs.find((j) => j.path === 'health/comment');
      expect(
        pr.fork.conclusion === 'success' &&
          pr.fork.jobs.find((j) => j.path === 'health')?.outputs.result === 'healthy',
        'the fork pull request was not checked healthy',
      );
      expect(pr.forkComments.length === 0, 'a comment appeared on the fork pull request');
      expect(
        pr.forkRequests.length > 0 && pr.forkRequests.every((q) => q.readOnlyToken),
        "the fork's run reached GitHub with a token other than the read-only one",
      );
      expect(
        (forkComment?.steps ?? []).some((st) => /Could not post the report on pull request #8/.test(st.log)),
        "the fork's comment job does not say the report could not be posted",
      );
      break;
    }
    case 'rollback-dispatch':
      expect(r.servingVersion === V1, 'v1 is not serving again');
      expect(
        newest?.origin === 'rollback' && newest.meta.commitHash === V1 && newest.status === 'SUCCESS',
        'Railway did not roll back to v1',
      );
      expect(r.recoveryMs !== undefined, 'v1 never served again');
      expect(/rolled.back/i.test(slackText), 'Slack does not say rolled back');
      break;
  }
  return out;
}

/** Pull request #7 of the service repository: two pushes. */
export const PR_NUMBER = 7;
export const PR_HEADS: [string, string] = [
  '3333333333333333333333333333333333333333',
  '3434343434343434343434343434343434343434',
];
/** Pull request #8, opened from a fork. */
export const FORK_PR_NUMBER = 8;
export const FORK_REPO = 'mallory/decisionlog';
export const FORK_HEAD = '5555555555555555555555555555555555555555';

/** The pull_request webhook payload GitHub writes to GITHUB_EVENT_PATH (the fields the YAML and actions read). */
function pullRequestEvent(
  action: 'opened' | 'synchronize',
  number: number,
  head: string,
  headRepo: string,
): Record<string, Plain> {
  const repo = (fullName: string) => ({
    full_name: fullName,
    name: fullName.split('/')[1] ?? '',
    owner: { login: fullName.split('/')[0] ?? '' },
    fork: fullName !== SERVICE_REPO,
  });
  return {
    action,
    number,
    pull_request: {
      number,
      state: 'open',
      head: { ref: 'feature/release-notes', sha: head, repo: repo(headRepo) },
      base: { ref: 'main', sha: V1, repo: repo(SERVICE_REPO) },
    },
    repository: { ...REPOSITORY_EVENT, name: 'decisionlog', owner: { login: 'acme' } },
  };
}

/**
 * The service repository as a pull request brings it: the `workflows/pr-health.yml` template (the
 * rehearsal sets only `port`, so runs side by side do not collide, and `max-p95-ms`), and a service
 * folder whose `npm ci` / `npm start` install nothing and start the real DecisionLog service.
 */
function makePullRequestRepo(dir: string, suiteRoot: string, port: number): string {
  const caller = makeServiceRepo(dir, suiteRoot, 'pr-health', HARMLESS_MIGRATION, { port: String(port) });
  const pkg = {
    name: 'decisionlog-service',
    version: '1.0.0',
    private: true,
    scripts: { start: `node ${JSON.stringify(join(repoRoot, 'scripts', 'start-service.mjs'))}` },
  };
  writeFileSync(join(dir, 'service', 'package.json'), JSON.stringify(pkg));
  writeFileSync(
    join(dir, 'service', 'package-lock.json'),
    JSON.stringify({
      name: pkg.name,
      version: pkg.version,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: pkg.name, version: pkg.version } },
    }),
  );
  return caller;
}

/**
 * `pull-request`: workflows/pr-health.yml → .github/workflows/pr-health.yml on pull request #7
 * (opened, then a second push), and on #8 from a fork side by side with the first run. GitHub is
 * the contract-checked stand-in; the comment job's token is the run's GITHUB_TOKEN, read-only for
 * the fork.
 */
async function rehearsePullRequest(
  world: World,
  suiteRoot: string,
  outputDir: string,
  log: (line: string) => void,
): Promise<RehearsalResult> {
  const ours = join(world.tmp, 'pr-repo');
  const fork = join(world.tmp, 'fork-repo');
  const ourCaller = makePullRequestRepo(ours, suiteRoot, await freePort());
  const forkCaller = makePullRequestRepo(fork, suiteRoot, await freePort());
  const executorFor = (repoDir: string, head: string, out: string) => {
    // GitHub runs a pull request on its merge commit; the rehearsal checks out the head's files.
    const merge = `${head.slice(0, 38)}ff`;
    return new WorkflowExecutor({
      ...executorOptions(world, suiteRoot, repoDir),
      checkout: (repository: string, ref: string) => {
        if (repository === SERVICE_REPO && ref === merge) return repoDir;
        throw new Error(`the rehearsal has no ${repository}@${ref} to check out`);
      },
      github: {
        repository: SERVICE_REPO,
        sha: merge,
        ref: 'refs/heads/main',
        apiUrl: world.github.url,
        token: world.github.token,
        readOnlyToken: world.github.readOnlyToken,
      },
      outputDir: join(outputDir, out),
      log: (line: string) => log(`[${out}] ${line}`),
    });
  };
  const forkFrom = world.github.requests.length;
  const [first, forkRun] = await Promise.all([
    executorFor(ours, PR_HEADS[0], 'first').run(ourCaller, ours, {
      event: 'pull_request',
      payload: pullRequestEvent('opened', PR_NUMBER, PR_HEADS[0], SERVICE_REPO),
    }),
    executorFor(fork, FORK_HEAD, 'fork').run(forkCaller, fork, {
      event: 'pull_request',
      payload: pullRequestEvent('opened', FORK_PR_NUMBER, FORK_HEAD, FORK_REPO),
    }),
  ]);
  const forkRequests = world.github.requests
    .slice(forkFrom)
    .filter((r) => r.path.includes(`/issues/${FORK_PR_NUMBER}/`))
    .map((r) => ({
      method: r.method,
      path: r.path,
      readOnlyToken: (r.headers.authorization ?? '').endsWith(world.github.readOnlyToken),
    }));
  const second = await executorFor(ours, PR_HEADS[1], 'second').run(ourCaller, ours, {
    event: 'pull_request',
    payload: pullRequestEvent('synchronize', PR_NUMBER, PR_HEADS[1], SERVICE_REPO),
  });
  const writes = world.github.requests
    .filter(
      (r) =>
        (r.method === 'POST' && r.path.endsWith(`/issues/${PR_NUMBER}/comments`)) ||
        (r.method === 'PATCH' && /\/issues\/comments\/\d+$/.test(r.path)),
    )
    .map((r) => `${r.method} ${r.path}`);
  return {
    scenario: 'pull-request',
    result: first.jobs.find((j) => j.path === 'health')?.outputs.result ?? 'failed',
    run: first,
    ...summarizeJobs(first),
    servingVersion: undefined,
    recoveryMs: undefined,
    railway: world.railway,
    slack: world.slack,
    sentry: world.sentry,
    github: world.github,
    appliedVersions: [],
    // pr-health migrates a scratch database without a backup and uploads nothing.
    artifacts: [],
    drill: undefined,
    outputDir,
    pullRequest: {
      second,
      fork: forkRun,
      heads: PR_HEADS,
      comments: structuredClone(world.github.comments.get(PR_NUMBER) ?? []),
      forkComments: structuredClone(world.github.comments.get(FORK_PR_NUMBER) ?? []),
      writes,
      forkRequests,
    },
  };
}
