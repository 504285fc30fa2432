export const id = 427;
export const ids = [427];
export const modules = {

/***/ 2427:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
// EXTERNAL MODULE: ./lib/github.ts
var github = __webpack_require__(2183);
// EXTERNAL MODULE: ./lib/http.ts + 1 modules
var http = __webpack_require__(8706);
// EXTERNAL MODULE: ./lib/mask.ts
var mask = __webpack_require__(9836);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/inputs.ts
var lib_inputs = __webpack_require__(453);
;// CONCATENATED MODULE: ./actions/health-gate/src/probe.ts
/**
 * One HTTP probe, and the pure rules that judge its answer: expected status, `path=value` JSON
 * conditions and the version check (an answer that reports another version is pending).
 */



/** `200`, `200, 204`, `2xx`, or a YAML list of numbers; `what` names the input in errors. */
function parseExpectStatus(value, what) {
    const items = Array.isArray(value) ? value.map(String) : String(value).split(/[\s,]+/);
    const out = [];
    for (const item of items.map((s) => s.trim()).filter(Boolean)) {
        const cls = /^([1-5])xx$/i.exec(item);
        if (cls)
            out.push({ min: Number(cls[1]) * 100, max: Number(cls[1]) * 100 + 99 });
        else if (/^[1-5]\d\d$/.test(item))
            out.push({ min: Number(item), max: Number(item) });
        else
            throw new errors/* UserError */.y(`${what} has "${item}", which is not an HTTP status: write 200, a list like 200, 204, or a class like 2xx.`);
    }
    if (out.length === 0)
        throw new errors/* UserError */.y(`${what} is empty: write an HTTP status such as 200.`);
    return out;
}
function statusMatches(status, matcher) {
    return matcher.some((m) => status >= m.min && status <= m.max);
}
function describeStatuses(matcher) {
    return matcher.map((m) => (m.min === m.max ? String(m.min) : `${m.min / 100}xx`)).join(' or ');
}
/** `checks.database.status=ok` → {path, expected}; splits at the first `=`. */
function parseCondition(text, what) {
    const at = text.indexOf('=');
    const path = text.slice(0, at).trim();
    if (at <= 0 || path === '') {
        throw new errors/* UserError */.y(`${what} has "${text}", which is not a path=value condition: write it like status=healthy.`);
    }
    return { path, expected: text.slice(at + 1).trim(), text };
}
/** Reads `a.b.0.c` from parsed JSON; numeric segments index arrays. */
function readPath(value, path) {
    let current = value;
    for (const segment of path.split('.')) {
        if (Array.isArray(current) && /^\d+$/.test(segment)) {
            if (Number(segment) >= current.length)
                return { found: false };
            current = current[Number(segment)];
        }
        else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
            current = current[segment];
        }
        else {
            return { found: false };
        }
    }
    return { found: true, value: current };
}
/** A JSON value as the text conditions compare against (`true`, `42`, `ok`, `null`). */
function valueText(value) {
    if (typeof value === 'string')
        return value;
    return JSON.stringify(value) ?? 'undefined';
}
/** Checks every condition; returns the first mismatch as a phrase, or undefined when all hold. */
function checkConditions(json, conditions) {
    for (const c of conditions) {
        const got = readPath(json, c.path);
        if (!got.found)
            return `has no "${c.path}" in its JSON (expected ${c.text})`;
        if (valueText(got.value) !== c.expected) {
            return `has ${c.path}=${probe_short(valueText(got.value))}, expected ${c.expected}`;
        }
    }
    return undefined;
}
/** Same version, or one is a prefix of the other (a short SHA) of at least 7 characters. */
function versionMatches(observed, expected) {
    const a = observed.trim().toLowerCase();
    const b = expected.trim().toLowerCase();
    if (a === b)
        return true;
    return Math.min(a.length, b.length) >= 7 && (a.startsWith(b) || b.startsWith(a));
}
/**
 * Judges one answer. With `expect-version`, an answer that reports another version is pending before
 * anything else is judged: the old deploy's health (even a 503 or `status: degraded`) says nothing
 * about the new one. Then status, JSON conditions, and a healthy answer without a version is pending.
 */
function judgeResponse(res, exp) {
    const needsJson = exp.conditions.length > 0 || exp.expectVersion !== undefined;
    let json;
    let isJson = false;
    if (needsJson) {
        try {
            json = JSON.parse(res.text);
            isJson = true;
        }
        catch {
            // Judged below: a body that is not JSON fails when the status is right.
        }
    }
    const version = isJson ? readPath(json, exp.versionPath) : { found: false };
    const observedVersion = version.found && version.value !== null ? valueText(version.value) : undefined;
    if (exp.expectVersion !== undefined &&
        observedVersion !== undefined &&
        !versionMatches(observedVersion, exp.expectVersion)) {
        const healthy = statusMatches(res.status, exp.statuses) && !checkConditions(json, exp.conditions);
        return {
            outcome: 'pending',
            detail: `answered ${healthy ? 'healthy' : res.status} from version ${probe_short(observedVersion)}, waiting for ${exp.expectVersion}`,
            observedVersion,
        };
    }
    if (!statusMatches(res.status, exp.statuses)) {
        return {
            outcome: 'fail',
            detail: `answered ${res.status}, expected ${describeStatuses(exp.statuses)}`,
            ...(observedVersion !== undefined ? { observedVersion } : {}),
        };
    }
    if (!needsJson)
        return { outcome: 'pass', detail: `answered ${res.status}` };
    if (!isJson)
        return { outcome: 'fail', detail: `answered ${res.status} but the body is not JSON` };
    const mismatch = checkConditions(json, exp.conditions);
    if (mismatch)
        return { outcome: 'fail', detail: `answered ${res.status} but ${mismatch}`, observedVersion };
    if (exp.expectVersion !== undefined && observedVersion === undefined) {
        return {
            outcome: 'pending',
            detail: `answered healthy without a version at "${exp.versionPath}" (an older deploy, or check version-path)`,
        };
    }
    return { outcome: 'pass', detail: `answered ${res.status}`, observedVersion };
}
/** One GET with a per-request timeout and no retries: the gate itself is the retry loop. */
async function probeUrl(url, exp, opts) {
    const started = performance.now();
    try {
        const res = await (0,http/* http */.LV)(url, {
            method: 'GET',
            headers: { accept: 'application/json, */*;q=0.5', ...opts.headers },
            timeoutMs: opts.timeoutMs,
            retry: { retries: 0 },
            service: url,
            maxBodyBytes: 1_000_000,
        });
        const judged = judgeResponse(res, exp);
        return {
            target: url,
            kind: 'url',
            outcome: judged.outcome,
            status: res.status,
            latencyMs: res.durationMs,
            answered: true,
            observedVersion: judged.observedVersion,
            detail: judged.detail,
            body: judged.outcome === 'fail' ? res.text.slice(0, 2000) : undefined,
        };
    }
    catch (err) {
        if (!(err instanceof http/* NetworkError */.Dr))
            throw err;
        return {
            target: url,
            kind: 'url',
            outcome: 'error',
            latencyMs: performance.now() - started,
            answered: false,
            detail: networkDetail(err, opts.timeoutMs),
        };
    }
}
/** `no answer within 300ms (timeout)` / `got no answer: connection refused (ECONNREFUSED)`. */
function networkDetail(err, timeoutMs) {
    if (err.code === 'TIMEOUT')
        return `gave no answer within ${(0,duration/* formatDuration */.a)(timeoutMs)} (timeout)`;
    return `gave no answer: ${err.detail}`;
}
function probe_short(text, max = 60) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./actions/health-gate/src/smoke.ts
/**
 * The smoke journey: a YAML list of HTTP steps (login → use the token → list things), each with an
 * expected status, JSON conditions and captures. `${NAME}` takes a capture or an environment variable.
 * Parsing validates everything up front (unknown `${NAME}` is a config error naming the step).
 */




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
const MIN_SECRET_LENGTH = 8;
function looksSecret(name) {
    return SECRET_NAME.test(name);
}
/**
 * Parses and validates a journey. `env` is where `${NAME}` looks besides earlier captures; `file`
 * names the file in messages.
 */
