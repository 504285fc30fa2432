/**
 * The smoke journey: a YAML list of HTTP steps (login → use the token → list things), each with an
 * expected status, JSON conditions and captures. `${NAME}` takes a capture or an environment variable
 * that `smoke-variables` allows — never any other (the runner's tokens, other inputs); steps call the
 * gate URL's origin unless `smoke-origins` allows another, and the `headers` input never leaves that
 * origin. Parsing validates everything up front (unknown `${NAME}` is a config error naming the step).
 */
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../../lib/errors.js';
import { http, NetworkError } from '../../../lib/http.js';
import { type Outcome, type ProbeResult, SMOKE_CHECK } from './decide.js';
import {
  type Condition,
  checkConditions,
  describeStatuses,
  networkDetail,
  parseCondition,
  parseExpectStatus,
  RATE_LIMITED,
  readPath,
  type StatusMatcher,
  statusMatches,
  valueText,
} from './probe.js';

export interface SmokeStep {
  name: string;
  method: string;
  /** Relative to the origin of the first `url` input. */
  path?: string;
  /** Absolute URL instead of `path`. */
  url?: string;
  headers: Record<string, string>;
  json?: unknown;
  expectStatus: StatusMatcher;
  expectJson: Condition[];
  /** Capture name → JSON path in the response. */
  capture: Record<string, string>;
  /** Captures whose values are secrets: the name looks secret, or a later step sends it in headers or body. */
  secretCaptures: string[];
}

const STEP_KEYS = new Set([
  'name',
  'method',
  'path',
  'url',
  'headers',
  'json',
  'expect-status',
  'expect-json',
  'capture',
]);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Names whose values are credentials (`access_token`, `SMOKE_PASSWORD`, `api_key`, `session_id`). */
const SECRET_NAME = /token|secret|password|key|session|cookie/i;
/**
 * Shorter values are never registered: masking `true`, `healthy` or a short id would turn outputs
 * such as `healthy` or `observed-version` into `***`, and such values are no credentials.
 */
export const MIN_SECRET_LENGTH = 8;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** What a journey may reach: environment variables by name or `PREFIX*`, and origins. */
export interface SmokePolicy {
  /** Allowed environment variable names; `SMOKE_*` allows every name starting with SMOKE_. */
  variables: string[];
  /** The gate URL's origin: `path` steps go there, and only there go the `headers` input. */
  origin: string;
  /** Other origins `url` steps may call (scheme://host[:port]). */
  otherOrigins: string[];
}

/** The default allow-list: the names the service's own journey (service/smoke.yml) uses. */
export const DEFAULT_SMOKE_VARIABLES = ['SMOKE_*'];
/** Runner internals and action inputs: never reachable, whatever the allow-list says. */
const FORBIDDEN_PREFIXES = ['ACTIONS_', 'INPUT_'];

/** Validates `smoke-variables` entries (`NAME` or `PREFIX*`); `what` names the input in errors. */
export function parseVariablePatterns(items: string[], what: string): string[] {
  for (const item of items) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(item)) {
      throw new UserError(
        `${what} has "${item}", which is not a variable name or a PREFIX* pattern: write names like SMOKE_EMAIL or SMOKE_*, one per line.`,
      );
    }
    const prefix = item.replace(/\*$/, '');
    const reaches = (p: string) =>
      item.endsWith('*') ? p.startsWith(prefix) || prefix.startsWith(p) : prefix.startsWith(p);
    if (FORBIDDEN_PREFIXES.some(reaches)) {
      throw new UserError(
        `${what} has "${item}", which would expose the runner's own variables (ACTIONS_*, INPUT_*): pass the value under "env:" with a name like SMOKE_VALUE instead.`,
      );
    }
  }
  return items;
}

export function variableAllowed(name: string, patterns: readonly string[]): boolean {
  if (FORBIDDEN_PREFIXES.some((p) => name.startsWith(p))) return false;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** Only the allowed variables of `env`: the journey never sees the rest. */
export function allowedEnv(
  env: Record<string, string | undefined>,
  patterns: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && variableAllowed(k, patterns)) out[k] = v;
  return out;
}

