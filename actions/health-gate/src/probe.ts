/**
 * One HTTP probe, and the pure rules that judge its answer: expected status, `path=value` JSON
 * conditions and the version check (an answer that reports another version is pending).
 */

import { formatDuration } from '../../../lib/duration.js';
import { UserError } from '../../../lib/errors.js';
import { http, NetworkError } from '../../../lib/http.js';
import { safeLogLine } from '../../../lib/untrusted.js';
import type { Outcome, ProbeResult } from './decide.js';
import { displayUrl } from './text.js';

/** Exact statuses and status classes (`2xx` → 200..299). */
export type StatusMatcher = Array<{ min: number; max: number }>;

export interface Condition {
  path: string;
  expected: string;
  /** As the user wrote it, for messages. */
  text: string;
}

export interface Expectations {
  statuses: StatusMatcher;
  conditions: Condition[];
  expectVersion?: string;
  versionPath: string;
}

/** `200`, `200, 204`, `2xx`, or a YAML list of numbers; `what` names the input in errors. */
export function parseExpectStatus(
  value: string | number | Array<string | number>,
  what: string,
): StatusMatcher {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(/[\s,]+/);
  const out: StatusMatcher = [];
  for (const item of items.map((s) => s.trim()).filter(Boolean)) {
    const cls = /^([1-5])xx$/i.exec(item);
    if (cls) out.push({ min: Number(cls[1]) * 100, max: Number(cls[1]) * 100 + 99 });
    else if (/^[1-5]\d\d$/.test(item)) out.push({ min: Number(item), max: Number(item) });
    else
      throw new UserError(
        `${what} has "${item}", which is not an HTTP status: write 200, a list like 200, 204, or a class like 2xx.`,
      );
  }
  if (out.length === 0) throw new UserError(`${what} is empty: write an HTTP status such as 200.`);
  return out;
}

export function statusMatches(status: number, matcher: StatusMatcher): boolean {
  return matcher.some((m) => status >= m.min && status <= m.max);
}

export function describeStatuses(matcher: StatusMatcher): string {
  return matcher.map((m) => (m.min === m.max ? String(m.min) : `${m.min / 100}xx`)).join(' or ');
}

/** `checks.database.status=ok` → {path, expected}; splits at the first `=`. */
export function parseCondition(text: string, what: string): Condition {
  const at = text.indexOf('=');
  const path = text.slice(0, at).trim();
  if (at <= 0 || path === '') {
    throw new UserError(
      `${what} has "${text}", which is not a path=value condition: write it like status=healthy.`,
    );
  }
  return { path, expected: text.slice(at + 1).trim(), text };
}

