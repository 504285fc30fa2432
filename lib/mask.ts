/**
 * Secret handling shared by every action: a registry of values that must never appear in a log,
 * an output, a job summary or a PR comment. `register` also tells the runner to mask the value.
 */
export type MaskSink = (value: string) => void;

export class Secrets {
  readonly #values = new Set<string>();
  constructor(private readonly sink: MaskSink = () => {}) {}

  /** Registers a secret (and, for URLs, the password and token parts inside it). */
  register(value: string | undefined): void {
    if (!value) return;
    for (const part of secretParts(value)) {
      if (part.length < 4 || this.#values.has(part)) continue;
      this.#values.add(part);
      this.sink(part);
    }
  }

  /** Replaces every registered secret in `text` with `***`. */
  scrub(text: string): string {
    let out = text;
    // Longest first so a URL is replaced whole before its password part.
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join('***');
    }
    return out;
  }

  get size(): number {
    return this.#values.size;
  }
}

/** A secret plus the pieces of it that can leak on their own (URL passwords, encoded forms). */
export function secretParts(value: string): string[] {
  const parts = [value];
  const trimmed = value.trim();
  if (trimmed !== value) parts.push(trimmed);
  try {
    const url = new URL(trimmed);
    if (url.password) {
      parts.push(url.password);
      const decoded = safeDecode(url.password);
      if (decoded !== url.password) parts.push(decoded);
    }
    // Slack/Discord-style webhook URLs carry the secret in the path.
    if (/hooks\.|\/services\/|\/webhooks?\//.test(url.href) && url.pathname.length > 1) {
      parts.push(url.pathname);
    }
    for (const [key, v] of url.searchParams) {
      if (/pass|token|secret|key|sig/i.test(key) && v) parts.push(v);
    }
  } catch {
    // Not a URL: the value itself is the secret.
  }
  return parts;
}

/** decodeURIComponent that leaves malformed escapes as they are. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