function parseSmokeJourney(text, file, env) {
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text);
    }
    catch (err) {
        throw new errors/* UserError */.y(`smoke-file ${file} is not valid YAML (${err.message.split('\n')[0]}): fix the syntax.`);
    }
    const steps = doc?.steps;
    if (!Array.isArray(steps) || steps.length === 0) {
        throw new errors/* UserError */.y(`smoke-file ${file} has no "steps:" list: write at least one step with a name and a path.`);
    }
    const captured = new Set();
    const parsed = steps.map((raw, i) => {
        const where = `smoke-file ${file} step ${i + 1}`;
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
            throw new errors/* UserError */.y(`${where} is not a mapping: write it as "- name: …" with path, method and expectations.`);
        }
        const s = raw;
        if (typeof s.name !== 'string' || s.name.trim() === '') {
            throw new errors/* UserError */.y(`${where} has no "name": give every step a name so failures can point to it.`);
        }
        const name = s.name.trim();
        const at = `smoke-file ${file} step "${name}"`;
        const unknown = Object.keys(s).filter((k) => !STEP_KEYS.has(k));
        if (unknown.length > 0) {
            throw new errors/* UserError */.y(`${at} has unknown key(s) ${unknown.join(', ')}: allowed are ${[...STEP_KEYS].join(', ')}.`);
        }
        const method = String(s.method ?? 'GET').toUpperCase();
        if (!METHODS.has(method))
            throw new errors/* UserError */.y(`${at} has method "${method}": use GET, POST, PUT, PATCH or DELETE.`);
        const path = optionalString(s.path, `${at} "path"`);
        const url = optionalString(s.url, `${at} "url"`);
        if ((path === undefined) === (url === undefined)) {
            throw new errors/* UserError */.y(`${at} needs exactly one of "path" (relative to the first url) or "url" (absolute).`);
        }
        if (url !== undefined && !/^https?:\/\/[^/\s]/.test(url)) {
            throw new errors/* UserError */.y(`${at} has url "${url}", which must be an absolute http:// or https:// URL.`);
        }
        if (path !== undefined && !path.startsWith('/')) {
            throw new errors/* UserError */.y(`${at} has path "${path}", which must start with "/".`);
        }
        const headers = {};
        if (s.headers !== undefined) {
            if (s.headers === null || typeof s.headers !== 'object' || Array.isArray(s.headers)) {
                throw new errors/* UserError */.y(`${at} "headers" must be a mapping of header name to value.`);
            }
            for (const [k, v] of Object.entries(s.headers))
                headers[k] = valueText(v);
        }
        const expectStatus = parseExpectStatus((s['expect-status'] ?? 200), `${at} "expect-status"`);
        const rawConditions = s['expect-json'] ?? [];
        if (!Array.isArray(rawConditions)) {
            throw new errors/* UserError */.y(`${at} "expect-json" must be a list like ["token_type=bearer"].`);
        }
        const expectJson = rawConditions.map((c) => parseCondition(String(c), `${at} "expect-json"`));
        const capture = {};
        if (s.capture !== undefined) {
            if (s.capture === null || typeof s.capture !== 'object' || Array.isArray(s.capture)) {
                throw new errors/* UserError */.y(`${at} "capture" must be a mapping of name to JSON path, like { token: access_token }.`);
            }
            for (const [k, v] of Object.entries(s.capture)) {
                if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
                    throw new errors/* UserError */.y(`${at} captures "${k}", which is not a valid name.`);
                capture[k] = String(v);
            }
        }
        for (const used of variablesIn([path, url, headers, s.json])) {
            if (!captured.has(used) && env[used] === undefined) {
                throw new errors/* UserError */.y(`${at} uses \${${used}}, which no earlier step captures and the environment does not set: pass it under "env:" on the step or capture it in an earlier step.`);
            }
        }
        for (const k of Object.keys(capture))
            captured.add(k);
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
function optionalString(value, what) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'string' || value.trim() === '')
        throw new errors/* UserError */.y(`${what} must be a non-empty string.`);
    return value.trim();
}
/** Every `${NAME}` in strings anywhere inside `values`. */
function variablesIn(values) {
    const found = new Set();
    const visit = (v) => {
        if (typeof v === 'string')
            for (const m of v.matchAll(VARIABLE))
                found.add(m[1]);
        else if (Array.isArray(v))
            v.forEach(visit);
        else if (v !== null && typeof v === 'object')
            Object.values(v).forEach(visit);
    };
    values.forEach(visit);
    return [...found];
}
/** Replaces `${NAME}` in every string inside `value` (captures win over the environment). */
function substitute(value, vars) {
    if (typeof value === 'string') {
        return value.replace(VARIABLE, (whole, name) => vars(name) ?? whole);
    }
    if (Array.isArray(value))
        return value.map((v) => substitute(v, vars));
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
    }
    return value;
}
/** Runs the journey once; stops at the first failing step. */
async function runSmoke(steps, opts) {
    const captures = new Map();
    const vars = (name) => {
        if (captures.has(name))
            return captures.get(name);
        const value = opts.env[name];
        if (value !== undefined && looksSecret(name))
            maskSecret(value, opts.onSecret);
        return value;
    };
    const results = [];
    let total = 0;
    for (const step of steps) {
        const target = step.url
            ? substitute(step.url, vars)
            : `${opts.origin}${substitute(step.path ?? '/', vars)}`;
        const started = performance.now();
        let status;
        try {
            const res = await (0,http/* http */.LV)(target, {
                method: step.method,
                headers: { accept: 'application/json', ...opts.headers, ...substitute(step.headers, vars) },
                json: step.json === undefined ? undefined : substitute(step.json, vars),
                timeoutMs: opts.timeoutMs,
                retry: { retries: 0 },
                service: `smoke step "${step.name}"`,
                maxBodyBytes: 1_000_000,
            });
            status = res.status;
            total += res.durationMs;
            const failed = judgeStep(step, res.status, res.text, captures, opts.onSecret);
            const result = {
                name: step.name,
                outcome: failed ? 'fail' : 'pass',
                status,
                latencyMs: res.durationMs,
                detail: failed ?? `answered ${status}`,
            };
            results.push(result);
            if (failed) {
                return smokeResult('fail', results, total, `step "${step.name}" ${failed}`, status, res.text.slice(0, 2000));
            }
        }
        catch (err) {
            if (!(err instanceof http/* NetworkError */.Dr))
                throw err;
            const latencyMs = performance.now() - started;
            total += latencyMs;
            const detail = networkDetail(err, opts.timeoutMs);
            results.push({ name: step.name, outcome: 'error', latencyMs, detail });
            return smokeResult('error', results, total, `step "${step.name}" ${detail}`);
        }
    }
    return smokeResult('pass', results, total, `passed ${results.length} step${results.length === 1 ? '' : 's'}`);
}
/** Checks a step's answer and records its captures (masking the secret ones); returns what went wrong, or undefined. */
function judgeStep(step, status, text, captures, onSecret = () => { }) {
    if (!statusMatches(status, step.expectStatus)) {
        return `answered ${status}, expected ${describeStatuses(step.expectStatus)}`;
    }
    const needsJson = step.expectJson.length > 0 || Object.keys(step.capture).length > 0;
    if (!needsJson)
        return undefined;
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        return `answered ${status} but the body is not JSON`;
    }
    const mismatch = checkConditions(json, step.expectJson);
    if (mismatch)
        return `answered ${status} but ${mismatch}`;
    for (const [name, path] of Object.entries(step.capture)) {
        const got = readPath(json, path);
        if (!got.found || got.value === null)
            return `answered ${status} but has no "${path}" to capture as ${name}`;
        const value = valueText(got.value);
        if (step.secretCaptures.includes(name))
            maskSecret(value, onSecret);
        captures.set(name, value);
    }
    return undefined;
}
function maskSecret(value, onSecret) {
    if (value.length >= MIN_SECRET_LENGTH)
        onSecret(value);
}
function smokeResult(outcome, steps, latencyMs, detail, status, body) {
    return {
        target: 'smoke journey',
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

;// CONCATENATED MODULE: ./actions/health-gate/src/config.ts
/** Reads and validates every input before the gate does anything, so a bad input fails in milliseconds. */






function readConfig(inputs, env = process.env, workspace = env.GITHUB_WORKSPACE ?? process.cwd()) {
    const urls = inputs.list('url').map((u, i) => (0,lib_inputs/* checkUrl */.CU)(u, `Input "url" line ${i + 1}`));
    if (urls.length === 0)
        inputs.required('url', { hint: 'one URL per line, e.g. https://app.example.com/health' });
    const expectVersion = inputs.optional('expect-version');
    const expectations = {
        statuses: parseExpectStatus(inputs.string('expect-status', '200'), 'Input "expect-status"'),
        conditions: inputs.list('expect-json').map((c) => parseCondition(c, 'Input "expect-json"')),
        expectVersion,
        versionPath: inputs.string('version-path', 'version'),
    };
    const intervalMs = inputs.duration('interval', '5s');
    const timeoutMs = inputs.duration('timeout', '5s');
    const initialDelayMs = inputs.duration('initial-delay', '0s');
    const deadlineMs = inputs.duration('deadline', '5m');
    if (timeoutMs <= 0)
        throw new errors/* UserError */.y('Input "timeout" must be longer than 0: write it like 5s.');
    if (deadlineMs <= initialDelayMs) {
        throw new errors/* UserError */.y('Input "deadline" must be longer than "initial-delay": the deadline counts from the start of the step, so no probe could run.');
    }
    const successThreshold = inputs.int('success-threshold', 3, { min: 1 });
    const failureThreshold = inputs.int('failure-threshold', 3, { min: 1 });
    const maxP95Ms = inputs.number('max-p95-ms', undefined, { min: 1 });
    const headers = parseHeaders(inputs.raw('headers'));
    let smoke;
    const smokeFile = inputs.optional('smoke-file');
    if (smokeFile) {
        const path = (0,external_node_path_.isAbsolute)(smokeFile) ? smokeFile : (0,external_node_path_.join)(workspace, smokeFile);
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(path, 'utf8');
        }
        catch {
            throw new errors/* UserError */.y(`smoke-file ${smokeFile} could not be read (looked at ${path}): check the path, relative to the repository root, and that the job checked out the repository.`);
        }
        smoke = { file: smokeFile, steps: parseSmokeJourney(text, smokeFile, env) };
    }
    let sentry;
    const token = inputs.optional('sentry-auth-token');
    if (token) {
        const release = inputs.optional('sentry-release') ?? expectVersion;
        const missing = [
            ['sentry-org', inputs.optional('sentry-org')],
            ['sentry-project', inputs.optional('sentry-project')],
            ['sentry-release (or expect-version)', release],
        ]
            .filter(([, v]) => !v)
            .map(([k]) => k);
        if (missing.length > 0) {
            throw new errors/* UserError */.y(`The Sentry gate needs ${missing.join(', ')} besides sentry-auth-token: set them, or remove sentry-auth-token to skip the Sentry check.`);
        }
        const projects = inputs.list('sentry-project', { commas: true });
        sentry = {
            token,
            org: inputs.required('sentry-org'),
            project: projects[0],
            projects,
            release: release,
            baseUrl: inputs.url('sentry-url') ?? 'https://sentry.io',
            maxNewIssues: inputs.int('max-new-issues', 0, { min: 0 }),
        };
    }
    return {
        urls,
        expectations,
        intervalMs,
        timeoutMs,
        initialDelayMs,
        deadlineMs,
        successThreshold,
        failureThreshold,
        maxP95Ms,
        smoke,
        headers,
        sentry,
        githubToken: inputs.optional('github-token'),
        comment: inputs.bool('comment', true),
        commentHeader: inputs.optional('comment-header'),
        failOnUnhealthy: inputs.bool('fail-on-unhealthy', true),
    };
}
/** `Name: value` per line. Messages never repeat a line: it may hold a secret. */
function parseHeaders(text) {
    const headers = {};
    text.split(/\r?\n/).forEach((line, i) => {
        if (line.trim() === '' || line.trim().startsWith('#'))
            return;
        const at = line.indexOf(':');
        const name = line.slice(0, at).trim();
        if (at <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
            throw new errors/* UserError */.y(`Input "headers" line ${i + 1} is not "Name: value": write one header per line, like "Authorization: Bearer …".`);
        }
        headers[name.toLowerCase()] = line.slice(at + 1).trim();
    });
    return headers;
}

;// CONCATENATED MODULE: ./actions/health-gate/src/decide.ts
/**
 * The gate's decision, pure: given the rounds so far and the policy, is the deploy healthy, unhealthy,
 * inconclusive (deadline passed without a decision) or still undecided? Argo Rollouts analysis
 * semantics: consecutive successes, a failure limit, errors counted apart from failures, fail closed.
 */
/** A round fails if any probe failed; else it errs if any probe got no answer; else it is pending if any probe saw another version. */
function roundOutcome(probes) {
    if (probes.length === 0)
        return 'error';
    if (probes.some((p) => p.outcome === 'fail'))
        return 'fail';
    if (probes.some((p) => p.outcome === 'error'))
        return 'error';
    if (probes.some((p) => p.outcome === 'pending'))
        return 'pending';
    return 'pass';
}
/** Latencies the SLO is judged on: answered URL probes of the new version (pending old-version answers, healthy or not, and smoke runs excluded). */
function sloLatencies(rounds) {
    return rounds.flatMap((r) => r.probes.filter((p) => p.kind === 'url' && p.answered && p.outcome !== 'pending').map((p) => p.latencyMs));
}
/** Nearest-rank percentile; undefined for no samples. */
function percentile(values, p) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
}
/**
 * Decides as early as the evidence allows. Pending rounds reset the success streak (traffic has not fully
 * switched) but not the failure streak (a new version that fails whenever it answers is still failing).
 * `nowMs` defaults to the end of the last round.
 */