/** Reads `a.b.0.c` from parsed JSON; numeric segments index arrays. */
export function readPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      if (Number(segment) >= current.length) return { found: false };
      current = current[Number(segment)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/** A JSON value as the text conditions compare against (`true`, `42`, `ok`, `null`). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'undefined';
}

/** Checks every condition; returns the first mismatch as a phrase, or undefined when all hold. */
export function checkConditions(json: unknown, conditions: readonly Condition[]): string | undefined {
  for (const c of conditions) {
    const got = readPath(json, c.path);
    if (!got.found) return `has no "${c.path}" in its JSON (expected ${c.text})`;
    if (valueText(got.value) !== c.expected) {
      return `has ${c.path}=${short(valueText(got.value))}, expected ${c.expected}`;
    }
  }
  return undefined;
}

/** Same version, or one is a prefix of the other (a short SHA) of at least 7 characters. */
export function versionMatches(observed: string, expected: string): boolean {
  const a = observed.trim().toLowerCase();
  const b = expected.trim().toLowerCase();
  if (a === b) return true;
  return Math.min(a.length, b.length) >= 7 && (a.startsWith(b) || b.startsWith(a));
}

/**
 * A 429 says neither "healthy" nor "broken": the service (or a proxy before it) turned the gate away.
 * Argo calls a measurement that meets neither condition inconclusive; inconclusive-limit bounds them.
 */
export const RATE_LIMITED = 'answered 429 (rate limited): neither a pass nor a failure';

export interface Judgement {
  outcome: Exclude<Outcome, 'error'>;
  detail: string;
  observedVersion?: string;
}

/**
 * Judges one answer. With `expect-version`, an answer that reports another version is pending before
 * anything else is judged: the old deploy's health (even a 503 or `status: degraded`) says nothing
 * about the new one. Then status, JSON conditions, and a healthy answer without a version is pending.
 */
export function judgeResponse(res: { status: number; text: string }, exp: Expectations): Judgement {
  const needsJson = exp.conditions.length > 0 || exp.expectVersion !== undefined;
  let json: unknown;
  let isJson = false;
  if (needsJson) {
    try {
      json = JSON.parse(res.text);
      isJson = true;
    } catch {
      // Judged below: a body that is not JSON fails when the status is right.
    }
  }
  const version = isJson ? readPath(json, exp.versionPath) : { found: false };
  // The version is remote text that reaches the log and an output: no control characters.
  const observedVersion =
    version.found && version.value !== null ? safeLogLine(valueText(version.value)) : undefined;
  if (
    exp.expectVersion !== undefined &&
    observedVersion !== undefined &&
    !versionMatches(observedVersion, exp.expectVersion)
  ) {
    const healthy = statusMatches(res.status, exp.statuses) && !checkConditions(json, exp.conditions);
    return {
      outcome: 'pending',
      detail: `answered ${healthy ? 'healthy' : res.status} from version ${short(observedVersion)}, waiting for ${exp.expectVersion}`,
      observedVersion,
    };
  }
  if (res.status === 429 && !statusMatches(res.status, exp.statuses)) {
    return { outcome: 'inconclusive', detail: RATE_LIMITED };
  }
  if (!statusMatches(res.status, exp.statuses)) {
    return {
      outcome: 'fail',
      detail: `answered ${res.status}, expected ${describeStatuses(exp.statuses)}`,
      ...(observedVersion !== undefined ? { observedVersion } : {}),
    };
  }
  if (!needsJson) return { outcome: 'pass', detail: `answered ${res.status}` };
  if (!isJson) return { outcome: 'fail', detail: `answered ${res.status} but the body is not JSON` };
  const mismatch = checkConditions(json, exp.conditions);
  if (mismatch) return { outcome: 'fail', detail: `answered ${res.status} but ${mismatch}`, observedVersion };
  if (exp.expectVersion !== undefined && observedVersion === undefined) {
    return {
      outcome: 'pending',
      detail: `answered healthy without a version at "${exp.versionPath}" (an older deploy, or check version-path)`,
    };
  }
  return { outcome: 'pass', detail: `answered ${res.status}`, observedVersion };
}

export interface ProbeOptions {
  timeoutMs: number;
  headers: Record<string, string>;
}

/** One GET with a per-request timeout and no retries: the gate itself is the retry loop. */
export async function probeUrl(url: string, exp: Expectations, opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const res = await http(url, {
      method: 'GET',
      headers: { accept: 'application/json, */*;q=0.5', ...opts.headers },
      timeoutMs: opts.timeoutMs,
      retry: { retries: 0 },
      service: displayUrl(url),
      maxBodyBytes: 1_000_000,
    });
    const judged = judgeResponse(res, exp);
    return {
      target: displayUrl(url),
      kind: 'url',
      outcome: judged.outcome,
      status: res.status,
      latencyMs: res.durationMs,
      answered: true,
      observedVersion: judged.observedVersion,
      detail: judged.detail,
      body: judged.outcome === 'fail' ? res.text.slice(0, 2000) : undefined,
    };
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    return {
      target: displayUrl(url),
      kind: 'url',
      outcome: 'error',
      latencyMs: performance.now() - started,
      answered: false,
      detail: networkDetail(err, opts.timeoutMs),
    };
  }
}

/** `no answer within 300ms (timeout)` / `got no answer: connection refused (ECONNREFUSED)`. */
export function networkDetail(err: NetworkError, timeoutMs: number): string {
  if (err.code === 'TIMEOUT') return `gave no answer within ${formatDuration(timeoutMs)} (timeout)`;
  return `gave no answer: ${err.detail}`;
}

/** Remote text as a short, single-line phrase. */
function short(text: string, max = 60): string {
  const plain = safeLogLine(text);
  return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}