/** `smoke-origins` entries as origins; `what` names the input in errors. */
export function parseOrigins(items: string[], what: string): string[] {
  return items.map((item) => {
    let u: URL | undefined;
    try {
      u = new URL(item);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || item.replace(/\/$/, '') !== u.origin) {
      throw new UserError(
        `${what} has "${item}", which is not an origin: write scheme and host only, like https://auth.example.com.`,
      );
    }
    return u.origin;
  });
}

/** The origin of `url` when the policy lets a step call it, else undefined. */
export function allowedOrigin(url: string, policy: SmokePolicy): string | undefined {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  return origin === policy.origin || policy.otherOrigins.includes(origin) ? origin : undefined;
}

/**
 * Parses and validates a journey. `env` is where `${NAME}` looks besides earlier captures, limited to
 * `policy.variables`; `file` names the file in messages.
 */
export function parseSmokeJourney(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  given: Partial<SmokePolicy> = {},
): SmokeStep[] {
  // Without an origin (parsing outside the gate) only the variables are checked.
  const policy: SmokePolicy = {
    variables: given.variables ?? DEFAULT_SMOKE_VARIABLES,
    origin: given.origin ?? '',
    otherOrigins: given.otherOrigins ?? [],
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UserError(
      `smoke-file ${file} is not valid YAML (${(err as Error).message.split('\n')[0]}): fix the syntax.`,
    );
  }
  const steps = (doc as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new UserError(
      `smoke-file ${file} has no "steps:" list: write at least one step with a name and a path.`,
    );
  }
  const captured = new Set<string>();
  const parsed = steps.map((raw, i): SmokeStep => {
    const where = `smoke-file ${file} step ${i + 1}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new UserError(
        `${where} is not a mapping: write it as "- name: …" with path, method and expectations.`,
      );
    }
    const s = raw as Record<string, unknown>;
    if (typeof s.name !== 'string' || s.name.trim() === '') {
      throw new UserError(`${where} has no "name": give every step a name so failures can point to it.`);
    }
    const name = s.name.trim();
    const at = `smoke-file ${file} step "${name}"`;
    const unknown = Object.keys(s).filter((k) => !STEP_KEYS.has(k));
    if (unknown.length > 0) {
      throw new UserError(
        `${at} has unknown key(s) ${unknown.join(', ')}: allowed are ${[...STEP_KEYS].join(', ')}.`,
      );
    }
    const method = String(s.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method))
      throw new UserError(`${at} has method "${method}": use GET, POST, PUT, PATCH or DELETE.`);
    const path = optionalString(s.path, `${at} "path"`);
    const url = optionalString(s.url, `${at} "url"`);
    if ((path === undefined) === (url === undefined)) {
      throw new UserError(
        `${at} needs exactly one of "path" (relative to the first url) or "url" (absolute).`,
      );
    }
    if (url !== undefined && !/^https?:\/\/[^/\s]/.test(url)) {
      throw new UserError(`${at} has url "${url}", which must be an absolute http:// or https:// URL.`);
    }
    // A URL whose host is a ${NAME} is checked when it is known, before each request.
    const fixedHost = url !== undefined && !/^https?:\/\/[^/?#]*\$\{/.test(url);
    if (fixedHost && policy.origin !== '' && !allowedOrigin(url as string, policy)) {
      throw new UserError(
        `${at} calls ${displayOrigin(url as string)}, which is neither the gate URL's origin (${policy.origin}) nor in smoke-origins: use "path" for the service, or add that origin to smoke-origins if the journey must call it.`,
      );
    }
    if (path !== undefined && !path.startsWith('/')) {
      throw new UserError(`${at} has path "${path}", which must start with "/".`);
    }
    const headers: Record<string, string> = {};
    if (s.headers !== undefined) {
      if (s.headers === null || typeof s.headers !== 'object' || Array.isArray(s.headers)) {
        throw new UserError(`${at} "headers" must be a mapping of header name to value.`);
      }
      for (const [k, v] of Object.entries(s.headers)) headers[k] = valueText(v);
    }
    const expectStatus = parseExpectStatus(
      (s['expect-status'] ?? 200) as string | number | Array<string | number>,
      `${at} "expect-status"`,
    );
    const rawConditions = s['expect-json'] ?? [];
    if (!Array.isArray(rawConditions)) {
      throw new UserError(`${at} "expect-json" must be a list like ["token_type=bearer"].`);
    }
    const expectJson = rawConditions.map((c) => parseCondition(String(c), `${at} "expect-json"`));
    const capture: Record<string, string> = {};
    if (s.capture !== undefined) {
      if (s.capture === null || typeof s.capture !== 'object' || Array.isArray(s.capture)) {
        throw new UserError(
          `${at} "capture" must be a mapping of name to JSON path, like { token: access_token }.`,
        );
      }
      for (const [k, v] of Object.entries(s.capture)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
          throw new UserError(`${at} captures "${k}", which is not a valid name.`);
        capture[k] = String(v);
      }
    }
    for (const used of variablesIn([path, url, headers, s.json])) {
      if (captured.has(used)) continue;
      if (!variableAllowed(used, policy.variables)) {
        throw new UserError(
          `${at} uses \${${used}}, which no earlier step captures and smoke-variables does not allow: capture it in an earlier step, or add ${used} to smoke-variables and pass it under "env:".`,
        );
      }
      if (env[used] === undefined) {
        throw new UserError(
          `${at} uses \${${used}}, which no earlier step captures and the environment does not set: pass it under "env:" on the step or capture it in an earlier step.`,
        );
      }
    }
    for (const k of Object.keys(capture)) captured.add(k);
    return {
      name,
      method,
      path,
      url,
      headers,
      json: s.json,
      expectStatus,
      expectJson,
      capture,
      secretCaptures: [],
    };
  });
  // A capture is a secret when its name says so or a later step sends it in headers or a body (a
  // token); one only used in a path or URL (a project id) is shown, like the path itself.
  parsed.forEach((step, i) => {
    const sent = new Set(parsed.slice(i + 1).flatMap((later) => variablesIn([later.headers, later.json])));
    step.secretCaptures = Object.keys(step.capture).filter((name) => looksSecret(name) || sent.has(name));
  });
  return parsed;
}

function displayOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'another origin';
  }
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new UserError(`${what} must be a non-empty string.`);
  return value.trim();
}

/** Every `${NAME}` in strings anywhere inside `values`. */
export function variablesIn(values: unknown[]): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(VARIABLE)) found.add(m[1] as string);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return [...found];
}

/** Replaces `${NAME}` in every string inside `value` (captures win over the environment). */
export function substitute<T>(value: T, vars: (name: string) => string | undefined): T {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (whole, name: string) => vars(name) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)])) as T;
  }
  return value;
}

export interface StepResult {
  name: string;
  outcome: Outcome;
  status?: number;
  latencyMs: number;
  detail: string;
}

export interface SmokeOptions {
  /** `path` steps go to `policy.origin`; `url` steps only to it or `policy.otherOrigins`. */
  policy: SmokePolicy;
  timeoutMs: number;
  /** The allowed variables only (see `allowedEnv`). */
  env: Record<string, string | undefined>;
  /** Headers from the `headers` input, under each step's own headers, sent to `policy.origin` only. */
  headers: Record<string, string>;
  /**
   * Called with the values to mask: secret captures (see `SmokeStep.secretCaptures`) and substituted
   * environment variables whose name looks secret, each of at least MIN_SECRET_LENGTH characters.
   */
  onSecret: (value: string) => void;
}

export interface SmokeRun extends ProbeResult {
  steps: StepResult[];
}