function decideGate(rounds, policy, nowMs) {
    let passStreak = 0;
    let failStreak = 0;
    let bestPassStreak = 0;
    let passes = 0;
    let pendings = 0;
    let failingErrors = 0;
    let lastFailure;
    for (const [i, round] of rounds.entries()) {
        const outcome = roundOutcome(round.probes);
        if (outcome === 'pass') {
            passes++;
            passStreak++;
            failStreak = 0;
            failingErrors = 0;
        }
        else if (outcome === 'fail' || outcome === 'error') {
            failStreak++;
            passStreak = 0;
            if (outcome === 'error')
                failingErrors++;
            lastFailure =
                round.probes.find((p) => p.outcome === outcome) ?? round.probes.find((p) => p.outcome !== 'pass');
        }
        else {
            pendings++;
            passStreak = 0;
        }
        bestPassStreak = Math.max(bestPassStreak, passStreak);
        if (failStreak >= policy.failureThreshold) {
            const kind = failingErrors === failStreak ? ' without an answer' : '';
            return {
                verdict: 'unhealthy',
                reason: `${plural(failStreak, 'consecutive failing round')}${kind}: ${describe(lastFailure)}.`,
            };
        }
        if (passStreak >= policy.successThreshold) {
            const p95 = percentile(sloLatencies(rounds.slice(0, i + 1)), 95);
            if (policy.maxP95Ms !== undefined && p95 !== undefined && p95 > policy.maxP95Ms) {
                return {
                    verdict: 'unhealthy',
                    reason: `Every probe passed but p95 latency is ${Math.round(p95)} ms, above max-p95-ms ${policy.maxP95Ms} ms.`,
                };
            }
            return {
                verdict: 'healthy',
                reason: `${plural(passStreak, 'consecutive passing round')}${p95 !== undefined ? ` with p95 ${Math.round(p95)} ms` : ''}${policy.maxP95Ms !== undefined ? ` (SLO ${policy.maxP95Ms} ms)` : ''}.`,
            };
        }
    }
    const now = nowMs ?? rounds.at(-1)?.endedAtMs ?? 0;
    if (now < policy.deadlineMs)
        return { verdict: 'undecided', reason: 'Still probing.' };
    if (passes === 0 && pendings > 0) {
        const serving = lastObservedVersion(rounds);
        return {
            verdict: 'unhealthy',
            reason: `Version ${serving ?? '(none reported)'} is still serving: ${policy.expectVersion ?? 'the new version'} never answered before the deadline, so traffic did not switch to the new deploy.`,
        };
    }
    if (rounds.length === 0) {
        return { verdict: 'inconclusive', reason: 'The deadline passed before the first probe; raise deadline.' };
    }
    return {
        verdict: 'inconclusive',
        reason: `No decision by the deadline: the best run was ${bestPassStreak} of ${policy.successThreshold} consecutive passing rounds and failures never reached ${policy.failureThreshold} in a row (${plural(rounds.length, 'round')}, ${plural(pendings, 'pending')}); the service is flapping or too slow to decide.`,
    };
}
/** The version the service last reported, from any probe that read one. */
function lastObservedVersion(rounds) {
    for (let r = rounds.length - 1; r >= 0; r--) {
        const probes = rounds[r]?.probes ?? [];
        for (let p = probes.length - 1; p >= 0; p--) {
            const v = probes[p]?.observedVersion;
            if (v !== undefined)
                return v;
        }
    }
    return undefined;
}
function describe(p) {
    if (!p)
        return 'no probe passed';
    return `${p.target} ${p.detail}`;
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// EXTERNAL MODULE: ./lib/summary.ts
var summary = __webpack_require__(1262);
;// CONCATENATED MODULE: ./actions/health-gate/src/report.ts
/**
 * The gate's Markdown report (job summary, PR comment, `report` output): verdict first, a table per
 * probed target, a Mermaid latency chart, the first failing response (scrubbed) and Sentry findings.
 */



const MARKER = (0,summary/* commentMarker */.Ql)('health-gate');
/** Counts and latency percentiles per probed target (answered, non-pending probes for latency). */
function targetStats(rounds) {
    const byTarget = new Map();
    for (const round of rounds) {
        for (const p of round.probes) {
            let s = byTarget.get(p.target);
            if (!s) {
                s = { target: p.target, probes: 0, passes: 0, failures: 0, errors: 0, pending: 0, latencies: [] };
                byTarget.set(p.target, s);
            }
            s.probes++;
            if (p.outcome === 'pass')
                s.passes++;
            else if (p.outcome === 'fail')
                s.failures++;
            else if (p.outcome === 'error')
                s.errors++;
            else
                s.pending++;
            if (p.answered && p.outcome !== 'pending')
                s.latencies.push(p.latencyMs);
        }
    }
    return [...byTarget.values()].map(({ latencies, ...s }) => ({
        ...s,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
    }));
}
/** Hides secret-looking JSON fields and bearer tokens in a response body before it is shown. */
function scrubBody(text) {
    return text
        .replace(/("[^"]*(?:token|secret|password|passwd|authorization|api[_-]?key|cookie|session)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"***"')
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}
const ICON = { healthy: '✅', unhealthy: '❌', inconclusive: '⚠️', undecided: '⏳' };
function buildReport(r) {
    const out = [MARKER];
    const v = r.decision.verdict;
    out.push(`## ${ICON[v] ?? ''} Health gate: ${v}`, '', r.decision.reason, '');
    const s = r.settings;
    const facts = [
        `${r.rounds.length} round${r.rounds.length === 1 ? '' : 's'} in ${(0,duration/* formatDuration */.a)(r.elapsedMs)}`,
        `needs ${s.successThreshold} passing / ${s.failureThreshold} failing in a row`,
        `interval ${(0,duration/* formatDuration */.a)(s.intervalMs)}, timeout ${(0,duration/* formatDuration */.a)(s.timeoutMs)}`,
    ];
    if (s.maxP95Ms !== undefined)
        facts.push(`SLO p95 ≤ ${s.maxP95Ms} ms`);
    if (s.expectVersion)
        facts.push(`expects version \`${s.expectVersion}\`, saw \`${r.observedVersion ?? 'none'}\``);
    out.push(facts.join(' · '), '');
    const stats = targetStats(r.rounds);
    if (stats.length > 0) {
        const ms = (n) => (n === undefined ? '–' : String(Math.round(n)));
        out.push((0,summary/* table */.tp)(['target', 'probes', 'passes', 'failures', 'errors', 'pending', 'p50 ms', 'p95 ms', 'p99 ms'], stats.map((t) => [
            t.target,
            t.probes,
            t.passes,
            t.failures,
            t.errors,
            t.pending,
            ms(t.p50),
            ms(t.p95),
            ms(t.p99),
        ])), '');
        out.push(latencyChart(r.rounds), '');
    }
    if (r.smokeSteps && r.smokeSteps.length > 0) {
        out.push('### Smoke journey (last run)', '', (0,summary/* table */.tp)(['step', 'result', 'status', 'ms', 'detail'], r.smokeSteps.map((st) => [
            st.name,
            st.outcome,
            st.status ?? '–',
            Math.round(st.latencyMs),
            st.detail,
        ])), '');
    }
    const firstBad = firstFailure(r.rounds);
    if (firstBad) {
        out.push('### First failing response', '', `Round ${firstBad.round}: ${firstBad.probe.target} ${firstBad.probe.detail}${firstBad.probe.status !== undefined ? ` (HTTP ${firstBad.probe.status})` : ''}.`, '');
        if (firstBad.probe.body) {
            const flat = scrubBody(r.scrub(firstBad.probe.body)).replace(/\s+/g, ' ').trim();
            out.push((0,summary/* codeBlock */.DV)(flat.length > 300 ? `${flat.slice(0, 300)}…` : flat || '(empty body)'), '');
        }
    }
    if (r.sentry) {
        out.push('### Sentry', '');
        const f = r.sentry.finding;
        if (r.sentry.error)
            out.push(`Could not check Sentry: ${r.sentry.error}`, '');
        else if (f) {
            out.push(`${f.count}${f.more ? '+' : ''} new issue${f.count === 1 ? '' : 's'} first seen in release \`${f.release}\` of ${r.sentry.project} (budget: ${r.sentry.maxNewIssues}).`, '');
            if (f.issues.length > 0) {
                out.push((0,summary/* table */.tp)(['issue', 'title', 'events'], f.issues
                    .slice(0, 10)
                    .map((i) => [
                    i.permalink ? `[${i.shortId}](${i.permalink})` : i.shortId,
                    i.title,
                    i.count ?? '–',
                ])), '');
            }
        }
    }
    if (r.runUrl)
        out.push(`[Workflow run](${r.runUrl})`, '');
    return r.scrub(out.join('\n'));
}
/** Mermaid xychart-beta (renders on GitHub): the slowest probe of each round, at most 100 points. */
function latencyChart(rounds) {
    const step = Math.max(1, Math.ceil(rounds.length / 100));
    const picked = rounds.filter((_, i) => i % step === 0 || i === rounds.length - 1);
    const values = picked.map((round) => Math.round(Math.max(0, ...round.probes.map((p) => p.latencyMs))));
    const top = Math.max(10, ...values);
    return [
        '```mermaid',
        'xychart-beta',
        '  title "Slowest probe per round (ms)"',
        `  x-axis "round" [${picked.map((round) => round.index).join(', ')}]`,
        `  y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
        `  line [${values.join(', ')}]`,
        '```',
    ].join('\n');
}
function firstFailure(rounds) {
    for (const round of rounds) {
        const outcome = roundOutcome(round.probes);
        if (outcome !== 'fail' && outcome !== 'error')
            continue;
        const probe = round.probes.find((p) => p.outcome === 'fail') ?? round.probes.find((p) => p.outcome === 'error');
        if (probe)
            return { round: round.index, probe };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./lib/sentry.ts
/**
 * What every action that talks to Sentry needs the same way: where the API is, whatever form of
 * `sentry-url` people paste, and the readable part of Sentry's error bodies.
 */

/**
 * Sentry's web root without a trailing slash: `https://sentry.io`, or a self-hosted origin with its
 * path prefix (`https://tools.example.com/sentry`). A pasted API URL (`…/api/0`, `…/api/0/`) is
 * accepted and reduced to the root; query and fragment are dropped.
 */
function sentryBase(url) {
    const u = new URL(url.trim());
    const path = u.pathname
        .replace(/\/+$/, '')
        .replace(/\/api(\/0)?$/, '')
        .replace(/\/+$/, '');
    return `${u.origin}${path}`;
}
/** The REST API root, `<root>/api/0`, for any form `sentryBase` accepts. */
function sentryApiBase(url) {
    return `${sentryBase(url)}/api/0`;
}
/**
 * The readable part of a Sentry error body, or '' for an empty one: `{"detail": "…"}`,
 * `{"detail": {"message": "…"}}`, field errors `{"projects": ["Invalid project"]}`, else the text.
 */
function detailOf(body, max = 200) {
    if (body.trim() === '')
        return '';
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        return (0,http/* excerpt */.Kb)(body, max);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
        return (0,http/* excerpt */.Kb)(body, max);
    const record = json;
    const detail = record.detail;
    if (typeof detail === 'string')
        return (0,http/* excerpt */.Kb)(detail, max);
    if (detail !== null &&
        typeof detail === 'object' &&
        typeof detail.message === 'string') {
        return (0,http/* excerpt */.Kb)(detail.message, max);
    }
    const parts = Object.entries(record).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : JSON.stringify(v)}`);
    return (0,http/* excerpt */.Kb)(parts.join('; '), max);
}

;// CONCATENATED MODULE: ./actions/health-gate/src/sentry.ts
/**
 * The Sentry error gate: how many issues were first seen in this release. Uses Sentry's
 * "List a Project's Issues" endpoint (GET /api/0/projects/{org}/{project}/issues/) with the
 * search `firstRelease:"<release>"` and Bearer auth (scopes event:read / project:read).
 */



const MAX_PAGES = 10;
function issuesUrl(cfg, cursor) {
    const query = new URLSearchParams({ query: `firstRelease:"${cfg.release}"` });
    if (cursor)
        query.set('cursor', cursor);
    return `${sentryApiBase(cfg.baseUrl)}/projects/${encodeURIComponent(cfg.org)}/${encodeURIComponent(cfg.project)}/issues/?${query}`;
}
/** Counts the issues first seen in the release, following Sentry's cursor pagination (Link header). */
async function countNewIssues(cfg, timeoutMs = 15_000) {
    const issues = [];
    let cursor;
    for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await (0,http/* http */.LV)(issuesUrl(cfg, cursor), {
            headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json' },
            timeoutMs,
            service: 'Sentry API',
            retry: { retries: 2, baseDelayMs: 300 },
        });
        if (res.status !== 200)
            throw new errors/* UserError */.y(sentryErrorSentence(res.status, res.text, cfg));
        let list;
        try {
            list = res.json();
        }
        catch {
            list = undefined;
        }
        if (!Array.isArray(list)) {
            throw new errors/* UserError */.y(`Sentry answered 200 but not with a list of issues (${(0,http/* excerpt */.Kb)(res.text, 120)}): check that sentry-url points at the Sentry API.`);
        }
        for (const item of list) {
            issues.push({
                shortId: String(item.shortId ?? item.id ?? '?'),
                title: String(item.title ?? item.culprit ?? ''),
                permalink: typeof item.permalink === 'string' ? item.permalink : undefined,
                count: item.count === undefined ? undefined : String(item.count),
            });
        }
        cursor = nextCursor(res.headers.link);
        if (!cursor)
            return { release: cfg.release, count: issues.length, more: false, issues };
    }
    return { release: cfg.release, count: issues.length, more: true, issues };
}
/** New issues of the release summed over several projects (one release often spans API and web). */
async function countNewIssuesAcross(cfg, projects, timeoutMs = 15_000) {
    const total = { release: cfg.release, count: 0, more: false, issues: [] };
    for (const project of projects) {
        const f = await countNewIssues({ ...cfg, project }, timeoutMs);
        total.count += f.count;
        total.more ||= f.more;
        total.issues.push(...f.issues);
    }
    return total;
}
/** The cursor of the `rel="next"` link when Sentry says it has results, else undefined. */
function nextCursor(link) {
    if (!link)
        return undefined;
    for (const part of link.split(/,\s*(?=<)/)) {
        if (!/rel="next"/.test(part) || !/results="true"/.test(part))
            continue;
        return /cursor="([^"]+)"/.exec(part)?.[1];
    }
    return undefined;
}
/** One sentence for a failed Sentry call: what is wrong and what to change. */
function sentryErrorSentence(status, body, cfg) {
    const said = detailOf(body, 160) || 'no body';
    if (status === 401) {
        return `Sentry rejected sentry-auth-token (401: ${said}): use a valid auth token with the event:read and project:read scopes.`;
    }
    if (status === 403) {
        return `Sentry refused to list issues of ${cfg.org}/${cfg.project} (403: ${said}): give the token the event:read and project:read scopes and access to that project.`;
    }
    if (status === 404) {
        return `Sentry has no project "${cfg.project}" in organization "${cfg.org}" at ${cfg.baseUrl} (404): check sentry-org and sentry-project (the slugs in the project's URL) and sentry-url for self-hosted Sentry.`;
    }
    return `Sentry answered ${status} when listing issues of release ${cfg.release} (${said}): try again later, or check sentry-url.`;
}
/** Applies the Sentry budget to the probes' decision: a healthy deploy with too many new issues is unhealthy. */
function applySentry(decision, finding, maxNewIssues) {
    if (decision.verdict !== 'healthy' || finding.count <= maxNewIssues)
        return decision;
    const count = `${finding.count}${finding.more ? '+' : ''}`;
    return {
        verdict: 'unhealthy',
        reason: `The probes passed but Sentry shows ${count} new issue${finding.count === 1 ? '' : 's'} first seen in release ${finding.release}, above max-new-issues ${maxNewIssues}.`,
    };
}

;// CONCATENATED MODULE: ./actions/health-gate/src/main.ts











async function main(io) {
    const config = readConfig(io.inputs);
    registerSecrets(io, config);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const policy = {
        successThreshold: config.successThreshold,
        failureThreshold: config.failureThreshold,
        deadlineMs: config.deadlineMs,
        maxP95Ms: config.maxP95Ms,
        expectVersion: config.expectations.expectVersion,
    };
    io.info(`Probing ${config.urls.join(', ')}${config.smoke ? ` and the smoke journey ${config.smoke.file}` : ''} every ${(0,duration/* formatDuration */.a)(config.intervalMs)} until ${config.successThreshold} passing or ${config.failureThreshold} failing rounds in a row (deadline ${(0,duration/* formatDuration */.a)(config.deadlineMs)}).`);
    if (config.initialDelayMs > 0) {
        io.info(`Waiting ${(0,duration/* formatDuration */.a)(config.initialDelayMs)} (initial-delay) before the first round.`);
        await (0,http/* sleep */.yy)(config.initialDelayMs);
    }
    const rounds = [];
    let smokeSteps;
    let decision = { verdict: 'undecided', reason: 'Still probing.' };
    for (let index = 1; decision.verdict === 'undecided'; index++) {
        const startedAtMs = elapsed();
        // URL probes and the smoke journey run side by side, so a round takes as long as its slowest part.
        const [probes, smoke] = await Promise.all([
            Promise.all(config.urls.map((url) => probeUrl(url, config.expectations, { timeoutMs: config.timeoutMs, headers: config.headers }))),
            config.smoke
                ? runSmoke(config.smoke.steps, {
                    origin: new URL(config.urls[0]).origin,
                    timeoutMs: config.timeoutMs,
                    env: process.env,
                    headers: config.headers,
                    onSecret: (value) => io.secrets.register(value),
                })
                : undefined,
        ]);
        if (smoke) {
            const { steps, ...probe } = smoke;
            smokeSteps = steps;
            probes.push(probe);
        }
        const round = { index, startedAtMs, endedAtMs: elapsed(), probes };
        rounds.push(round);
        io.info(describeRound(round));
        decision = decideGate(rounds, policy, round.endedAtMs);
        if (decision.verdict !== 'undecided')
            break;
        const wait = Math.max(0, startedAtMs + config.intervalMs - elapsed());
        if (elapsed() + wait >= config.deadlineMs) {
            decision = decideGate(rounds, policy, config.deadlineMs);
            break;
        }
        await (0,http/* sleep */.yy)(wait);
    }
    let sentry;
    let sentryFailure;
    if (config.sentry) {
        const s = config.sentry;
        sentry = { maxNewIssues: s.maxNewIssues, project: s.projects.map((p) => `${s.org}/${p}`).join(', ') };
        try {
            sentry.finding = await countNewIssuesAcross(s, s.projects);
            io.info(`Sentry: ${sentry.finding.count} new issue(s) first seen in release ${s.release} (budget ${s.maxNewIssues}).`);
            decision = applySentry(decision, sentry.finding, s.maxNewIssues);
        }
        catch (err) {
            if (!(err instanceof errors/* UserError */.y))
                throw err;
            sentry.error = (0,errors/* errorMessage */.g)(err);
            if (decision.verdict === 'healthy') {
                // A healthy verdict needs the Sentry check: without it we cannot say healthy (fail closed,
                // unless fail-on-unhealthy is false: then the warning below says why the step still passes).
                sentryFailure = sentry.error;
                decision = { verdict: 'inconclusive', reason: sentry.error };
            }
            else
                io.warning(sentry.error);
        }
    }
    const result = decision.verdict;
    const latencies = sloLatencies(rounds);
    const all = rounds.flatMap((r) => r.probes);
    const observedVersion = lastObservedVersion(rounds);
    const ctx = (0,github/* githubContext */.h4)();
    const report = buildReport({
        decision,
        rounds,
        elapsedMs: elapsed(),
        settings: { ...policy, intervalMs: config.intervalMs, timeoutMs: config.timeoutMs },
        observedVersion,
        smokeSteps,
        sentry,
        runUrl: ctx.runUrl,
        scrub: (text) => io.secrets.scrub(text),
    });
    const ms = (n) => (n === undefined ? '' : String(Math.round(n)));
    io.setOutput('result', result);
    io.setOutput('healthy', result === 'healthy');
    io.setOutput('probes', all.length);
    io.setOutput('passes', all.filter((p) => p.outcome === 'pass').length);
    io.setOutput('failures', all.filter((p) => p.outcome === 'fail').length);
    io.setOutput('errors', all.filter((p) => p.outcome === 'error').length);
    io.setOutput('p50-ms', ms(percentile(latencies, 50)));
    io.setOutput('p95-ms', ms(percentile(latencies, 95)));
    io.setOutput('p99-ms', ms(percentile(latencies, 99)));
    io.setOutput('observed-version', observedVersion ?? '');
    io.setOutput('reason', decision.reason);
    io.setOutput('report', report);
    await io.summary(report);
    if (config.comment) {
        await (0,github/* commentOnPullRequest */.rh)(io, {
            token: config.githubToken,
            marker: MARKER,
            body: config.commentHeader ? `${config.commentHeader}\n\n---\n\n${report}` : report,
            what: 'health report',
        });
    }
    io.info(`Health gate: ${result} after ${rounds.length} round(s) in ${(0,duration/* formatDuration */.a)(elapsed())}. ${decision.reason}`);
    if (sentryFailure && config.failOnUnhealthy)
        throw new errors/* UserError */.y(sentryFailure);
    if (result !== 'healthy') {
        if (config.failOnUnhealthy)
            throw new errors/* UserError */.y(`Health gate ${result}: ${decision.reason}`);
        io.warning(`Health gate ${result} (fail-on-unhealthy is false, so the step passes): ${decision.reason}`);
    }
}
/** Every value that must never be shown, registered before the first log line. */
function registerSecrets(io, config) {
    for (const value of Object.values(config.headers))
        io.secrets.register(value);
    io.secrets.register(config.sentry?.token);
    io.secrets.register(config.githubToken);
    // A URL's password or token parameters, not the whole URL (people need to see what was probed).
    for (const url of config.urls)
        for (const part of (0,mask/* secretParts */.Bm)(url).slice(1))
            io.secrets.register(part);
}
function describeRound(round) {
    const parts = round.probes.map((p) => {
        const ms = p.answered ? ` in ${Math.round(p.latencyMs)}ms` : '';
        return `${p.target} ${p.detail}${ms}`;
    });
    return `Round ${round.index}: ${roundOutcome(round.probes)} · ${parts.join(' · ')}`;
}


/***/ }),

/***/ 2183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h4: () => (/* binding */ githubContext),
/* harmony export */   rh: () => (/* binding */ commentOnPullRequest),
/* harmony export */   yN: () => (/* binding */ GitHubApi)
/* harmony export */ });
/* unused harmony export upsertPrComment */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8115);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8706);



