import { parseDuration } from './duration.js';
import { UserError } from './errors.js';

/** Reads one raw input by its action.yml name. */
export type InputSource = (name: string) => string;

/** How the runner passes inputs: INPUT_<NAME>, upper-cased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export const envInputs: InputSource = (name) => (process.env[inputEnvName(name)] ?? '').trim();

interface Common {
  /** Extra advice appended to the "is required" or "is invalid" sentence. */
  hint?: string;
}

/**
 * Typed, validated access to an action's inputs. Every `Config` reads all of its inputs through
 * one of these before doing any work, so a bad input fails fast with one sentence.
 */
export class Inputs {
  constructor(private readonly source: InputSource = envInputs) {}

  raw(name: string): string {
    return this.source(name).trim();
  }

  optional(name: string): string | undefined {
    const value = this.raw(name);
    return value === '' ? undefined : value;
  }

  required(name: string, opts: Common = {}): string {
    const value = this.raw(name);
    if (value === '') {
      throw new UserError(
        `Input "${name}" is required but was empty: set it under "with:" in the step${opts.hint ? ` (${opts.hint})` : ''}.`,
      );
    }
    return value;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name).toLowerCase();
    if (value === '') return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new UserError(`Input "${name}" must be true or false, not "${this.raw(name)}".`);
  }

  int(
    name: string,
    fallback: number | undefined,
    opts: { min?: number; max?: number } = {},
  ): number | undefined {
    const text = this.raw(name);
    if (text === '') return fallback;
    if (!/^-?\d+$/.test(text)) throw new UserError(`Input "${name}" must be a whole number, not "${text}".`);
    const value = Number(text);
    if (opts.min !== undefined && value < opts.min) {
      throw new UserError(`Input "${name}" must be at least ${opts.min}, not ${value}.`);
    }
    if (opts.max !== undefined && value > opts.max) {
      throw new UserError(`Input "${name}" must be at most ${opts.max}, not ${value}.`);
    }
    return value;
  }

  number(name: string, fallback: number | undefined, opts: { min?: number } = {}): number | undefined {
    const text = this.raw(name);
    if (text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new UserError(`Input "${name}" must be a number, not "${text}".`);
    if (opts.min !== undefined && value < opts.min) {
      throw new UserError(`Input "${name}" must be at least ${opts.min}, not ${value}.`);
    }
    return value;
  }

  /** Duration in milliseconds (`500ms`, `5s`, `2m`, `1h`, or bare seconds). */
  duration(name: string, fallback: string): number;
  duration(name: string, fallback?: undefined): number | undefined;
  duration(name: string, fallback?: string): number | undefined {
    const text = this.raw(name) || fallback;
    if (text === undefined || text === '') return undefined;
    return parseDuration(text, `Input "${name}"`);
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name) || fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UserError(`Input "${name}" must be one of ${allowed.join(', ')}, not "${value}".`);
    }
    return value as T;
  }

  /** Items separated by newlines (and, when `commas` is set, commas or spaces); blanks dropped. */
  list(name: string, opts: { commas?: boolean } = {}): string[] {
    const sep = opts.commas ? /[\n,\s]+/ : /\r?\n/;
    return this.raw(name)
      .split(sep)
      .map((s) => s.trim())
      .filter((s) => s !== '' && !s.startsWith('#'));
  }

  /** An http(s) URL; `required` throws when empty. */
  url(name: string, opts: Common & { required?: boolean } = {}): string | undefined {
    const text = opts.required ? this.required(name, opts) : this.optional(name);
    if (text === undefined) return undefined;
    return checkUrl(text, `Input "${name}"`);
  }
}

export function checkUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${what} is not a valid URL: write it in full, like https://example.com/path.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${what} must be an http:// or https:// URL, not ${url.protocol}//…`);
  }
  return text;
}

/** True for a host name that never leaves this machine: localhost, *.localhost, ::1, 127.x.x.x. */
export function isLoopbackName(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
