/**
 * A local workflow executor: runs a workflow file as GitHub would, on this machine. GitHub's parser
 * reads the file, GitHub's expression engine evaluates every `if:` and `${{ }}`; jobs run in
 * `needs` order (side by side when independent); reusable workflows and composite actions nest;
 * `$/actions/<name>` runs the committed bundle through the runner-faithful harness; `run:` steps run
 * under bash with the GITHUB_* files. Anything it does not implement fails with the construct and
 * its line (a `WorkflowError`), never skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  ActionStep,
  RunStep,
  Step,
  WorkflowJob,
} from '@actions/workflow-parser/model/workflow-template';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { parseFileReference } from '@actions/workflow-parser/workflows/file-reference';
import { actionMeta, parseFileCommand, repoRoot, runAction } from '../harness/run-action.js';
import { CancelledByConcurrency, ConcurrencyLedger } from './concurrency.js';
import {
  at,
  type Contexts,
  evaluate,
  evaluateStrings,
  evaluateToken,
  interpolate,
  isTruthy,
  type Plain,
  type StatusFunctions,
  toText,
  WorkflowError,
} from './expressions.js';
import {
  field,
  items,
  type LoadedWorkflow,
  loadAction,
  loadWorkflow,
  onlyKeys,
  repositoryFolder,
} from './load.js';
import { thirdParty } from './third-party.js';

export { ConcurrencyLedger } from './concurrency.js';
export { WorkflowError } from './expressions.js';

export type JobResult = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepReport {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  log: string;
}

export interface JobReport {
  /** `caller-job/called-job` for jobs of a reusable workflow. */
  path: string;
  name: string;
  result: JobResult;
  outputs: Record<string, string>;
  /** Everything the job's steps wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
  steps: StepReport[];
  environment?: string;
  concurrencyGroup?: string;
  startedAt?: number;
  endedAt?: number;
}

export interface RunReport {
  workflow: string;
  conclusion: 'success' | 'failure' | 'cancelled';
  jobs: JobReport[];
  outputs: Record<string, string>;
  concurrencyGroup?: string;
  startedAt: number;
  endedAt: number;
}

export interface Trigger {
  event: 'push' | 'workflow_dispatch' | 'pull_request';
  /** workflow_dispatch inputs as a person types them. */
  inputs?: Record<string, string | boolean>;
  /** The webhook payload (github.event), e.g. `pull_request`. */
  payload?: Record<string, Plain>;
}

export interface ExecutorOptions {
  /** `owner/repo` (lower case) → the folder holding that repository's files, for `owner/repo/…@ref`. */
  repositories: Record<string, string>;
  /** What `actions/checkout` gives: the folder with `repository` at `ref`. Throw for unknown refs. */
  checkout: (repository: string, ref: string) => string;
  github: {
    repository: string;
    sha: string;
    ref: string;
    apiUrl: string;
    token: string;
    /**
     * The GITHUB_TOKEN a pull request from a fork gets: read-only whatever `permissions:` asks
     * (GitHub docs, "GITHUB_TOKEN reference"). Required to run such a pull request.
     */
    readOnlyToken?: string;
    actor?: string;
    runId?: string;
  };
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /**
   * Addresses a job reaches on GitHub (vendor APIs, the service's public URL) → where they answer
   * here: every occurrence of the key in action inputs and step env is replaced, like /etc/hosts.
   */
  network?: Record<string, string>;
  /** Environment secrets and variables, for jobs that name the environment. */
  environments?: Record<string, { secrets?: Record<string, string>; vars?: Record<string, string> }>;
  /** For `services:` postgres containers: a fresh database on this server per job. */
  postgresAdminUrl?: string;
  /** Shared by runs that contend for the same concurrency groups (default: one per executor). */
  ledger?: ConcurrencyLedger;
  /** Job summaries are written here as `<job path>.md` when set. */
  outputDir?: string;
  log?: (line: string) => void;
  /** Upper bound for one step (default the job's timeout-minutes). */
  stepTimeoutMs?: number;
}

const JOB_KEYS = [
  'name',
  'needs',
  'if',
  'runs-on',
  'permissions',
  'environment',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'timeout-minutes',
  'steps',
  'services',
  'uses',
  'with',
  'secrets',
] as const;
const STEP_KEYS = [
  'id',
  'name',
  'if',
  'uses',
  'run',
  'with',
  'env',
  'shell',
  'working-directory',
  'timeout-minutes',
  'continue-on-error',
] as const;

interface Scope {
  wf: LoadedWorkflow;
  github: Record<string, Plain>;
  inputs: Record<string, Plain>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** Concurrency groups held by this run's callers. */
  held: Set<string>;
  /**
   * A pull request from a fork: no secrets but the (read-only) GITHUB_TOKEN reach the run, not even
   * an environment's (GitHub docs, "Events that trigger workflows", pull_request).
   */
  fromFork: boolean;
  prefix: string;
  /** The top-level run's name, for the concurrency ledger. */
  label: string;
  jobs: JobReport[];
}

let runCount = 0;

interface JobState {
  result: JobResult;
  outputs: Record<string, string>;
}

/** Per job: the runner's folders and what steps have left behind. */
interface StepHost {
  file: string;
  /** The repository `$/` refers to. */
  actionRepo: string;
  scope: Scope;
  /** The job's secrets: passed or inherited, plus its environment's. */
  secrets: Record<string, string>;
  jobPath: string;
  workspace: string;
  temp: string;
  artifacts: string;
  env: Record<string, string>;
  path: string[];
  steps: Record<string, Plain>;
  failed: boolean;
  summary: string[];
  reports: StepReport[];
  masks: Set<string>;
  defaults: { shell?: string; workingDirectory?: string };
  timeoutMs: number;
  base: Contexts;
  services: Record<string, Plain>;
  /** Process groups of the job's `run:` steps: what they left running is ended with the job. */
  groups: number[];
}

export class WorkflowExecutor {
  readonly ledger: ConcurrencyLedger;
  readonly #opts: ExecutorOptions;
  readonly #log: (line: string) => void;
  #artifacts: string | undefined;