function githubContext(env = process.env) {
    let event = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            event = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        }
        catch {
            event = {};
        }
    }
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repository = env.GITHUB_REPOSITORY ?? '';
    const runId = env.GITHUB_RUN_ID ?? '';
    const pr = event.pull_request?.number;
    return {
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        serverUrl,
        repository,
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        runId,
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        workflow: env.GITHUB_WORKFLOW ?? '',
        eventName: env.GITHUB_EVENT_NAME ?? '',
        event,
        runUrl: repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
        pullRequest: typeof pr === 'number' ? pr : undefined,
    };
}
/** A minimal GitHub REST client on the shared HTTP client (no Octokit: it costs start-up time). */
class GitHubApi {
    token;
    apiUrl;
    constructor(token, apiUrl) {
        this.token = token;
        this.apiUrl = apiUrl;
    }
    async call(method, path, json) {
        const res = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .http */ .LV)(`${this.apiUrl.replace(/\/$/, '')}${path}`, {
            method,
            json,
            service: 'GitHub API',
            timeoutMs: 15_000,
            headers: {
                authorization: `Bearer ${this.token}`,
                accept: 'application/vnd.github+json',
                'x-github-api-version': '2022-11-28',
            },
        });
        if (res.status >= 200 && res.status < 300)
            return (res.text ? res.json() : {});
        const hint = res.status === 401
            ? 'the github-token is invalid or expired'
            : res.status === 403 || res.status === 404
                ? 'the token lacks a permission this call needs (check the job\'s "permissions:")'
                : 'GitHub answered with an error';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y(`GitHub API ${method} ${path} failed with ${res.status}: ${hint}; GitHub said: ${(0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(res.text, 200)}`);
    }
}
/**
 * Creates our PR comment, or edits it in place when one with the same marker already exists,
 * so a pull request carries one comment per check however many times it runs.
 */
