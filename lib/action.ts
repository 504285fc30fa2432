import * as core from '@actions/core';
import { errorMessage, UserError } from './errors.js';
import { Inputs } from './inputs.js';
import { Secrets } from './mask.js';

/** Where an annotation belongs: a file and line of the repository (shown on the PR diff) and a title. */
export interface AnnotationPlace {
  /** Path relative to the repository root. */
  file?: string;
  startLine?: number;
  title?: string;
}

/**
 * The small surface an action's `main` works against: inputs, outputs, logs, secrets, summary.
 * `runAction` binds it to the runner (via @actions/core); tests and CLIs can bind it elsewhere.
 */
export interface ActionIO {
  inputs: Inputs;
  secrets: Secrets;
  setOutput(name: string, value: string | number | boolean): void;
  info(message: string): void;
  warning(message: string, place?: AnnotationPlace): void;
  error(message: string, place?: AnnotationPlace): void;
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
    warning: (m, place) => core.warning(scrub(m), place && scrubPlace(place, scrub)),
    error: (m, place) => core.error(scrub(m), place && scrubPlace(place, scrub)),
    debug: (m) => core.debug(scrub(m)),
    async summary(markdown) {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(scrub(markdown), true).write();
    },
    group: (title, fn) => core.group(scrub(title), fn),
  };
}

function scrubPlace(place: AnnotationPlace, scrub: (s: string) => string): core.AnnotationProperties {
  return {
    ...(place.file ? { file: scrub(place.file) } : {}),
    ...(place.startLine ? { startLine: place.startLine } : {}),
    ...(place.title ? { title: scrub(place.title) } : {}),
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