  constructor(opts: ExecutorOptions) {
    this.#opts = opts;
    this.ledger = opts.ledger ?? new ConcurrencyLedger();
    this.#log = opts.log ?? (() => {});
  }

  /**
   * Runs the workflow file (in repository folder `repo`) for the trigger. `label` names the run in
   * the concurrency ledger (runs sharing a ledger must have different labels).
   */
  async run(path: string, repo: string, trigger: Trigger, label = `run ${++runCount}`): Promise<RunReport> {
    const wf = await loadWorkflow(path, repo, this.#repos());
    const on = wf.template.events?.[trigger.event];
    if (on === undefined) throw new WorkflowError(`${wf.file}: has no \`on: ${trigger.event}\``);
    const g = this.#opts.github;
    const pr = trigger.event === 'pull_request' ? pullRequestOf(trigger.payload, wf.file) : undefined;
    checkEventFilters(wf, trigger, pr?.baseRef ?? g.ref.replace(/^refs\/heads\//, ''));
    const fromFork = pr !== undefined && pr.headRepo !== pr.baseRepo;
    if (fromFork && !g.readOnlyToken)
      throw new WorkflowError(
        `${wf.file}: a pull request from a fork gets a read-only GITHUB_TOKEN: give the executor \`github.readOnlyToken\``,
      );
    const token = fromFork ? (g.readOnlyToken as string) : g.token;
    const ref = pr ? `refs/pull/${pr.number}/merge` : g.ref;
    let inputs: Record<string, Plain> = {};
    let eventInputs: Record<string, Plain> | undefined;
    if (trigger.event === 'workflow_dispatch') {
      inputs = dispatchInputs(wf, trigger.inputs ?? {});
      eventInputs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toText(v)]));
    }
    const github: Record<string, Plain> = {
      event_name: trigger.event,
      event: { ...(trigger.payload ?? {}), ...(eventInputs ? { inputs: eventInputs } : {}) },
      sha: g.sha,
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
      head_ref: pr?.headRef ?? '',
      base_ref: pr?.baseRef ?? '',
      repository: g.repository,
      repository_owner: g.repository.split('/')[0] ?? '',
      actor: g.actor ?? 'octocat',
      triggering_actor: g.actor ?? 'octocat',
      run_id: g.runId ?? String(1e8 + Math.floor(Math.random() * 9e8)),
      run_number: '1',
      run_attempt: '1',
      workflow: wf.file,
      server_url: 'https://github.com',
      api_url: g.apiUrl,
      token,
    };
    const secrets = fromFork
      ? { GITHUB_TOKEN: token }
      : { ...(this.#opts.secrets ?? {}), GITHUB_TOKEN: token };
    const scope: Scope = {
      wf,
      github,
      inputs,
      secrets,
      vars: this.#opts.vars ?? {},
      held: new Set(),
      fromFork,
      prefix: '',
      label,
      jobs: [],
    };
    const started = performance.now();
    const res = await this.#runWorkflow(scope, label);
    return { workflow: wf.file, ...res, jobs: scope.jobs, startedAt: started, endedAt: performance.now() };
  }

  #repos(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#opts.repositories).map(([k, v]) => [k.toLowerCase(), v]));
  }

  async #runWorkflow(
    scope: Scope,
    who: string,
  ): Promise<{
    conclusion: RunReport['conclusion'];
    outputs: Record<string, string>;
    concurrencyGroup?: string;
  }> {
    const { wf } = scope;
    const base: Contexts = { github: scope.github, inputs: scope.inputs, vars: scope.vars };
    const concurrency = this.#concurrency(wf.template.concurrency, base, wf.file);
    let release: (() => void) | undefined;
    if (concurrency) {
      try {
        release = await this.ledger.acquire(concurrency.group, who, {
          cancelInProgress: concurrency.cancel,
          held: scope.held,
          queue: concurrency.queue,
        });
      } catch (err) {
        if (err instanceof CancelledByConcurrency) {
          this.#log(`⊘ ${who}: ${err.message}`);
          return { conclusion: 'cancelled', outputs: {}, concurrencyGroup: concurrency.group };
        }
        throw err;
      }
    }
    const held = new Set(scope.held);
    if (concurrency) held.add(concurrency.group);
    try {
      const states = await this.#runJobs({ ...scope, held });
      const failed = [...states.values()].some((s) => s.result === 'failure');
      const cancelled = [...states.values()].some((s) => s.result === 'cancelled');
      const jobsContext: Record<string, Plain> = Object.fromEntries(
        [...states].map(([id, s]) => [id, { result: s.result, outputs: s.outputs }]),
      );
      const outputs: Record<string, string> = {};
      const declared = field(field(field(wf.raw, 'on'), 'workflow_call'), 'outputs');
      for (const pair of (declared as Iterable<{ key: TemplateToken; value: TemplateToken }> | undefined) ??
        []) {
        const name = pair.key.assertString('output').value;
        const value = field(pair.value, 'value');
        outputs[name] = value ? toText(evaluateToken(value, { ...base, jobs: jobsContext }, wf.file)) : '';
      }
      return {
        conclusion: failed ? 'failure' : cancelled ? 'cancelled' : 'success',
        outputs,
        concurrencyGroup: concurrency?.group,
      };
    } finally {
      release?.();
    }
  }