async function upsertPrComment(api, repository, issueNumber, marker, body) {
    const text = body.includes(marker) ? body : `${marker}\n${body}`;
    for (let page = 1; page <= 20; page++) {
        const comments = await api.call('GET', `/repos/${repository}/issues/${issueNumber}/comments?per_page=100&page=${page}`);
        const mine = comments.find((c) => c.body?.includes(marker));
        if (mine) {
            await api.call('PATCH', `/repos/${repository}/issues/comments/${mine.id}`, { body: text });
            return { id: mine.id, created: false };
        }
        if (comments.length < 100)
            break;
    }
    const created = await api.call('POST', `/repos/${repository}/issues/${issueNumber}/comments`, {
        body: text,
    });
    return { id: created.id, created: true };
}
/**
 * Posts or updates our one PR comment (found by `marker`) when a token is given on a pull request
 * event. A comment that cannot be written is a warning: the verdict it reports stands either way.
 */
async function commentOnPullRequest(log, opts, ctx = githubContext()) {
    if (!opts.token)
        return;
    if (!ctx.eventName.startsWith('pull_request') || ctx.pullRequest === undefined || !ctx.repository) {
        log.debug(`No pull request in this ${ctx.eventName || 'unknown'} event: the ${opts.what} was not posted as a comment.`);
        return;
    }
    try {
        const api = new GitHubApi(opts.token, ctx.apiUrl);
        const done = await upsertPrComment(api, ctx.repository, ctx.pullRequest, opts.marker, opts.body);
        log.info(`${done.created ? 'Posted' : 'Updated'} the ${opts.what} on pull request #${ctx.pullRequest}.`);
    }
    catch (err) {
        if (!(err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .UserError */ .y))
            throw err;
        log.warning(`Could not post the ${opts.what} on pull request #${ctx.pullRequest}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(err)}`);
    }
}


