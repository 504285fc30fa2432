/**
 * In-process counterpart of run-action.ts: calls an action's `main(io)` directly with a recording
 * `ActionIO`, so slow or rare branches (timeouts, cancellation, lost deployments, error paths) are
 * cheap to reach and show up in coverage. The bundle tests stay the contract with the runner.
 */
import { rmSync } from 'node:fs';
import type { ActionIO } from '../../lib/action.js';
import { errorMessage, UserError } from '../../lib/errors.js';
import { type InputSource, Inputs, inputEnvName } from '../../lib/inputs.js';
import { Secrets } from '../../lib/mask.js';
import { type RunOptions, runnerSetup } from './run-action.js';

type Values = Record<string, string | number | boolean | undefined>;

/** The input source a test passes to `new Inputs(…)`: values from a plain object, '' when absent. */
export function inputSource(values: Values): InputSource {
  return (name) => {
    const value = values[name];
    return value === undefined ? '' : String(value);
  };
}

/** `Inputs` over a plain object, for unit tests of a `readConfig`. */
export function inputsFrom(values: Values): Inputs {
  return new Inputs(inputSource(values));
}

/** A warning or error as the runner would show it, with annotation properties when given. */
export interface Annotation {
  message: string;
  properties?: unknown;
}

/**
 * An `ActionIO` that records everything an action tells the runner. Like `runnerIO`, every message,
 * output and summary is scrubbed of registered secrets before it is recorded.
 */
export class RecordingIO implements ActionIO {
  readonly inputs: Inputs;
  /** Every value registered as a secret (what `core.setSecret` would have been given). */
  readonly masks: string[] = [];
  readonly secrets = new Secrets((value) => this.masks.push(value));
  readonly outputs: Record<string, string> = {};
  readonly infos: string[] = [];
  readonly debugs: string[] = [];
  readonly warnings: Annotation[] = [];
  readonly errors: Annotation[] = [];
  readonly groups: string[] = [];
  /** Job summary Markdown, appended in order. */
  summaryText = '';

  constructor(inputs: Inputs | Values = {}) {
    this.inputs = inputs instanceof Inputs ? inputs : inputsFrom(inputs);
  }

  #scrub = (text: string) => this.secrets.scrub(text);

  setOutput(name: string, value: string | number | boolean): void {
    this.outputs[name] = this.#scrub(String(value));
  }
  info(message: string): void {
    this.infos.push(this.#scrub(message));
  }
  debug(message: string): void {
    this.debugs.push(this.#scrub(message));
  }
  warning(message: string, properties?: unknown): void {
    this.warnings.push({ message: this.#scrub(message), ...(properties ? { properties } : {}) });
  }
  error(message: string, properties?: unknown): void {
    this.errors.push({ message: this.#scrub(message), ...(properties ? { properties } : {}) });
  }
  async summary(markdown: string): Promise<void> {
    this.summaryText += this.#scrub(markdown);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.groups.push(this.#scrub(title));
    return fn();
  }

  /** Everything logged, one line per call, as the runner would display it. */
  get log(): string {
    return [...this.infos, ...this.warnings.map((w) => w.message), ...this.errors.map((e) => e.message)].join(
      '\n',
    );
  }

  /** Where `secret` shows up (log, summary, outputs): must be empty. */
  leaks(secret: string): string[] {
    const where: string[] = [];
    if (this.log.includes(secret) || this.debugs.some((d) => d.includes(secret))) where.push('log');
    if (this.summaryText.includes(secret)) where.push('summary');
    for (const [k, v] of Object.entries(this.outputs)) if (v.includes(secret)) where.push(`output ${k}`);
    return where;
  }
}

export interface MainResult {
  io: RecordingIO;
  /** What `main` threw, if anything. */
  error: unknown;
  /**
   * The failed-step sentence `runAction` (lib/action.ts) would print: the UserError's message, or
   * the "unexpected error … bug" sentence for anything else. Undefined when main succeeded.
   */
  failure: string | undefined;
}

/**
 * Runs `main` in this process the way the runner would start the bundle: the runner's GITHUB_* /
 * RUNNER_* variables and files (run-action.ts `runnerSetup`) in `process.env` for the duration of
 * the call, inputs from `opts.inputs` over the action.yml defaults.
 */
export async function runMain(
  action: string,
  main: (io: ActionIO) => Promise<void>,
  opts: RunOptions = {},
): Promise<MainResult> {
  const setup = runnerSetup(action, opts);
  // PATH, HOME and LANG stay this process's own unless the test sets them.
  const runnerEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(setup.env)) {
    const own = ['PATH', 'HOME', 'LANG'].includes(k) && !(opts.env && k in opts.env);
    if (!k.startsWith('INPUT_') && !own) runnerEnv[k] = v;
  }
  // runnerSetup names inputs as the runner does (INPUT_<NAME>, action.yml defaults filled in): read
  // them from there, not from process.env, so nothing leaks between tests.
  const io = new RecordingIO(new Inputs((name) => setup.env[inputEnvName(name)] ?? ''));
  const saved = new Map<string, string | undefined>();
  const set = (k: string, v: string | undefined) => {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  for (const [k, v] of Object.entries(runnerEnv)) set(k, v);
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) set(k, undefined);
  let error: unknown;
  try {
    await main(io);
  } catch (err) {
    error = err;
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(setup.dir, { recursive: true, force: true });
  }
  let failure: string | undefined;
  if (error !== undefined) {
    const message = io.secrets.scrub(errorMessage(error));
    failure =
      error instanceof UserError
        ? message
        : `${action} hit an unexpected error: ${message}. This is a bug; please report it with this log.`;
  }
  return { io, error, failure };
}