  #concurrency(
    token: TemplateToken | undefined,
    contexts: Contexts,
    file: string,
  ): { group: string; cancel: boolean; queue: 'single' | 'max' } | undefined {
    if (!token) return undefined;
    const value = evaluateToken(token, contexts, file);
    if (typeof value === 'string')
      return value ? { group: value, cancel: false, queue: 'single' } : undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      onlyKeys(token, ['group', 'cancel-in-progress', 'queue'], 'concurrency key', file);
      const group = toText(value.group ?? '');
      const cancel = value['cancel-in-progress'] === true || value['cancel-in-progress'] === 'true';
      const queue = toText(value.queue ?? 'single') === 'max' ? 'max' : 'single';
      return group ? { group, cancel, queue } : undefined;
    }
    throw new WorkflowError(`${at(file, token)}: concurrency must be a group or a mapping`);
  }

  /** Runs every job of a workflow in `needs` order; independent jobs side by side. */
  async #runJobs(scope: Scope): Promise<Map<string, JobState>> {
    const jobs = scope.wf.template.jobs;
    const states = new Map<string, JobState>();
    const byId = new Map(jobs.map((j) => [j.id.value, j]));
    for (const job of jobs)
      for (const need of job.needs ?? [])
        if (!byId.has(need.value))
          throw new WorkflowError(
            `${at(scope.wf.file, need)}: job ${job.id.value} needs unknown job ${need.value}`,
          );
    const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
      for (const n of byId.get(id)?.needs ?? []) {
        if (!seen.has(n.value)) {
          seen.add(n.value);
          ancestors(n.value, seen);
        }
      }
      return seen;
    };
    const running = new Map<string, Promise<void>>();
    while (states.size < jobs.length) {
      for (const job of jobs) {
        const id = job.id.value;
        if (states.has(id) || running.has(id)) continue;
        if (!(job.needs ?? []).every((n) => states.has(n.value))) continue;
        const p = this.#runJob(scope, job, states, ancestors(id)).then((s) => {
          states.set(id, s);
          running.delete(id);
        });
        running.set(id, p);
      }
      if (running.size === 0) throw new WorkflowError(`${scope.wf.file}: the jobs' needs form a cycle`);
      await Promise.race(running.values());
    }
    return states;
  }

  async #runJob(
    scope: Scope,
    job: WorkflowJob,
    states: Map<string, JobState>,
    ancestors: Set<string>,
  ): Promise<JobState> {
    const { wf } = scope;
    const id = job.id.value;
    const path = `${scope.prefix}${id}`;
    const raw = field(field(wf.raw, 'jobs'), id);
    onlyKeys(raw, JOB_KEYS, 'job key', wf.file);
    const needs: Record<string, Plain> = Object.fromEntries(
      (job.needs ?? []).map((n) => {
        const s = states.get(n.value) as JobState;
        return [n.value, { result: s.result, outputs: s.outputs }];
      }),
    );
    const results = [...ancestors].map((a) => states.get(a)?.result);
    const status: StatusFunctions = {
      success: () => results.every((r) => r === 'success'),
      failure: () => results.some((r) => r === 'failure'),
      cancelled: () => false,
    };
    const base: Contexts = {
      github: { ...scope.github, job: id },
      inputs: scope.inputs,
      vars: scope.vars,
      needs,
      strategy: {},
      matrix: {},
    };
    const report: JobReport = { path, name: id, result: 'skipped', outputs: {}, summary: '', steps: [] };
    scope.jobs.push(report);
    if (job.name) report.name = toText(evaluateToken(job.name, base, wf.file));
    const condition = job.if?.expression ?? 'success()';
    if (!isTruthy(evaluate(condition, base, status, at(wf.file, job.if ?? job.id)))) {
      this.#log(`○ ${path} skipped (if: ${condition})`);
      return { result: 'skipped', outputs: {} };
    }
    report.startedAt = performance.now();
    try {
      const state =
        job.type === 'reusableWorkflowJob'
          ? await this.#runCalledWorkflow(scope, job, base, path, report)
          : await this.#runNormalJob(scope, job, raw, base, path, report);
      report.result = state.result;
      report.outputs = state.outputs;
      return state;
    } finally {
      report.endedAt = performance.now();
    }
  }

  async #runCalledWorkflow(
    scope: Scope,
    job: WorkflowJob & { type: 'reusableWorkflowJob' },
    base: Contexts,
    path: string,
    report: JobReport,
  ): Promise<JobState> {
    const where = at(scope.wf.file, job.ref);
    const ref = parseFileReference(job.ref.value);
    const folder =
      'repository' in ref ? repositoryFolder(this.#repos(), ref.owner, ref.repository, where) : scope.wf.repo;
    const called = await loadWorkflow(join(folder, ref.path), folder, this.#repos());
    const call = called.template.events?.workflow_call;
    if (!call) throw new WorkflowError(`${where}: ${called.file} has no \`on: workflow_call\``);
    const withSecrets = { ...base, secrets: scope.secrets };
    const given = job['input-values']
      ? (evaluateToken(job['input-values'], base, scope.wf.file) as Record<string, Plain>)
      : {};
    const inputs = callInputs(called, call.inputs ?? {}, given ?? {}, base, where);
    let secrets: Record<string, string>;
    if (job['inherit-secrets']) secrets = { ...scope.secrets };
    else {
      const passed = evaluateStrings(job['secret-values'], withSecrets, scope.wf.file);
      secrets = { GITHUB_TOKEN: scope.secrets.GITHUB_TOKEN ?? '' };
      for (const [name, value] of Object.entries(passed)) {
        if (!call.secrets || !(name in call.secrets))
          throw new WorkflowError(`${where}: secret ${name} is not defined in ${called.file}`);
        secrets[name] = value;
      }
      for (const [name, spec] of Object.entries(call.secrets ?? {})) {
        if (spec.required && !(name in passed))
          throw new WorkflowError(`${where}: secret ${name} is required by ${called.file} but not passed`);
        secrets[name] ??= '';
      }
    }
    this.#log(`▸ ${path} → ${called.file}`);
    const inner: Scope = {
      wf: called,
      github: scope.github,
      inputs,
      secrets,
      vars: scope.vars,
      held: scope.held,
      fromFork: scope.fromFork,
      prefix: `${path}/`,
      label: scope.label,
      jobs: scope.jobs,
    };
    const res = await this.#runWorkflow(inner, `${scope.label}: ${path}`);
    report.concurrencyGroup = res.concurrencyGroup;
    const result: JobResult =
      res.conclusion === 'success' ? 'success' : res.conclusion === 'cancelled' ? 'cancelled' : 'failure';
    this.#log(`${result === 'success' ? '✔' : '✖'} ${path} ${result}`);
    return { result, outputs: res.outputs };
  }

  async #runNormalJob(
    scope: Scope,
    job: WorkflowJob & { type: 'job' },
    raw: TemplateToken | undefined,
    base: Contexts,
    path: string,
    report: JobReport,
  ): Promise<JobState> {
    const { wf } = scope;
    const file = wf.file;
    const runsOn = job['runs-on'] ? evaluateToken(job['runs-on'], base, file) : '';
    const labels = (Array.isArray(runsOn) ? runsOn : [runsOn]).map((l) => toText(l as Plain));
    if (!labels.some((l) => /^ubuntu-/.test(l)))
      throw new WorkflowError(
        `${at(file, job['runs-on'] ?? job.id)}: runs-on ${labels.join(', ')} is not an Ubuntu runner`,
      );
    if (job.environment) {
      const env = evaluateToken(job.environment, base, file);
      report.environment =
        typeof env === 'object' && env && !Array.isArray(env) ? toText(env.name ?? '') : toText(env);
    }
    // A job that names an environment also sees that environment's secrets and variables (they win
    // over the repository's and over what a caller passed), as on GitHub; other jobs never do. A
    // pull request from a fork gets none of them.
    const environment = report.environment ? this.#opts.environments?.[report.environment] : undefined;
    const secrets = { ...scope.secrets, ...(scope.fromFork ? {} : (environment?.secrets ?? {})) };
    base = { ...base, vars: { ...scope.vars, ...(environment?.vars ?? {}) } };
    const concurrency = this.#concurrency(job.concurrency, base, file);
    let release: (() => void) | undefined;
    if (concurrency) {
      report.concurrencyGroup = concurrency.group;
      try {
        release = await this.ledger.acquire(concurrency.group, `${scope.label}: ${path}`, {
          cancelInProgress: concurrency.cancel,
          held: scope.held,
          queue: concurrency.queue,
        });
      } catch (err) {
        if (err instanceof CancelledByConcurrency) return { result: 'cancelled', outputs: {} };
        throw err;
      }
    }
    const temp = mkdtempSync(join(tmpdir(), 'wfx-job-'));
    const host: StepHost = {
      file,
      actionRepo: wf.repo,
      scope,
      jobPath: path,
      workspace: join(temp, 'workspace'),
      temp: join(temp, 'temp'),
      artifacts: this.#artifactsDir(),
      env: {},
      path: [],
      steps: {},
      failed: false,
      summary: [],
      reports: report.steps,
      secrets,
      masks: new Set(Object.values(secrets).filter((s) => s.length > 3)),
      defaults: {},
      timeoutMs: Math.min(
        this.#opts.stepTimeoutMs ?? Number.POSITIVE_INFINITY,
        jobMinutes(field(raw, 'timeout-minutes'), base, file) * 60_000,
      ),
      base,
      services: {},
      groups: [],
    };
    mkdirSync(host.workspace, { recursive: true });
    mkdirSync(host.temp, { recursive: true });
    const cleanups: (() => Promise<void>)[] = [];
    try {
      await this.#services(job, base, host, cleanups);
      const ctx = this.#contexts(host, {});
      const workflowEnv = evaluateStrings(wf.template.env, { ...base, secrets }, file);
      host.env = { ...workflowEnv };
      host.env = { ...workflowEnv, ...evaluateStrings(job.env, { ...ctx, env: workflowEnv }, file) };
      const run = field(field(raw, 'defaults'), 'run');
      onlyKeys(run, ['shell', 'working-directory'], 'defaults.run key', file);
      const shell = field(run, 'shell');
      const wd = field(run, 'working-directory');
      host.defaults = {
        shell: shell ? toText(evaluateToken(shell, this.#contexts(host, {}), file)) : undefined,
        workingDirectory: wd ? toText(evaluateToken(wd, this.#contexts(host, {}), file)) : undefined,
      };
      this.#log(`▶ ${path}${report.environment ? ` (environment ${report.environment})` : ''}`);
      await this.#runSteps(job.steps, items(field(raw, 'steps')), host, undefined);
      const result: JobResult = host.failed ? 'failure' : 'success';
      const outputs = evaluateStrings(job.outputs, this.#contexts(host, {}), file);
      report.summary = host.summary.join('');
      this.#writeSummary(path, report.summary);
      this.#log(`${result === 'success' ? '✔' : '✖'} ${path} ${result}`);
      return { result, outputs };
    } finally {
      // As the runner's "Cleaning up orphan processes": a service a step started in the background
      // must not outlive its job (and hold its port for the next run).
      await endGroups(host.groups);
      for (const c of cleanups.reverse()) await c();
      release?.();
      rmSync(temp, { recursive: true, force: true });
    }
  }

  #artifactsDir(): string {
    this.#artifacts ??= mkdtempSync(join(tmpdir(), 'wfx-artifacts-'));
    return this.#artifacts;
  }

  /** Artifacts uploaded by every run of this executor (name → folder). */
  get artifactsDir(): string {
    return this.#artifactsDir();
  }

  #writeSummary(path: string, summary: string): void {
    if (!this.#opts.outputDir) return;
    mkdirSync(this.#opts.outputDir, { recursive: true });
    writeFileSync(join(this.#opts.outputDir, `${path.replace(/\//g, '--')}.md`), summary || '(no summary)\n');
  }

  /** `services:` — a postgres image becomes a fresh database on the local server, dropped afterwards. */
  async #services(
    job: WorkflowJob & { type: 'job' },
    base: Contexts,
    host: StepHost,
    cleanups: (() => Promise<void>)[],
  ): Promise<void> {
    if (!job.services) return;
    const services = evaluateToken(job.services, base, host.file) as Record<string, Record<string, Plain>>;
    for (const [name, spec] of Object.entries(services ?? {})) {
      const image = toText(spec.image ?? '');
      if (!/^postgres(:|@|$)/.test(image) || !this.#opts.postgresAdminUrl)
        throw new WorkflowError(
          `${at(host.file, job.services)}: service container ${name} (${image}) has no local equivalent`,
        );
      const env = (spec.env ?? {}) as Record<string, Plain>;
      const db = `wfx_${name}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: this.#opts.postgresAdminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: this.#opts.postgresAdminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await c.end();
      });
      const local = new URL(this.#opts.postgresAdminUrl);
      local.pathname = `/${db}`;
      const ports = ((spec.ports ?? []) as Plain[]).map((p) => toText(p));
      const mapped: Record<string, string> = {};
      for (const p of ports) {
        const [hostPort, containerPort] = p.includes(':') ? p.split(':') : [p, p];
        mapped[containerPort as string] = local.port || '5432';
        // What the job would dial on the runner → the database made for it here.
        const user = toText(env.POSTGRES_USER ?? 'postgres');
        const pass = toText(env.POSTGRES_PASSWORD ?? '');
        const dbName = toText(env.POSTGRES_DB ?? user);
        for (const h of ['127.0.0.1', 'localhost'])
          this.#serviceRoutes.set(
            `postgres://${user}${pass ? `:${pass}` : ''}@${h}:${hostPort}/${dbName}`,
            local.toString(),
          );
      }
      host.services[name] = { id: db, network: 'local', ports: mapped };
    }
  }

  readonly #serviceRoutes = new Map<string, string>();

  #rewrite(value: string): string {
    let out = value;
    const routes = [...Object.entries(this.#opts.network ?? {}), ...this.#serviceRoutes];
    for (const [from, to] of routes) out = out.split(from).join(to);
    return out;
  }

  #contexts(host: StepHost, extra: Contexts): Contexts {
    return {
      ...host.base,
      github: { ...(host.base.github as Record<string, Plain>), workspace: host.workspace },
      secrets: host.secrets,
      env: host.env,
      steps: host.steps,
      job: { status: host.failed ? 'failure' : 'success', services: host.services },
      runner: {
        os: 'Linux',
        arch: 'X64',
        name: 'local-executor',
        temp: host.temp,
        tool_cache: join(host.temp, 'tool-cache'),
      },
      ...extra,
    };
  }

  /**
   * Runs steps (a job's, or a composite action's with its own `inputs`/`steps`). `composite` holds
   * the composite's contexts; undefined for job steps.
   */
  async #runSteps(
    steps: Step[],
    rawSteps: TemplateToken[],
    host: StepHost,
    composite:
      | {
          inputs: Record<string, Plain>;
          steps: Record<string, Plain>;
          file: string;
          /** The action's repository (`$/`) and its own folder (GITHUB_ACTION_PATH). */
          repo: string;
          dir: string;
          failed: boolean;
        }
      | undefined,
  ): Promise<void> {
    const file = composite?.file ?? host.file;
    // The converted steps must line up with the file's (GitHub's converter leaves out a step it
    // cannot use; its parser refuses such a step first, but this pairing must never shift silently).
    if (steps.length !== rawSteps.length)
      throw new WorkflowError(`${file}: ${rawSteps.length} steps in the file, ${steps.length} understood`);
    for (const [i, step] of steps.entries()) {
      const raw = rawSteps[i];
      onlyKeys(raw, STEP_KEYS, 'step key', file);
      if (!('run' in step) && !('uses' in step))
        throw new WorkflowError(`${at(file, raw)}: this kind of step is not supported by this executor`);
      const exec = step as RunStep | ActionStep;
      const stepsCtx = composite ? composite.steps : host.steps;
      // Inside a composite, success()/failure() speak of the composite's own steps, not the job's
      // (GitHub docs "Metadata syntax", runs.steps[*].if; github/docs#12378), and the job's status
      // changes only when the whole composite step ends (actions/runner#1238, CompositeActionHandler).
      const failedSoFar = () => (composite ? composite.failed : host.failed);
      const ctx = (): Contexts =>
        composite
          ? {
              github: { ...(host.base.github as Record<string, Plain>), action_path: composite.dir },
              inputs: composite.inputs,
              env: host.env,
              steps: composite.steps,
              job: { status: host.failed ? 'failure' : 'success' },
              runner: this.#contexts(host, {}).runner as Plain,
              strategy: {},
              matrix: {},
            }
          : this.#contexts(host, {});
      const status: StatusFunctions = {
        success: () => !failedSoFar(),
        failure: () => failedSoFar(),
        cancelled: () => false,
      };
      const name = exec.name
        ? toText(evaluateToken(exec.name, ctx(), file))
        : 'run' in exec
          ? `run: ${String(exec.run).split('\n')[0]}`
          : `uses ${exec.uses.value}`;
      const record = (outcome: StepReport['outcome'], outputs: Record<string, string>, log: string) => {
        const shown = this.#mask(log, host);
        host.reports.push({ name, outcome, outputs, log: shown });
        const continueOnError = field(raw, 'continue-on-error');
        const soft = continueOnError ? toText(evaluateToken(continueOnError, ctx(), file)) === 'true' : false;
        const conclusion = outcome === 'failure' && soft ? 'success' : outcome;
        if (step.id && !step.id.startsWith('__')) stepsCtx[step.id] = { outputs, outcome, conclusion };
        if (conclusion === 'failure') {
          if (composite) composite.failed = true;
          else host.failed = true;
        }
      };
      const condition = exec.if?.expression ?? 'success()';
      if (!isTruthy(evaluate(condition, ctx(), status, at(file, exec.if ?? raw)))) {
        this.#log(`    ○ ${name}`);
        record('skipped', {}, '');
        continue;
      }
      const stepEnv = { ...host.env, ...evaluateStrings(exec.env, ctx(), file) };
      const withCtx = { ...ctx(), env: stepEnv };
      const withs = evaluateStrings(field(raw, 'with'), withCtx, file);
      const timeout = field(raw, 'timeout-minutes');
      const timeoutMs = timeout
        ? Math.min(host.timeoutMs, Number(toText(evaluateToken(timeout, withCtx, file))) * 60_000)
        : host.timeoutMs;
      const started = performance.now();
      let res: { ok: boolean; outputs: Record<string, string>; log: string };
      if ('run' in exec) {
        const script = toText(evaluateToken(exec.run, withCtx, file));
        const shell = field(raw, 'shell')
          ? toText(evaluateToken(field(raw, 'shell') as TemplateToken, withCtx, file))
          : composite
            ? undefined
            : host.defaults.shell;
        if (composite && !shell)
          throw new WorkflowError(`${at(file, raw)}: a composite action's run step needs \`shell:\``);
        const wd = field(raw, 'working-directory')
          ? toText(evaluateToken(field(raw, 'working-directory') as TemplateToken, withCtx, file))
          : composite
            ? undefined
            : host.defaults.workingDirectory;
        // A composite's scripts find their action's files through GITHUB_ACTION_PATH, as on the runner.
        const scriptEnv = composite ? { ...stepEnv, GITHUB_ACTION_PATH: composite.dir } : stepEnv;
        res = await this.#runScript(script, shell, wd, scriptEnv, host, timeoutMs, at(file, raw));
      } else {
        res = await this.#runUses(
          exec.uses.value,
          withs,
          stepEnv,
          host,
          timeoutMs,
          at(file, exec.uses),
          composite?.repo,
        );
      }
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      this.#log(
        `    ${res.ok ? '✔' : '✖'} ${name} (${secs} s)${res.ok ? '' : `: ${lastLines(this.#mask(res.log, host))}`}`,
      );
      record(res.ok ? 'success' : 'failure', res.outputs, res.log);
    }
  }

  #mask(text: string, host: StepHost): string {
    let out = text;
    for (const m of [...host.masks].sort((a, b) => b.length - a.length)) out = out.split(m).join('***');
    return out;
  }

  async #runScript(
    script: string,
    shell: string | undefined,
    workingDirectory: string | undefined,
    env: Record<string, string>,
    host: StepHost,
    timeoutMs: number,
    where: string,
  ): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    const dir = mkdtempSync(join(host.temp, 'step-'));
    const files = this.#fileCommands(dir);
    const scriptFile = join(dir, 'script.sh');
    writeFileSync(scriptFile, script);
    let argv: string[];
    if (shell === undefined) argv = ['bash', '-e', scriptFile];
    else if (shell === 'bash') argv = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', scriptFile];
    else if (shell === 'sh') argv = ['sh', '-e', scriptFile];
    else throw new WorkflowError(`${where}: shell \`${shell}\` is not supported by this executor`);
    const cwd = resolve(host.workspace, workingDirectory ?? '.');
    const rewritten = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, this.#rewrite(v)]));
    const fullEnv = { ...this.#runnerEnv(host), ...rewritten, ...files };
    const { code, log } = await spawnLogged(argv, cwd, fullEnv, timeoutMs, (pid) => host.groups.push(pid));
    return this.#collect(host, files, code === 0, log);
  }

  #fileCommands(dir: string): Record<string, string> {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_STATE: join(dir, 'state'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    return files;
  }

  #collect(
    host: StepHost,
    files: Record<string, string>,
    ok: boolean,
    log: string,
  ): { ok: boolean; outputs: Record<string, string>; log: string } {
    const read = (k: string) => readFileSync(files[k] as string, 'utf8');
    for (const m of log.matchAll(/^::add-mask::(.+)$/gm)) host.masks.add(m[1] as string);
    Object.assign(host.env, parseFileCommand(read('GITHUB_ENV')));
    for (const p of read('GITHUB_PATH').split('\n').filter(Boolean)) host.path.unshift(p);
    host.summary.push(read('GITHUB_STEP_SUMMARY'));
    return { ok, outputs: parseFileCommand(read('GITHUB_OUTPUT')), log };
  }

  #runnerEnv(host: StepHost): Record<string, string> {
    const g = host.base.github as Record<string, Plain>;
    return {
      PATH: [...host.path, process.env.PATH ?? ''].join(':'),
      HOME: process.env.HOME ?? host.temp,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: host.temp,
      RUNNER_NAME: 'local-executor',
      GITHUB_WORKSPACE: host.workspace,
      GITHUB_REPOSITORY: toText(g.repository ?? ''),
      GITHUB_REPOSITORY_OWNER: toText(g.repository_owner ?? ''),
      GITHUB_SHA: toText(g.sha ?? ''),
      GITHUB_REF: toText(g.ref ?? ''),
      GITHUB_REF_NAME: toText(g.ref_name ?? ''),
      GITHUB_HEAD_REF: toText(g.head_ref ?? ''),
      GITHUB_BASE_REF: toText(g.base_ref ?? ''),
      GITHUB_ACTOR: toText(g.actor ?? ''),
      GITHUB_RUN_ID: toText(g.run_id ?? ''),
      GITHUB_RUN_NUMBER: toText(g.run_number ?? ''),
      GITHUB_RUN_ATTEMPT: toText(g.run_attempt ?? ''),
      GITHUB_JOB: toText(g.job ?? ''),
      GITHUB_WORKFLOW: toText(g.workflow ?? ''),
      GITHUB_EVENT_NAME: toText(g.event_name ?? ''),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: toText(g.api_url ?? ''),
    };
  }

  /** `uses:` — our bundles (harness), composite actions, reusable third-party equivalents. */
  async #runUses(
    uses: string,
    withs: Record<string, string>,
    env: Record<string, string>,
    host: StepHost,
    timeoutMs: number,
    where: string,
    compositeRepo: string | undefined,
  ): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    let dir: string;
    // The repository the action belongs to: what `$/` inside a composite action refers to.
    let root: string;
    if (uses.startsWith('$/')) {
      root = compositeRepo ?? host.actionRepo;
      dir = join(root, uses.slice(2));
    } else if (uses.startsWith('./')) {
      root = host.workspace;
      dir = join(host.workspace, uses.slice(2));
    } else if (uses.startsWith('docker://'))
      throw new WorkflowError(`${where}: docker actions are not supported by this executor`);
    else {
      const [path, ref] = uses.split('@');
      const [owner, repo, ...sub] = (path ?? '').split('/');
      if (!owner || !repo || !ref)
        throw new WorkflowError(`${where}: \`uses: ${uses}\` is not owner/repo@ref`);
      const folder = this.#repos()[`${owner}/${repo}`.toLowerCase()];
      if (!folder) {
        const equivalent = thirdParty(`${owner}/${repo}`, where);
        for (const k of Object.keys(withs))
          if (!equivalent.keys.includes(k))
            throw new WorkflowError(
              `${where}: ${owner}/${repo} input \`${k}\` is not understood by its local equivalent`,
            );
        const g = host.base.github as Record<string, Plain>;
        const res = equivalent.run(withs, {
          workspace: host.workspace,
          where,
          repository: toText(g.repository ?? ''),
          sha: toText(g.sha ?? ''),
          checkout: this.#opts.checkout,
          artifacts: host.artifacts,
          addPath: (d) => host.path.unshift(d),
          log: this.#log,
        });
        return res;
      }
      root = folder;
      dir = join(folder, ...sub);
    }
    const action = loadAction(dir, where);
    const runs = action.template.runs;
    if (runs.using === 'composite') {
      // The calling step's env reaches the composite's steps; what they export stays for the job.
      const outer = host.env;
      host.env = { ...env };
      try {
        return await this.#runComposite(action, withs, host, where, root);
      } finally {
        const exported = Object.fromEntries(Object.entries(host.env).filter(([k, v]) => env[k] !== v));
        host.env = { ...outer, ...exported };
      }
    }
    if (!/^node\d+$/.test(runs.using))
      throw new WorkflowError(`${where}: \`runs.using: ${runs.using}\` is not supported by this executor`);
    // Only committed bundles of this repository run, and only through the runner-faithful harness.
    const name = dir.split('/').filter(Boolean).at(-1) as string;
    const ours = join(repoRoot, 'actions', name);
    if (realpathSync(dir) !== realpathSync(ours))
      throw new WorkflowError(
        `${where}: ${dir} is not one of this repository's actions (the harness runs only those)`,
      );
    const meta = actionMeta(name);
    const defaultsCtx: Contexts = {
      github: host.base.github as Plain,
      runner: this.#contexts(host, {}).runner as Plain,
      env,
      job: {},
      strategy: {},
      matrix: {},
    };
    const inputs: Record<string, string> = {};
    for (const [key, spec] of Object.entries(meta.inputs ?? {})) {
      const value =
        key in withs
          ? withs[key]
          : spec.default !== undefined
            ? interpolate(String(spec.default), defaultsCtx, where)
            : undefined;
      if (value !== undefined) inputs[key] = this.#rewrite(value);
    }
    for (const key of Object.keys(withs))
      if (!(key in (meta.inputs ?? {})))
        throw new WorkflowError(`${where}: actions/${name} has no input \`${key}\``);
    const g = host.base.github as Record<string, Plain>;
    const stepEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, this.#rewrite(v)]));
    const res = await runAction(name, {
      inputs,
      env: { ...this.#runnerEnv(host), ...stepEnv, GITHUB_ACTION_PATH: dir },
      cwd: host.workspace,
      event: (g.event ?? {}) as Record<string, unknown>,
      eventName: toText(g.event_name ?? 'push'),
      timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : undefined,
    });
    for (const m of res.masks) if (m) host.masks.add(m);
    Object.assign(host.env, res.exportedEnv);
    host.summary.push(res.summary);
    return { ok: res.exitCode === 0, outputs: res.outputs, log: res.maskedLog };
  }

  async #runComposite(
    action: ReturnType<typeof loadAction>,
    withs: Record<string, string>,
    host: StepHost,
    where: string,
    root: string,
  ): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    const runs = action.template.runs as { steps: Step[] };
    const declared = new Map((action.template.inputs ?? []).map((i) => [i.id, i]));
    for (const key of Object.keys(withs))
      if (!declared.has(key)) throw new WorkflowError(`${where}: ${action.file} has no input \`${key}\``);
    const inputs: Record<string, Plain> = {};
    const defaultsCtx: Contexts = {
      github: host.base.github as Plain,
      runner: this.#contexts(host, {}).runner as Plain,
      env: host.env,
      job: {},
      strategy: {},
      matrix: {},
    };
    for (const [id, spec] of declared) {
      inputs[id] =
        id in withs
          ? (withs[id] as string)
          : spec.default
            ? toText(evaluateToken(spec.default, defaultsCtx, action.file))
            : '';
    }
    const composite = {
      inputs,
      steps: {} as Record<string, Plain>,
      file: action.file,
      repo: root,
      dir: action.dir,
      failed: false,
    };
    const reportsBefore = host.reports.length;
    await this.#runSteps(runs.steps, items(field(field(action.raw, 'runs'), 'steps')), host, composite);
    const outputs: Record<string, string> = {};
    for (const out of action.template.outputs ?? []) {
      outputs[out.id] = out.value
        ? toText(
            evaluateToken(
              out.value,
              {
                github: host.base.github as Plain,
                inputs,
                steps: composite.steps,
                env: host.env,
                job: {},
                runner: {},
                strategy: {},
                matrix: {},
              },
              action.file,
            ),
          )
        : '';
    }
    const log = host.reports
      .slice(reportsBefore)
      .map((r) => `[${r.outcome}] ${r.name}\n${r.log}`)
      .join('\n');
    return { ok: !composite.failed, outputs, log };
  }
}