/***/ }),

/***/ 8706:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Dr: () => (/* binding */ NetworkError),
  Kb: () => (/* binding */ excerpt),
  LV: () => (/* binding */ http),
  Jy: () => (/* binding */ serverDelayMs),
  yy: () => (/* binding */ sleep)
});

// UNUSED EXPORTS: DEFAULT_RETRY, describeNetworkError, mayResend, retryDelayMs

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
;// CONCATENATED MODULE: ./lib/backoff.ts
/**
 * Exponential backoff with jitter, the one implementation for every retry loop we have (HTTP retries
 * in the actions, persisted extraction jobs in the service): the ceiling doubles per attempt from
 * `baseMs` up to `maxMs`, and the wait is random in [ceiling/2, ceiling] so retries spread out.
 */
function backoffMs(attempt, baseMs, maxMs, random = Math.random) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// EXTERNAL MODULE: ./lib/duration.ts
var duration = __webpack_require__(5952);
// EXTERNAL MODULE: ./lib/errors.ts
var errors = __webpack_require__(8115);
;// CONCATENATED MODULE: ./lib/http.ts




const DEFAULT_RETRY = {
    retries: 3,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
    retryServerErrors: true,
};
class NetworkError extends errors/* UserError */.y {
    code;
    /** What went wrong, without the service or URL, e.g. "connection refused (ECONNREFUSED)". */
    detail;
    /** False only when the request provably never reached the server (refused, DNS). */
    mayHaveApplied;
    constructor(message, code, detail) {
        super(message);
        this.code = code;
        this.detail = detail ?? message;
        this.mayHaveApplied = !NEVER_SENT.has(code);
    }
}
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Errors raised before a single byte of the request reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Whether a failed attempt may be sent again: always for reads, for mutations only if never sent. */
function mayResend(code, mutation) {
    return !mutation || NEVER_SENT.has(code);
}
async function http(url, opts = {}) {
    const policy = { ...DEFAULT_RETRY, ...opts.retry };
    if (opts.mutation)
        policy.retryServerErrors = false;
    const service = opts.service ?? new URL(url).host;
    const headers = { 'user-agent': 'decisionlog-deploy-suite', ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] ??= 'application/json';
    }
    for (let attempt = 1;; attempt++) {
        const outcome = await attemptOnce(url, { ...opts, headers, body }, attempt);
        const last = attempt > policy.retries;
        if ('response' in outcome) {
            const res = outcome.response;
            const delay = retryDelayMs(res.status, res.headers, attempt, policy);
            if (last || delay === undefined || opts.signal?.aborted)
                return res;
            opts.onRetry?.({ attempt, delayMs: delay, reason: `HTTP ${res.status}` });
            await sleep(delay, opts.signal);
            continue;
        }
        const { code, detail } = outcome;
        const attempts = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
        if (code === 'ABORTED' || opts.signal?.aborted) {
            // The caller stopped it (e.g. the run is being cancelled): nothing is wrong with the URL or host.
            throw new NetworkError(`Stopped the request to ${service} (${new URL(url).origin}) after ${attempts}: the request was cancelled, so its result is unknown.`, 'ABORTED', 'the request was cancelled');
        }
        if (!mayResend(code, opts.mutation ?? false)) {
            throw new NetworkError(`${service} (${new URL(url).origin}) did not answer the request that changes something: ${detail}; it may or may not have been applied, so it was not sent again.`, code, detail);
        }
        if (last) {
            throw new NetworkError(`Could not reach ${service} (${new URL(url).origin}): ${detail} after ${attempts}; check the URL and that the host is up.`, code, detail);
        }
        const delay = backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs);
        opts.onRetry?.({ attempt, delayMs: delay, reason: detail });
        await sleep(delay, opts.signal);
    }
}
async function attemptOnce(url, opts, attempt) {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const started = performance.now();
    try {
        const res = await (0,undici/* request */.Em)(url, {
            method: (opts.method ?? (opts.body === undefined ? 'GET' : 'POST')),
            headers: opts.headers,
            body: opts.body,
            signal,
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
        });
        const text = await readLimited(res.body, opts.maxBodyBytes ?? 5_000_000);
        const headers = {};
        for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined)
                headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        }
        return {
            response: {
                status: res.statusCode,
                headers,
                text,
                durationMs: performance.now() - started,
                attempts: attempt,
                json() {
                    return JSON.parse(text);
                },
            },
        };
    }
    catch (err) {
        if (opts.signal?.aborted)
            return { code: 'ABORTED', detail: 'the request was cancelled' };
        if (timeout.aborted)
            return { code: 'TIMEOUT', detail: `no answer within ${(0,duration/* formatDuration */.a)(timeoutMs)}` };
        return describeNetworkError(err);
    }
}
async function readLimited(body, maxBytes) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        if (size <= maxBytes)
            chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** Turns a low-level socket error into a code and a phrase people understand. */
