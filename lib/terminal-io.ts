import type { Writable } from 'node:stream';
import type { ActionIO } from './action.js';
import { Inputs } from './inputs.js';
import { Secrets } from './mask.js';

/** How a terminal run presents itself: colours only on a TTY without NO_COLOR, debug with --verbose. */
export interface TerminalOptions {
  /** Input values by their action.yml names (flags and environment variables already merged). */
  inputs: Record<string, string>;
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  verbose?: boolean;
  /** Results as one JSON document on stdout instead of text. */
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Share one registry between runs of several actions in one command. */
  secrets?: Secrets;
}

export interface TerminalRun {
  io: ActionIO;
  outputs: Record<string, string>;
  /** Job-summary Markdown the action wrote, secrets scrubbed. */
  summaries: string[];
  /** Prints the results (outputs and summaries) to stdout, as text or JSON. */
  finish(extra?: Record<string, unknown>): void;
}

/** Whether to colour a stream: a TTY, NO_COLOR unset (https://no-color.org), TERM not dumb. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

/** Wraps text in an SGR colour code when `on` (31 red, 33 yellow, 2 dim, 1 bold). */
export const paint = (on: boolean, code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * Renders job-summary Markdown for a terminal: HTML tags and comments dropped, headings and table
 * rules kept readable. Mermaid charts are left out (the numbers are in the tables).
 */
export function markdownForTerminal(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/```mermaid[\s\S]*?```\n?/g, '')
    .replace(/<summary>([\s\S]*?)<\/summary>/g, '$1\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/^#{1,6} +/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The ActionIO of a command-line run: the same `main()` as the action, with progress on stderr and
 * results on stdout. Secrets are scrubbed exactly as the runner's masking would.
 */
export function terminalIO(opts: TerminalOptions): TerminalRun {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const color = useColor(stderr, env);
  const dim = paint(color, 2);
  const yellow = paint(color, 33);
  const red = paint(color, 31);
  const bold = paint(color, 1);
  const secrets = opts.secrets ?? new Secrets();
  const scrub = (s: string) => secrets.scrub(s);
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const line = (s: string) => stderr.write(`${s}\n`);
  const io: ActionIO = {
    inputs: new Inputs((name) => opts.inputs[name] ?? ''),
    secrets,
    setOutput: (name, value) => {
      outputs[name] = scrub(String(value));
    },
    info: (m) => line(scrub(m)),
    warning: (m) => line(yellow(`warning: ${scrub(m)}`)),
    error: (m) => line(red(`error: ${scrub(m)}`)),
    debug: (m) => {
      if (opts.verbose) line(dim(scrub(m)));
    },
    async summary(markdown) {
      summaries.push(scrub(markdown));
    },
    async group(title, fn) {
      line(bold(scrub(title)));
      return fn();
    },
  };
  return {
    io,
    outputs,
    summaries,
    finish(extra = {}) {
      if (opts.json) {
        stdout.write(`${JSON.stringify({ ...extra, outputs, summary: summaries.join('\n\n') }, null, 2)}\n`);
        return;
      }
      for (const md of summaries) stdout.write(`${markdownForTerminal(md)}\n\n`);
      const width = Math.max(0, ...Object.keys(outputs).map((k) => k.length));
      for (const [k, v] of Object.entries(outputs)) {
        if (k === 'report') continue; // the summary above is the report
        stdout.write(`${k.padEnd(width)}  ${v.includes('\n') ? JSON.stringify(v) : v}\n`);
      }
    },
  };
}