/** `timeout-minutes:` (GitHub's default is 360). */
function jobMinutes(token: TemplateToken | undefined, contexts: Contexts, file: string): number {
  return token ? Number(toText(evaluateToken(token, contexts, file))) : 360;
}

function lastLines(log: string): string {
  const errors = [...log.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map((m) => m[1]);
  if (errors.length) return errors.join(' | ');
  return log.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
}

/** Runs a step's script in its own process group (`group` receives its id), collecting its output. */
function spawnLogged(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  group: (pid: number) => void,
): Promise<{ code: number | null; log: string }> {
  return new Promise((resolvePromise, reject) => {
    const [bin, ...args] = argv as [string, ...string[]];
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) group(child.pid);
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const killer = Number.isFinite(timeoutMs)
      ? setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (killer) clearTimeout(killer);
      resolvePromise({ code, log });
    });
  });
}

/** Sends `signal` to a process group; false when the group is gone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to every group still alive, SIGKILL to those alive 5 s later. */
async function endGroups(groups: number[]): Promise<void> {
  const alive = groups.filter((pid) => signalGroup(pid, 'SIGTERM'));
  for (let waited = 0; waited < 5000 && alive.some((pid) => signalGroup(pid, 0)); waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  for (const pid of alive) signalGroup(pid, 'SIGKILL');
}

/** workflow_dispatch inputs: required, types (boolean, choice, environment, string), defaults. */
function dispatchInputs(wf: LoadedWorkflow, given: Record<string, string | boolean>): Record<string, Plain> {
  const spec = wf.template.events.workflow_dispatch?.inputs ?? {};
  const out: Record<string, Plain> = {};
  for (const name of Object.keys(given))
    if (!(name in spec)) throw new WorkflowError(`${wf.file}: workflow_dispatch has no input ${name}`);
  for (const [name, input] of Object.entries(spec)) {
    const raw = given[name] ?? input.default;
    if ((raw === undefined || raw === '') && input.required)
      throw new WorkflowError(`${wf.file}: input ${name} is required to run this workflow`);
    const text = raw === undefined ? '' : String(raw);
    if (input.type === 'boolean') {
      if (!['true', 'false', ''].includes(text))
        throw new WorkflowError(`${wf.file}: input ${name} must be true or false`);
      out[name] = text === 'true';
    } else if (input.type === 'choice') {
      if (text && !(input.options ?? []).includes(text))
        throw new WorkflowError(
          `${wf.file}: input ${name} must be one of ${(input.options ?? []).join(', ')}`,
        );
      out[name] = text;
    } else out[name] = text;
  }
  return out;
}

/** workflow_call inputs: unknown names, required, types and defaults, as GitHub checks them. */
function callInputs(
  called: LoadedWorkflow,
  spec: Record<string, { type: string; required?: boolean; default?: unknown }>,
  given: Record<string, Plain>,
  base: Contexts,
  where: string,
): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const name of Object.keys(given))
    if (!(name in spec)) throw new WorkflowError(`${where}: input ${name} is not defined in ${called.file}`);
  for (const [name, input] of Object.entries(spec)) {
    let value: Plain | undefined = given[name];
    if (value === undefined) {
      if (input.required)
        throw new WorkflowError(`${where}: input ${name} is required by ${called.file} but not provided`);
      const d = input.default;
      value =
        d === undefined
          ? input.type === 'boolean'
            ? false
            : input.type === 'number'
              ? 0
              : ''
          : typeof d === 'object' && d !== null
            ? evaluateToken(d as TemplateToken, { github: base.github as Plain }, called.file)
            : (d as Plain);
    }
    const expected = input.type === 'boolean' ? 'boolean' : input.type === 'number' ? 'number' : 'string';
    if (typeof value !== expected)
      throw new WorkflowError(
        `${where}: input ${name} of ${called.file} expects a ${expected}, got ${JSON.stringify(value)}`,
      );
    out[name] = value;
  }
  return out;
}

