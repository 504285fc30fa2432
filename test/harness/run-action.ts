/**
 * Runs a committed action bundle exactly as the GitHub runner does: a Node 24 child process,
 * inputs as INPUT_<NAME> (with action.yml defaults), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
 * GITHUB_ENV / GITHUB_STATE / GITHUB_PATH / GITHUB_EVENT_PATH files and the usual GITHUB_* variables.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { inputEnvName } from '../../lib/inputs.js';
// @ts-expect-error plain ESM helper without types
import { node24Path } from '../../scripts/node24.mjs';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface RunOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  env?: Record<string, string | undefined>;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: Record<string, unknown>;
  eventName?: string;
  cwd?: string;
  /** Kill the action after this long (it then counts as failed). */
  timeoutMs?: number;
}

export interface ActionResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  summary: string;
  /** Variables the action exported through GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  /** stdout and stderr interleaved, as the runner shows them before masking. */
  log: string;
  /** The log with every `::add-mask::` value replaced by ***, as the runner would display it. */
  maskedLog: string;
  masks: string[];
  /** `::error::` annotations. */
  errors: string[];
  warnings: string[];
  /** Every `::error|warning|notice <properties>::message` workflow command with its decoded properties. */
  annotations: Annotation[];
  durationMs: number;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** `file`, `line`, `title`… as the runner reads them (core sends startLine as `line`). */
  properties: Record<string, string>;
}

export interface ActionMeta {
  name: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; steps?: unknown[] };
}

export function actionMeta(action: string): ActionMeta {
  const file = join(repoRoot, 'actions', action, 'action.yml');
  return parseYaml(readFileSync(file, 'utf8')) as ActionMeta;
}

let cachedNode: string | undefined;
export function nodeBinary(): string {
  cachedNode ??= node24Path() as string;
  return cachedNode;
}

export interface RunningAction {
  child: ChildProcess;
  result: Promise<ActionResult>;
}

export interface RunnerSetup {
  /** Temporary folder holding the runner files; remove it when done. */
  dir: string;
  files: Record<
    | 'GITHUB_OUTPUT'
    | 'GITHUB_STEP_SUMMARY'
    | 'GITHUB_ENV'
    | 'GITHUB_STATE'
    | 'GITHUB_PATH'
    | 'GITHUB_EVENT_PATH',
    string
  >;
  env: Record<string, string>;
  /** The committed bundle the runner would start. */
  main: string;
}

/**
 * What the runner prepares before starting a node action: the file-command files, the GITHUB_* and
 * RUNNER_* variables, and every declared input (given value, else the action.yml default).
 */
export function runnerSetup(action: string, opts: RunOptions = {}): RunnerSetup {
  const meta = actionMeta(action);
  const dir = mkdtempSync(join(tmpdir(), `gha-${action}-`));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  };
  for (const [key, file] of Object.entries(files))
    writeFileSync(file, key === 'GITHUB_EVENT_PATH' ? '{}' : '');
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(opts.event ?? {}));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: dir,
    RUNNER_NAME: 'harness',
    GITHUB_WORKSPACE: opts.cwd ?? repoRoot,
    GITHUB_ACTION: action,
    GITHUB_ACTION_PATH: join(repoRoot, 'actions', action),
    GITHUB_REPOSITORY: 'acme/decisionlog',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_EVENT_NAME: opts.eventName ?? 'push',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/github-api-not-configured',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/github-graphql-not-configured',
    ...files,
  };
  // The runner sets every declared input: the caller's value, else the action.yml default.
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const given = opts.inputs?.[name];
    const value = given !== undefined ? String(given) : evaluateDefault(spec.default, env);
    if (value !== undefined) env[inputEnvName(name)] = value;
  }
  for (const name of Object.keys(opts.inputs ?? {})) {
    if (!(name in (meta.inputs ?? {}))) throw new Error(`${action} has no input "${name}" in its action.yml`);
  }
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const main = join(repoRoot, 'actions', action, meta.runs.main ?? 'dist/index.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
  return { dir, files, env, main };
}

/** Starts the action and returns the child (for signal tests) and a promise of its result. */
export function startAction(action: string, opts: RunOptions = {}): RunningAction {
  const { dir, files, env, main } = runnerSetup(action, opts);
  const started = performance.now();
  const child = spawn(nodeBinary(), [main], {
    cwd: opts.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const killer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;

  const result = new Promise<ActionResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      if (killer) clearTimeout(killer);
      const masks = [...log.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1] as string);
      const maskedLog = masks
        .filter((m) => m.length > 0)
        .sort((a, b) => b.length - a.length)
        .reduce((text, m) => text.split(m).join('***'), log);
      const res: ActionResult = {
        exitCode,
        signal,
        outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        exportedEnv: parseFileCommand(readFileSync(files.GITHUB_ENV, 'utf8')),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        log,
        maskedLog,
        masks,
        errors: [...log.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map((m) => decodeCommand(m[1] as string)),
        warnings: [...log.matchAll(/^::warning(?: [^:]*)?::(.*)$/gm)].map((m) =>
          decodeCommand(m[1] as string),
        ),
        annotations: [...log.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)].map((m) => ({
          level: m[1] as Annotation['level'],
          message: decodeCommand(m[3] as string),
          properties: Object.fromEntries(
            (m[2] ?? '')
              .split(',')
              .filter(Boolean)
              .map((pair) => {
                const eq = pair.indexOf('=');
                return [pair.slice(0, eq), decodeProperty(pair.slice(eq + 1))];
              }),
          ),
        })),
        durationMs: performance.now() - started,
      };
      rmSync(dir, { recursive: true, force: true });
      resolve(res);
    });
  });
  return { child, result };
}

export function runAction(action: string, opts: RunOptions = {}): Promise<ActionResult> {
  return startAction(action, opts).result;
}

/** `${{ github.token }}`-style defaults: the ones the harness can answer, else unset. */
function evaluateDefault(value: string | undefined, env: Record<string, string>): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!text.includes('${{')) return text;
  const known: Record<string, string | undefined> = {
    'github.sha': env.GITHUB_SHA,
    'github.repository': env.GITHUB_REPOSITORY,
    'github.actor': env.GITHUB_ACTOR,
    'github.token': '',
    'github.event_name': env.GITHUB_EVENT_NAME,
  };
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => known[expr] ?? '');
}

/** Parses GITHUB_OUTPUT/GITHUB_ENV: `name<<DELIM\nvalue\nDELIM` blocks and `name=value` lines. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] as string);
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

function decodeProperty(text: string): string {
  return text
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%');
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Asserts a secret never reaches the displayed log, the outputs or the summary. */
export function leaks(result: ActionResult, secret: string): string[] {
  const where: string[] = [];
  const unmasked = result.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  if (unmasked.includes(secret)) where.push('log');
  if (result.summary.includes(secret)) where.push('summary');
  for (const [k, v] of Object.entries(result.outputs)) if (v.includes(secret)) where.push(`output ${k}`);
  return where;
}