/** Runs the journey once; stops at the first failing step. */
export async function runSmoke(steps: readonly SmokeStep[], opts: SmokeOptions): Promise<SmokeRun> {
  const captures = new Map<string, string>();
  const vars = (name: string) => {
    if (captures.has(name)) return captures.get(name);
    const value = opts.env[name];
    if (value !== undefined && looksSecret(name)) maskSecret(value, opts.onSecret);
    return value;
  };
  const results: StepResult[] = [];
  let total = 0;
  for (const step of steps) {
    const target = step.url
      ? substitute(step.url, vars)
      : `${opts.policy.origin}${substitute(step.path ?? '/', vars)}`;
    const origin = allowedOrigin(target, opts.policy);
    if (!origin) {
      // A captured value steered the step elsewhere: nothing is sent.
      const detail = `would call ${displayOrigin(target)}, which is neither the gate URL's origin nor in smoke-origins; not sent`;
      results.push({ name: step.name, outcome: 'fail', latencyMs: 0, detail });
      return smokeResult('fail', results, total, `step "${step.name}" ${detail}`);
    }
    const inputHeaders = origin === opts.policy.origin ? opts.headers : {};
    const started = performance.now();
    let status: number | undefined;
    try {
      const res = await http(target, {
        method: step.method,
        headers: { accept: 'application/json', ...inputHeaders, ...substitute(step.headers, vars) },
        json: step.json === undefined ? undefined : substitute(step.json, vars),
        timeoutMs: opts.timeoutMs,
        retry: { retries: 0 },
        service: `smoke step "${step.name}"`,
        maxBodyBytes: 1_000_000,
      });
      status = res.status;
      total += res.durationMs;
      if (res.status === 429 && !statusMatches(res.status, step.expectStatus)) {
        results.push({
          name: step.name,
          outcome: 'inconclusive',
          status,
          latencyMs: res.durationMs,
          detail: RATE_LIMITED,
        });
        return smokeResult('inconclusive', results, total, `step "${step.name}" ${RATE_LIMITED}`, status);
      }
      const failed = judgeStep(step, res.status, res.text, captures, opts.onSecret);
      const result: StepResult = {
        name: step.name,
        outcome: failed ? 'fail' : 'pass',
        status,
        latencyMs: res.durationMs,
        detail: failed ?? `answered ${status}`,
      };
      results.push(result);
      if (failed) {
        return smokeResult(
          'fail',
          results,
          total,
          `step "${step.name}" ${failed}`,
          status,
          res.text.slice(0, 2000),
        );
      }
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      const latencyMs = performance.now() - started;
      total += latencyMs;
      const detail = networkDetail(err, opts.timeoutMs);
      results.push({ name: step.name, outcome: 'error', latencyMs, detail });
      return smokeResult('error', results, total, `step "${step.name}" ${detail}`);
    }
  }
  return smokeResult(
    'pass',
    results,
    total,
    `passed ${results.length} step${results.length === 1 ? '' : 's'}`,
  );
}

/** Checks a step's answer and records its captures (masking the secret ones); returns what went wrong, or undefined. */
export function judgeStep(
  step: SmokeStep,
  status: number,
  text: string,
  captures: Map<string, string>,
  onSecret: (value: string) => void = () => {},
): string | undefined {
  if (!statusMatches(status, step.expectStatus)) {
    return `answered ${status}, expected ${describeStatuses(step.expectStatus)}`;
  }
  const needsJson = step.expectJson.length > 0 || Object.keys(step.capture).length > 0;
  if (!needsJson) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `answered ${status} but the body is not JSON`;
  }
  const mismatch = checkConditions(json, step.expectJson);
  if (mismatch) return `answered ${status} but ${mismatch}`;
  for (const [name, path] of Object.entries(step.capture)) {
    const got = readPath(json, path);
    if (!got.found || got.value === null)
      return `answered ${status} but has no "${path}" to capture as ${name}`;
    const value = valueText(got.value);
    if (step.secretCaptures.includes(name)) maskSecret(value, onSecret);
    captures.set(name, value);
  }
  return undefined;
}

function maskSecret(value: string, onSecret: (value: string) => void): void {
  if (value.length >= MIN_SECRET_LENGTH) onSecret(value);
}

function smokeResult(
  outcome: Outcome,
  steps: StepResult[],
  latencyMs: number,
  detail: string,
  status?: number,
  body?: string,
): SmokeRun {
  return {
    target: SMOKE_CHECK,
    kind: 'smoke',
    outcome,
    status,
    latencyMs,
    answered: outcome !== 'error',
    detail,
    body,
    steps,
  };
}