/** What a pull_request payload must carry for the run (GitHub always sends these). */
function pullRequestOf(
  payload: Record<string, Plain> | undefined,
  file: string,
): { number: number; headRef: string; baseRef: string; headRepo: string; baseRepo: string } {
  const pr = payload?.pull_request as Record<string, Plain> | undefined;
  const side = (name: 'head' | 'base') => (pr?.[name] ?? {}) as Record<string, Plain>;
  const repoOf = (name: 'head' | 'base') =>
    toText(((side(name).repo ?? {}) as Record<string, Plain>).full_name ?? '').toLowerCase();
  const out = {
    number: Number(pr?.number),
    headRef: toText(side('head').ref ?? ''),
    baseRef: toText(side('base').ref ?? ''),
    headRepo: repoOf('head'),
    baseRepo: repoOf('base'),
  };
  if (!Number.isInteger(out.number) || !out.headRef || !out.baseRef || !out.headRepo || !out.baseRepo)
    throw new WorkflowError(
      `${file}: a pull_request payload needs pull_request.number, head/base .ref and .repo.full_name`,
    );
  return out;
}

/**
 * `on.<event>` filters as GitHub applies them before a run starts: `branches`/`branches-ignore`
 * (`*` and `**` globs) and pull_request `types`. A run they exclude would not exist on GitHub, so
 * it fails here; filters this executor cannot judge (paths, tags, `!` patterns) fail loudly too.
 */
