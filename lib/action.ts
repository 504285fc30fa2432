import * as core from '@actions/core';
import { errorMessage, UserError } from './errors.js';
import { Inputs } from './inputs.js';
import { Secrets } from './mask.js';

/**
 * The small surface an action's `main` works against: inputs, outputs, logs, secrets, summary.
 * `runAction` binds it to the runner (via @actions/core); tests and CLIs can bind it elsewhere.
 */
export interface ActionIO {
  inputs: Inputs;
  secrets: Secrets;
  setOutput(name: string, value: string | number | boolean): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Appends Markdown to the job summary (secrets scrubbed). */
  summary(markdown: string): Promise<void>;
  /** Adds a named group around some log lines. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export function runnerIO(): ActionIO {
  const secrets = new Secrets((value) => core.setSecret(value));
  const scrub = (s: string) => secrets.scrub(s);
  return {
    inputs: new Inputs(),
    secrets,
    setOutput: (name, value) => core.setOutput(name, scrub(String(value))),
    info: (m) => core.info(scrub(m)),
    warning: (m) => core.warning(scrub(m)),
    error: (m) => core.error(scrub(m)),
    debug: (m) => core.debug(scrub(m)),
    async summary(markdown) {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(scrub(markdown), true).write();
    },
    group: (title, fn) => core.group(scrub(title), fn),
  };
}

/**
 * Runs an action's main function the way every action in this suite ends: a UserError becomes one
 * failed-step sentence, anything else becomes one sentence that says it is a bug. No stack traces
 * unless the run has debug logging on.
 */
export async function runAction(name: string, main: (io: ActionIO) => Promise<void>): Promise<void> {
  const io = runnerIO();
  try {
    await main(io);
  } catch (err) {
    const message = io.secrets.scrub(errorMessage(err));
    if (err instanceof UserError) {
      core.setFailed(message);
    } else {
      core.setFailed(
        `${name} hit an unexpected error: ${message}. This is a bug; please report it with this log.`,
      );
      if (err instanceof Error && err.stack) io.debug(err.stack);
    }
  }
}