function describeNetworkError(err) {
    const e = err;
    const code = e?.code ?? e?.cause?.code ?? e?.name ?? 'ERROR';
    const phrases = {
        ECONNREFUSED: 'connection refused',
        ENOTFOUND: 'host name not found (DNS)',
        EAI_AGAIN: 'DNS lookup failed',
        ECONNRESET: 'connection reset by the server',
        EPIPE: 'connection closed by the server',
        ETIMEDOUT: 'connection timed out',
        EHOSTUNREACH: 'host unreachable',
        UND_ERR_SOCKET: 'connection closed unexpectedly',
        UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
        UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
        UND_ERR_BODY_TIMEOUT: 'response body stalled',
        CERT_HAS_EXPIRED: 'TLS certificate expired',
        DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    };
    return { code, detail: `${phrases[code] ?? e?.message ?? 'network error'} (${code})` };
}
/**
 * How long to wait before retrying a response, or undefined when it must not be retried.
 * 429 (and 503 with Retry-After) follow the server's word; 5xx back off with jitter.
 */
function retryDelayMs(status, headers, attempt, policy, now = Date.now(), random = Math.random) {
    const told = serverDelayMs(headers, now);
    if (status === 429) {
        const wait = told ?? backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
        return wait > policy.maxRetryAfterMs ? undefined : wait;
    }
    if (policy.retryServerErrors && RETRYABLE_STATUS.has(status)) {
        if (told !== undefined)
            return told > policy.maxRetryAfterMs ? undefined : told;
        return backoffMs(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
    }
    return undefined;
}
/** Reads Retry-After (seconds or HTTP date), or a reset time given as epoch seconds. */
function serverDelayMs(headers, now = Date.now()) {
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && retryAfter !== '') {
        if (/^\d+(\.\d+)?$/.test(retryAfter.trim()))
            return Math.ceil(Number(retryAfter) * 1000);
        const date = Date.parse(retryAfter);
        if (!Number.isNaN(date))
            return Math.max(0, date - now);
    }
    const reset = headers['x-sentry-rate-limit-reset'] ?? headers['x-ratelimit-reset'];
    if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset.trim())) {
        const value = Number(reset);
        // Epoch seconds when large, otherwise seconds from now.
        return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
    }
    return undefined;
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** A short, single-line excerpt of a response body for error messages. */
function excerpt(text, max = 300) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}


/***/ }),

/***/ 1262:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   xv: () => (/* binding */ truncate),
/* harmony export */   zH: () => (/* binding */ details)
/* harmony export */ });
/** Small Markdown builders for job summaries and PR comments (GitHub-flavoured). */
/** Escapes a value for a Markdown table cell. */
function cell(value) {
    return String(value ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
function table(headers, rows) {
    const head = `| ${headers.map(cell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
    return [head, rule, ...body].join('\n');
}
function details(summaryText, body) {
    return `<details><summary>${summaryText}</summary>\n\n${body}\n\n</details>`;
}
/** A fenced code block whose fence cannot be closed by the content. */
function codeBlock(text, lang = '') {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `${fence}${lang}\n${text}\n${fence}`;
}
/** Cuts text to `max` characters, marking the cut. */
function truncate(text, max, marker = '…truncated') {
    if (text.length <= max)
        return text;
    return text.slice(0, Math.max(0, max - marker.length - 1)) + `\n${marker}`;
}
/** A hidden marker that lets us find and update our own PR comment. */
function commentMarker(id) {
    return `<!-- decisionlog-deploy:${id} -->`;
}


/***/ })

};