function checkEventFilters(wf: LoadedWorkflow, trigger: Trigger, branch: string): void {
  const token = field(field(wf.raw, 'on'), trigger.event);
  const where = at(wf.file, token);
  const filters = (wf.template.events?.[trigger.event] ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(filters)) {
    if (['branches', 'branches-ignore', 'types', 'inputs'].includes(key)) continue;
    throw new WorkflowError(
      `${where}: the \`on.${trigger.event}.${key}\` filter is not supported by this executor`,
    );
  }
  const glob = (pattern: string): RegExp => {
    if (/[!?+[\]]/.test(pattern))
      throw new WorkflowError(
        `${where}: the branch pattern \`${pattern}\` is not supported by this executor`,
      );
    const source = pattern
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((x) => x.replace(/[.^$(){}|\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    return new RegExp(`^${source}$`);
  };
  const only = filters.branches as string[] | undefined;
  const ignore = filters['branches-ignore'] as string[] | undefined;
  if (only && !only.some((p) => glob(p).test(branch)))
    throw new WorkflowError(
      `${where}: branch ${branch} is not in on.${trigger.event}.branches: GitHub would not run this workflow`,
    );
  if (ignore?.some((p) => glob(p).test(branch)))
    throw new WorkflowError(
      `${where}: branch ${branch} is in on.${trigger.event}.branches-ignore: GitHub would not run this workflow`,
    );
  if (trigger.event === 'pull_request') {
    const types = (filters.types as string[] | undefined) ?? ['opened', 'synchronize', 'reopened'];
    const action = toText((trigger.payload?.action as Plain | undefined) ?? 'opened');
    if (!types.includes(action))
      throw new WorkflowError(
        `${where}: pull_request action ${action} is not in its types: GitHub would not run this workflow`,
      );
  }
}
