export const id = 804;
export const ids = [804];
export const modules = {

/***/ 8804:
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
// EXTERNAL MODULE: ./lib/untrusted.ts
var untrusted = __webpack_require__(7271);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./lib/inputs.ts
var lib_inputs = __webpack_require__(453);
;// CONCATENATED MODULE: ./actions/health-gate/src/text.ts
// Remote text on its way to the log goes through lib/untrusted.ts (`safeLogLine`).
/**
 * A URL as logs and reports show it: origin and path, never the user-info or the query, where a
 * credential may sit under any name (`?auth=…`, `?sig=…`).
 */
function displayUrl(url) {
    try {
        const u = new URL(url);
        return `${u.origin}${u.pathname}`;
    }
    catch {
        return '(invalid URL)';
    }
}

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
            throw new errors/* UserError */.yo(`${what} has "${item}", which is not an HTTP status: write 200, a list like 200, 204, or a class like 2xx.`);
    }
    if (out.length === 0)
        throw new errors/* UserError */.yo(`${what} is empty: write an HTTP status such as 200.`);
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
        throw new errors/* UserError */.yo(`${what} has "${text}", which is not a path=value condition: write it like status=healthy.`);
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
 * A 429 says neither "healthy" nor "broken": the service (or a proxy before it) turned the gate away.
 * Argo calls a measurement that meets neither condition inconclusive; inconclusive-limit bounds them.
 */
const RATE_LIMITED = 'answered 429 (rate limited): neither a pass nor a failure';
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
    // The version is remote text that reaches the log and an output: no control characters.
    const observedVersion = version.found && version.value !== null ? (0,untrusted/* safeLogLine */.A)(valueText(version.value)) : undefined;
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
    }
    catch (err) {
        if (!(err instanceof http/* NetworkError */.Dr))
            throw err;
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
function networkDetail(err, timeoutMs) {
    if (err.code === 'TIMEOUT')
        return `gave no answer within ${(0,duration/* formatDuration */.a)(timeoutMs)} (timeout)`;
    return `gave no answer: ${err.detail}`;
}
/** Remote text as a short, single-line phrase. */
function probe_short(text, max = 60) {
    const plain = (0,untrusted/* safeLogLine */.A)(text);
    return plain.length > max ? `${plain.slice(0, max)}…` : plain;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./actions/health-gate/src/stats.ts
/**
 * The 0-based index of the nearest-rank `p`th percentile among `n` sorted values (n ≥ 1): the
 * ⌈p/100 · n⌉th smallest, at least the first, at most the last.
 */
function nearestRankIndex(n, p) {
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    return Math.min(rank, n) - 1;
}
/** Nearest-rank percentile; undefined for no samples. */
function percentile(values, p) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[nearestRankIndex(sorted.length, p)];
}
/** A binary min-heap of numbers. */
class MinHeap {
    items = [];
    get size() {
        return this.items.length;
    }
    /** The smallest value; only called on a heap that is not empty. */
    peek() {
        return this.items[0];
    }
    push(value) {
        const a = this.items;
        let i = a.push(value) - 1;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (a[parent] <= value)
                break;
            a[i] = a[parent];
            i = parent;
        }
        a[i] = value;
    }
    /** Removes and returns the smallest value; only called on a heap that is not empty. */
    pop() {
        const a = this.items;
        const top = a[0];
        const last = a.pop();
        const n = a.length;
        if (n === 0)
            return top;
        let i = 0;
        for (;;) {
            let child = 2 * i + 1;
            if (child >= n)
                break;
            if (child + 1 < n && a[child + 1] < a[child])
                child++;
            if (a[child] >= last)
                break;
            a[i] = a[child];
            i = child;
        }
        a[i] = last;
        return top;
    }
}
/**
 * One nearest-rank percentile over a growing set of values, exactly what `percentile` gives over the
 * same values: the smallest `rank` values sit in a max-heap (stored negated) whose top is the answer,
 * the rest in a min-heap; each value added moves at most a few tops between them.
 */
class StreamingPercentile {
    p;
    low = new MinHeap();
    high = new MinHeap();
    n = 0;
    constructor(p) {
        this.p = p;
    }
    get count() {
        return this.n;
    }
    add(value) {
        // Every value in `low` is ≤ every value in `high`; a value above low's top belongs in `high`.
        if (this.low.size > 0 && value > -this.low.peek())
            this.high.push(value);
        else
            this.low.push(-value);
        this.n++;
        const rank = nearestRankIndex(this.n, this.p) + 1;
        while (this.low.size > rank)
            this.high.push(-this.low.pop());
        while (this.low.size < rank)
            this.low.push(-this.high.pop());
    }
    /** The percentile of the values added so far; undefined before the first. */
    value() {
        return this.n === 0 ? undefined : -this.low.peek();
    }
}
/** The p50, p95 and p99 of one population of latencies. */
class LatencyPercentiles {
    p50 = new StreamingPercentile(50);
    p95 = new StreamingPercentile(95);
    p99 = new StreamingPercentile(99);
    get count() {
        return this.p50.count;
    }
    add(ms) {
        this.p50.add(ms);
        this.p95.add(ms);
        this.p99.add(ms);
    }
    values() {
        return { p50: this.p50.value(), p95: this.p95.value(), p99: this.p99.value() };
    }
}
/** A probe whose latency speaks for the service: it answered, and not as another version. */
function answeredByNewVersion(p) {
    return p.answered && p.outcome !== 'pending';
}
/** The SLO's samples: answered URL probes of the new version (no smoke journeys). */
function stats_isSloSample(p) {
    return p.kind === 'url' && answeredByNewVersion(p);
}
/**
 * Every probe of the gate counted once: per target (as the report's table shows it), in total (the
 * action's outputs), the SLO's latency percentiles and the version last reported.
 */
class ProbeTally {
    targets = new Map();
    /** Latencies of the SLO's samples (`isSloSample`). */
    slo = new LatencyPercentiles();
    /** The version the service last reported, from any probe that read one. */
    lastObservedVersion;
    add(p) {
        let t = this.targets.get(p.target);
        if (!t) {
            t = {
                target: p.target,
                probes: 0,
                passes: 0,
                failures: 0,
                errors: 0,
                pending: 0,
                latency: new LatencyPercentiles(),
            };
            this.targets.set(p.target, t);
        }
        t.probes++;
        if (p.outcome === 'pass')
            t.passes++;
        else if (p.outcome === 'fail')
            t.failures++;
        else if (p.outcome === 'error')
            t.errors++;
        else if (p.outcome === 'pending')
            t.pending++;
        if (answeredByNewVersion(p))
            t.latency.add(p.latencyMs);
        if (stats_isSloSample(p))
            this.slo.add(p.latencyMs);
        if (p.observedVersion !== undefined)
            this.lastObservedVersion = p.observedVersion;
    }
    /** Counts and latency percentiles per target, in the order the targets were first probed. */
    targetStats() {
        return [...this.targets.values()].map(({ latency, ...counts }) => ({ ...counts, ...latency.values() }));
    }
    /** Counts over every probe (URLs and smoke journeys alike). */
    totals() {
        const sum = { probes: 0, passes: 0, failures: 0, errors: 0 };
        for (const t of this.targets.values()) {
            sum.probes += t.probes;
            sum.passes += t.passes;
            sum.failures += t.failures;
            sum.errors += t.errors;
        }
        return sum;
    }
}

;// CONCATENATED MODULE: ./actions/health-gate/src/decide.ts
/**
 * The gate's decision, pure, modelled on Argo Rollouts' analysis (`MetricResult` in
 * pkg/apis/rollouts/v1alpha1/analysis_types.go, `assessMetricStatus` in analysis/analysis.go): every
 * check (each URL, the smoke journey, the latency SLO, Sentry) keeps counters of successful, failed,
 * error and inconclusive measurements and their consecutive runs; each limit is its own test; the
 * worst check decides. Errors (the measurement could not be taken) never count as failures. The
 * counters live in a `HealthGate` that takes each round as it arrives, so no round is read twice.
 */


function newCheck(name, kind) {
    return {
        name,
        kind,
        successful: 0,
        failed: 0,
        error: 0,
        inconclusive: 0,
        pending: 0,
        consecutiveSuccess: 0,
        consecutiveError: 0,
        bestStreak: 0,
        last: {},
        phase: 'running',
    };
}
/** Counts one measurement the way Argo's `runMeasurements` does; `pending` only breaks the success streak. */
function recordMeasurement(check, outcome, detail, round, successThreshold) {
    const c = { ...check, last: { ...check.last } };
    if (outcome === 'pass') {
        c.successful++;
        c.consecutiveSuccess++;
        c.consecutiveError = 0;
    }
    else if (outcome === 'pending') {
        c.pending++;
        c.consecutiveSuccess = 0;
    }
    else if (outcome === 'error') {
        c.error++;
        c.consecutiveError++;
        c.consecutiveSuccess = 0;
    }
    else {
        if (outcome === 'fail')
            c.failed++;
        else
            c.inconclusive++;
        c.consecutiveSuccess = 0;
        c.consecutiveError = 0;
    }
    if (outcome !== 'pass')
        c.last[outcome] = detail;
    c.bestStreak = Math.max(c.bestStreak, c.consecutiveSuccess);
    if (c.succeededInRound === undefined && c.consecutiveSuccess >= successThreshold)
        c.succeededInRound = round;
    return c;
}
/**
 * The limits a check is judged by. The latency SLO and Sentry measure aggregates of the whole gate so
 * far (a p95, the issues first seen in the release), so one good measurement is a success and one bad
 * one a failure (Argo's default failureLimit 0); errors and inconclusive answers use the same limits
 * as every other check.
 */
function limitsFor(kind, policy) {
    if (kind === 'slo' || kind === 'sentry')
        return { ...policy, successThreshold: 1, failureLimit: 0 };
    return policy;
}
/**
 * One check's phase: each limit its own test (Argo's `assessMetricFailureInconclusiveOrError`), the
 * worst crossed limit first; then success once the streak completed; else still running.
 */
function assessCheck(c, limits) {
    const failureLimit = c.kind === 'slo' ? 'max-p95-ms' : c.kind === 'sentry' ? 'max-new-issues' : 'failure-limit';
    if (c.failed > limits.failureLimit)
        return { phase: 'failed', limit: failureLimit };
    if (c.consecutiveError > limits.consecutiveErrorLimit)
        return { phase: 'error', limit: 'consecutive-error-limit' };
    if (c.inconclusive > limits.inconclusiveLimit)
        return { phase: 'inconclusive', limit: 'inconclusive-limit' };
    if (c.succeededInRound !== undefined)
        return { phase: 'successful', limit: 'success-threshold' };
    return { phase: 'running' };
}
const ORDER = ['successful', 'running', 'inconclusive', 'error', 'failed'];
/** Argo's `IsWorse`: failed is worst, then error, inconclusive, running, successful. */
function isWorse(current, next) {
    return ORDER.indexOf(next) > ORDER.indexOf(current);
}
/** A round fails if any probe failed; else it errs, is inconclusive or pending in that order; all passes pass. */
function roundOutcome(probes) {
    if (probes.length === 0)
        return 'error';
    for (const o of ['fail', 'error', 'inconclusive', 'pending']) {
        if (probes.some((p) => p.outcome === o))
            return o;
    }
    return 'pass';
}
/** Latencies the SLO is judged on: answered URL probes of the new version (pending old-version answers, healthy or not, and smoke runs excluded). */
function sloLatencies(rounds) {
    return rounds.flatMap((r) => r.probes.filter(isSloSample).map((p) => p.latencyMs));
}
const SMOKE_CHECK = 'smoke journey';
const SLO_CHECK = 'latency SLO';
const SENTRY_CHECK = 'Sentry';
const KIND_ORDER = ['url', 'smoke', 'slo', 'sentry'];
/**
 * The gate's analysis kept up to date round by round: every check's counters, the SLO's latency
 * percentiles and the bake, so a round costs O(its probes · log n) however many came before it. A
 * round is counted in two halves because Sentry is asked only when the first half says it is due:
 * `countProbes(round)`, then (with `round.sentry` set if it was asked) `judgeRound(round)`; `add`
 * does both for a round that is already complete. The first round that settles the gate (a crossed
 * limit, the worst check deciding, or every check successful and the bake over) fixes the decision;
 * later rounds still count toward `tally`, never toward the checks.
 */
class HealthGate {
    policy;
    /** Every probe counted once, for the report and the outputs. */
    tally = new ProbeTally();
    checks = new Map();
    /** Check names in report order (URLs, smoke journey, SLO, Sentry; first seen first within a kind). */
    order = [];
    perRoundSucceeded = false;
    bakeStartMs;
    decision;
    rounds = 0;
    lastEndedAtMs;
    /** The round whose probes were counted and which is not judged yet. */
    open;
    constructor(policy) {
        this.policy = policy;
        if (policy.maxP95Ms !== undefined)
            this.addCheck(newCheck(SLO_CHECK, 'slo'));
        if (policy.maxNewIssues !== undefined)
            this.addCheck(newCheck(SENTRY_CHECK, 'sentry'));
    }
    /**
     * The first half of a round: counts its probes into the checks and, once every per-round check
     * has succeeded, measures the SLO. Returns the analysis as it stands before Sentry is asked:
     * Sentry is due when `perRoundSucceeded` and there is no `decision`.
     */
    countProbes(round) {
        if (this.open)
            throw new Error(`Round ${this.open.index} was counted but not judged: call judgeRound first.`);
        this.open = round;
        for (const p of round.probes)
            this.tally.add(p);
        if (this.decision)
            return this.analysis();
        for (const p of round.probes) {
            this.record(p.kind === 'smoke' ? SMOKE_CHECK : p.target, p.kind, p.outcome, p.detail, round.index);
        }
        const perRound = this.ordered().filter((c) => c.kind === 'url' || c.kind === 'smoke');
        this.perRoundSucceeded = perRound.length > 0 && perRound.every((c) => c.succeededInRound !== undefined);
        if (this.perRoundSucceeded && this.policy.maxP95Ms !== undefined) {
            const p95 = this.tally.slo.p95.value();
            if (p95 !== undefined) {
                const detail = `p95 latency is ${Math.round(p95)} ms over ${plural(this.tally.slo.count, 'probe')}`;
                this.record(SLO_CHECK, 'slo', p95 > this.policy.maxP95Ms ? 'fail' : 'pass', detail, round.index);
            }
        }
        const settled = this.settle(round.endedAtMs);
        return this.analysisWith(settled.bakeStartMs, settled.decision);
    }
    /** The second half of a round: counts its Sentry measurement, if any, and settles the gate if it can. */
    judgeRound(round) {
        if (this.open !== round)
            throw new Error(`Round ${round.index} must be counted (countProbes) before it is judged.`);
        this.open = undefined;
        this.rounds++;
        this.lastEndedAtMs = round.endedAtMs;
        if (this.decision)
            return;
        if (round.sentry) {
            this.record(SENTRY_CHECK, 'sentry', round.sentry.outcome, round.sentry.detail, round.index);
        }
        const settled = this.settle(round.endedAtMs);
        this.bakeStartMs = settled.bakeStartMs;
        this.decision = settled.decision;
    }
    /** Both halves of a round that already carries its Sentry measurement (if Sentry was asked). */
    add(round) {
        this.countProbes(round);
        this.judgeRound(round);
    }
    /** The analysis as of the last judged round. */
    analysis() {
        return this.analysisWith(this.bakeStartMs, this.decision);
    }
    /**
     * Decides as early as the evidence allows; `nowMs` (default: the end of the last round) past the
     * deadline without a decision is inconclusive (fail closed), or unhealthy when only another version
     * ever answered.
     */
    decide(nowMs) {
        if (this.open)
            throw new Error(`Round ${this.open.index} was counted but not judged: call judgeRound first.`);
        if (this.decision)
            return this.decision;
        const { policy } = this;
        const checks = this.ordered();
        const now = nowMs ?? this.lastEndedAtMs ?? 0;
        if (now < policy.deadlineMs)
            return { verdict: 'undecided', reason: 'Still probing.', checks };
        const limit = 'deadline';
        if (this.rounds === 0) {
            return {
                verdict: 'inconclusive',
                reason: 'The deadline passed before the first probe; raise deadline.',
                limit,
                checks,
            };
        }
        const probed = checks.filter((c) => c.kind === 'url' || c.kind === 'smoke');
        const answered = probed.reduce((n, c) => n + c.successful + c.failed + c.inconclusive, 0);
        const pending = probed.reduce((n, c) => n + c.pending, 0);
        if (answered === 0 && pending > 0) {
            const serving = this.tally.lastObservedVersion;
            return {
                verdict: 'unhealthy',
                reason: `Version ${serving ?? '(none reported)'} is still serving: ${policy.expectVersion ?? 'the new version'} never answered before the deadline, so traffic did not switch to the new deploy.`,
                limit,
                checks,
            };
        }
        if (this.bakeStartMs !== undefined) {
            return {
                verdict: 'inconclusive',
                reason: `The deadline passed ${(0,duration/* formatDuration */.a)(now - this.bakeStartMs)} into the ${(0,duration/* formatDuration */.a)(policy.bakeMs)} bake-time, every check within its limits so far; raise deadline to leave room for the bake.`,
                limit,
                checks,
            };
        }
        // The check furthest from success names the problem.
        const stuck = checks
            .filter((c) => c.phase !== 'successful')
            .sort((x, y) => x.bestStreak - y.bestStreak || y.failed + y.error - (x.failed + x.error))[0] ??
            checks[0];
        const needed = limitsFor(stuck.kind, policy).successThreshold;
        return {
            verdict: 'inconclusive',
            reason: `No decision by the deadline: ${stuck.name} reached ${stuck.bestStreak} of ${needed} consecutive successes (success-threshold) with ${counts(stuck)} in ${plural(this.rounds, 'round')}; the service is flapping or too slow to decide.`,
            check: stuck.name,
            limit,
            checks,
        };
    }
    analysisWith(bakeStartMs, decision) {
        const checks = decision?.checks ?? this.ordered();
        const a = { checks, perRoundSucceeded: this.perRoundSucceeded, bakeStartMs };
        if (decision)
            a.decision = decision;
        return a;
    }
    addCheck(c) {
        this.checks.set(c.name, c);
        this.order = [...this.checks.values()]
            .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
            .map((x) => x.name);
        return c;
    }
    /** The checks in report order; each object is replaced, never changed, once handed out. */
    ordered() {
        return this.order.map((name) => this.checks.get(name));
    }
    record(name, kind, outcome, detail, round) {
        const c = this.checks.get(name) ?? this.addCheck(newCheck(name, kind));
        const threshold = limitsFor(kind, this.policy).successThreshold;
        this.checks.set(name, recordMeasurement(c, outcome, detail, round, threshold));
    }
    /**
     * Assesses every check (each keeps its phase) and says whether the round ending at `endedAtMs`
     * settles the gate: a crossed limit (the worst check decides), or every check successful and the
     * bake over. Returns the bake start as of this round; commits nothing else.
     */
    settle(endedAtMs) {
        const { policy } = this;
        let worst;
        for (const name of this.order) {
            const c = this.checks.get(name);
            const a = assessCheck(c, limitsFor(c.kind, policy));
            const assessed = c.phase === a.phase ? c : { ...c, phase: a.phase };
            this.checks.set(name, assessed);
            if (!worst || isWorse(worst.phase, a.phase))
                worst = { check: assessed, ...a };
        }
        const list = this.ordered();
        if (worst && (worst.phase === 'failed' || worst.phase === 'error' || worst.phase === 'inconclusive')) {
            const verdict = worst.phase === 'failed' || (worst.phase === 'error' && worst.check.kind !== 'sentry')
                ? 'unhealthy'
                : 'inconclusive';
            return {
                bakeStartMs: this.bakeStartMs,
                decision: {
                    verdict,
                    reason: limitReason(worst.check, worst.limit, policy),
                    check: worst.check.name,
                    limit: worst.limit,
                    checks: list,
                },
            };
        }
        let bakeStartMs = this.bakeStartMs;
        if (bakeStartMs === undefined && list.length > 0 && list.every((c) => c.phase === 'successful')) {
            bakeStartMs = endedAtMs;
        }
        if (bakeStartMs !== undefined && endedAtMs - bakeStartMs >= policy.bakeMs) {
            return {
                bakeStartMs,
                decision: {
                    verdict: 'healthy',
                    reason: healthyReason(this.tally.slo.p95.value(), policy),
                    checks: list,
                },
            };
        }
        return { bakeStartMs };
    }
}
/** The analysis of rounds already complete, replayed through a new `HealthGate`. */
function analyse(rounds, policy) {
    const gate = new HealthGate(policy);
    for (const round of rounds)
        gate.add(round);
    return gate.analysis();
}
/** `HealthGate.decide` over rounds already complete, replayed through a new gate. */
function decideGate(rounds, policy, nowMs) {
    const gate = new HealthGate(policy);
    for (const round of rounds)
        gate.add(round);
    return gate.decide(nowMs);
}
function counts(c) {
    return `${c.failed} failed, ${plural(c.error, 'error')}, ${c.inconclusive} inconclusive and ${c.pending} pending`;
}
/** `<check> failed 5 of 9 measurements, above failure-limit 4 (last: answered 503, expected 200).` */
function limitReason(c, limit, policy) {
    const measured = c.successful + c.failed + c.inconclusive + c.error;
    if (c.kind === 'slo' && limit === 'max-p95-ms') {
        return `Latency SLO failed: ${c.last.fail}, above max-p95-ms ${policy.maxP95Ms} ms.`;
    }
    if (c.kind === 'sentry' && limit === 'max-new-issues') {
        return `The probes passed but Sentry ${c.last.fail}, above max-new-issues ${policy.maxNewIssues}.`;
    }
    if (c.kind === 'sentry' && limit === 'consecutive-error-limit') {
        return `Sentry could not be queried ${c.consecutiveError} times in a row, above consecutive-error-limit ${policy.consecutiveErrorLimit}: ${c.last.error}`;
    }
    if (limit === 'failure-limit') {
        return `${c.name} failed ${c.failed} of ${plural(measured, 'measurement')}, above failure-limit ${policy.failureLimit} (last: ${c.last.fail}).`;
    }
    if (limit === 'consecutive-error-limit') {
        return `${c.name} got no answer ${c.consecutiveError} times in a row, above consecutive-error-limit ${policy.consecutiveErrorLimit} (last: ${c.last.error}).`;
    }
    return `${c.name} was inconclusive ${c.inconclusive} times, above inconclusive-limit ${policy.inconclusiveLimit} (last: ${c.last.inconclusive}).`;
}
function healthyReason(p95, policy) {
    const bake = policy.bakeMs > 0
        ? ` and stayed within its limits for the ${(0,duration/* formatDuration */.a)(policy.bakeMs)} bake-time`
        : '';
    const slo = p95 !== undefined ? `; p95 ${Math.round(p95)} ms` : '';
    const budget = policy.maxP95Ms !== undefined ? ` (SLO ${policy.maxP95Ms} ms)` : '';
    return `Every check passed ${policy.successThreshold} times in a row (success-threshold)${bake}${slo}${budget}.`;
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
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

;// CONCATENATED MODULE: ./actions/health-gate/src/smoke.ts
/**
 * The smoke journey: a YAML list of HTTP steps (login → use the token → list things), each with an
 * expected status, JSON conditions and captures. `${NAME}` takes a capture or an environment variable
 * that `smoke-variables` allows — never any other (the runner's tokens, other inputs); steps call the
 * gate URL's origin unless `smoke-origins` allows another, and the `headers` input never leaves that
 * origin. Parsing validates everything up front (unknown `${NAME}` is a config error naming the step).
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
/** The default allow-list: the names the service's own journey (service/smoke.yml) uses. */
const DEFAULT_SMOKE_VARIABLES = ['SMOKE_*'];
/** Runner internals and action inputs: never reachable, whatever the allow-list says. */
const FORBIDDEN_PREFIXES = ['ACTIONS_', 'INPUT_'];
/** Validates `smoke-variables` entries (`NAME` or `PREFIX*`); `what` names the input in errors. */
function parseVariablePatterns(items, what) {
    for (const item of items) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(item)) {
            throw new errors/* UserError */.yo(`${what} has "${item}", which is not a variable name or a PREFIX* pattern: write names like SMOKE_EMAIL or SMOKE_*, one per line.`);
        }
        const prefix = item.replace(/\*$/, '');
        const reaches = (p) => item.endsWith('*') ? p.startsWith(prefix) || prefix.startsWith(p) : prefix.startsWith(p);
        if (FORBIDDEN_PREFIXES.some(reaches)) {
            throw new errors/* UserError */.yo(`${what} has "${item}", which would expose the runner's own variables (ACTIONS_*, INPUT_*): pass the value under "env:" with a name like SMOKE_VALUE instead.`);
        }
    }
    return items;
}
function variableAllowed(name, patterns) {
    if (FORBIDDEN_PREFIXES.some((p) => name.startsWith(p)))
        return false;
    return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}
/** Only the allowed variables of `env`: the journey never sees the rest. */
function allowedEnv(env, patterns) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined && variableAllowed(k, patterns))
            out[k] = v;
    return out;
}
/** `smoke-origins` entries as origins; `what` names the input in errors. */
function parseOrigins(items, what) {
    return items.map((item) => {
        let u;
        try {
            u = new URL(item);
        }
        catch {
            u = undefined;
        }
        if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || item.replace(/\/$/, '') !== u.origin) {
            throw new errors/* UserError */.yo(`${what} has "${item}", which is not an origin: write scheme and host only, like https://auth.example.com.`);
        }
        return u.origin;
    });
}
/** The origin of `url` when the policy lets a step call it, else undefined. */
function allowedOrigin(url, policy) {
    let origin;
    try {
        origin = new URL(url).origin;
    }
    catch {
        return undefined;
    }
    return origin === policy.origin || policy.otherOrigins.includes(origin) ? origin : undefined;
}
/**
 * Parses and validates a journey. `env` is where `${NAME}` looks besides earlier captures, limited to
 * `policy.variables`; `file` names the file in messages.
 */
function parseSmokeJourney(text, file, env, given = {}) {
    // Without an origin (parsing outside the gate) only the variables are checked.
    const policy = {
        variables: given.variables ?? DEFAULT_SMOKE_VARIABLES,
        origin: given.origin ?? '',
        otherOrigins: given.otherOrigins ?? [],
    };
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text);
    }
    catch (err) {
        throw new errors/* UserError */.yo(`smoke-file ${file} is not valid YAML (${err.message.split('\n')[0]}): fix the syntax.`);
    }
    const steps = doc?.steps;
    if (!Array.isArray(steps) || steps.length === 0) {
        throw new errors/* UserError */.yo(`smoke-file ${file} has no "steps:" list: write at least one step with a name and a path.`);
    }
    const captured = new Set();
    const parsed = steps.map((raw, i) => {
        const where = `smoke-file ${file} step ${i + 1}`;
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
            throw new errors/* UserError */.yo(`${where} is not a mapping: write it as "- name: …" with path, method and expectations.`);
        }
        const s = raw;
        if (typeof s.name !== 'string' || s.name.trim() === '') {
            throw new errors/* UserError */.yo(`${where} has no "name": give every step a name so failures can point to it.`);
        }
        const name = s.name.trim();
        const at = `smoke-file ${file} step "${name}"`;
        const unknown = Object.keys(s).filter((k) => !STEP_KEYS.has(k));
        if (unknown.length > 0) {
            throw new errors/* UserError */.yo(`${at} has unknown key(s) ${unknown.join(', ')}: allowed are ${[...STEP_KEYS].join(', ')}.`);
        }
        const method = String(s.method ?? 'GET').toUpperCase();
        if (!METHODS.has(method))
            throw new errors/* UserError */.yo(`${at} has method "${method}": use GET, POST, PUT, PATCH or DELETE.`);
        const path = optionalString(s.path, `${at} "path"`);
        const url = optionalString(s.url, `${at} "url"`);
        if ((path === undefined) === (url === undefined)) {
            throw new errors/* UserError */.yo(`${at} needs exactly one of "path" (relative to the first url) or "url" (absolute).`);
        }
        if (url !== undefined && !/^https?:\/\/[^/\s]/.test(url)) {
            throw new errors/* UserError */.yo(`${at} has url "${url}", which must be an absolute http:// or https:// URL.`);
        }
        // A URL whose host is a ${NAME} is checked when it is known, before each request.
        const fixedHost = url !== undefined && !/^https?:\/\/[^/?#]*\$\{/.test(url);
        if (fixedHost && policy.origin !== '' && !allowedOrigin(url, policy)) {
            throw new errors/* UserError */.yo(`${at} calls ${displayOrigin(url)}, which is neither the gate URL's origin (${policy.origin}) nor in smoke-origins: use "path" for the service, or add that origin to smoke-origins if the journey must call it.`);
        }
        if (path !== undefined && !path.startsWith('/')) {
            throw new errors/* UserError */.yo(`${at} has path "${path}", which must start with "/".`);
        }
        const headers = {};
        if (s.headers !== undefined) {
            if (s.headers === null || typeof s.headers !== 'object' || Array.isArray(s.headers)) {
                throw new errors/* UserError */.yo(`${at} "headers" must be a mapping of header name to value.`);
            }
            for (const [k, v] of Object.entries(s.headers))
                headers[k] = valueText(v);
        }
        const expectStatus = parseExpectStatus((s['expect-status'] ?? 200), `${at} "expect-status"`);
        const rawConditions = s['expect-json'] ?? [];
        if (!Array.isArray(rawConditions)) {
            throw new errors/* UserError */.yo(`${at} "expect-json" must be a list like ["token_type=bearer"].`);
        }
        const expectJson = rawConditions.map((c) => parseCondition(String(c), `${at} "expect-json"`));
        const capture = {};
        if (s.capture !== undefined) {
            if (s.capture === null || typeof s.capture !== 'object' || Array.isArray(s.capture)) {
                throw new errors/* UserError */.yo(`${at} "capture" must be a mapping of name to JSON path, like { token: access_token }.`);
            }
            for (const [k, v] of Object.entries(s.capture)) {
                if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
                    throw new errors/* UserError */.yo(`${at} captures "${k}", which is not a valid name.`);
                capture[k] = String(v);
            }
        }
        for (const used of variablesIn([path, url, headers, s.json])) {
            if (captured.has(used))
                continue;
            if (!variableAllowed(used, policy.variables)) {
                throw new errors/* UserError */.yo(`${at} uses \${${used}}, which no earlier step captures and smoke-variables does not allow: capture it in an earlier step, or add ${used} to smoke-variables and pass it under "env:".`);
            }
            if (env[used] === undefined) {
                throw new errors/* UserError */.yo(`${at} uses \${${used}}, which no earlier step captures and the environment does not set: pass it under "env:" on the step or capture it in an earlier step.`);
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
function displayOrigin(url) {
    try {
        return new URL(url).origin;
    }
    catch {
        return 'another origin';
    }
}
function optionalString(value, what) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'string' || value.trim() === '')
        throw new errors/* UserError */.yo(`${what} must be a non-empty string.`);
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
        let status;
        try {
            const res = await (0,http/* http */.LV)(target, {
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

;// CONCATENATED MODULE: ./actions/health-gate/src/config.ts
/** Reads and validates every input before the gate does anything, so a bad input fails in milliseconds. */







/** Defaults, justified in the README with `npm run bench:gate`. */
const DEFAULTS = {
    successThreshold: 3,
    failureLimit: 4,
    consecutiveErrorLimit: 2,
    inconclusiveLimit: 4,
    bakeTime: '2m',
};
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
        throw new errors/* UserError */.yo('Input "timeout" must be longer than 0: write it like 5s.');
    if (deadlineMs <= initialDelayMs) {
        throw new errors/* UserError */.yo('Input "deadline" must be longer than "initial-delay": the deadline counts from the start of the step, so no probe could run.');
    }
    const bakeMs = inputs.duration('bake-time', DEFAULTS.bakeTime);
    if (initialDelayMs + bakeMs >= deadlineMs) {
        throw new errors/* UserError */.yo(`Input "deadline" (${(0,duration/* formatDuration */.a)(deadlineMs)}) leaves no time to reach the success streak before the ${(0,duration/* formatDuration */.a)(bakeMs)} bake-time${initialDelayMs > 0 ? ' and the initial-delay' : ''}: raise deadline, or shorten bake-time.`);
    }
    const successThreshold = inputs.int('success-threshold', DEFAULTS.successThreshold, { min: 1 });
    // failure-threshold N (consecutive failing rounds, before failure-limit existed) maps to
    // failure-limit N-1 and consecutive-error-limit N-1: N failures in a row still decide at the same
    // round, and so do N failures spread out.
    const threshold = inputs.int('failure-threshold', undefined, { min: 1 });
    const failureLimit = inputs.int('failure-limit', threshold === undefined ? defaultFailureLimit(successThreshold, bakeMs, intervalMs) : threshold - 1, { min: 0 });
    const consecutiveErrorLimit = inputs.int('consecutive-error-limit', threshold === undefined ? DEFAULTS.consecutiveErrorLimit : threshold - 1, { min: 0 });
    const inconclusiveLimit = inputs.int('inconclusive-limit', DEFAULTS.inconclusiveLimit, {
        min: 0,
    });
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
            throw new errors/* UserError */.yo(`smoke-file ${smokeFile} could not be read (looked at ${path}): check the path, relative to the repository root, and that the job checked out the repository.`);
        }
        const variables = inputs.list('smoke-variables', { commas: true });
        const policy = {
            variables: parseVariablePatterns(variables.length > 0 ? variables : DEFAULT_SMOKE_VARIABLES, 'Input "smoke-variables"'),
            origin: new URL(urls[0]).origin,
            otherOrigins: parseOrigins(inputs.list('smoke-origins', { commas: true }), 'Input "smoke-origins"'),
        };
        smoke = { file: smokeFile, steps: parseSmokeJourney(text, smokeFile, env, policy), policy };
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
            throw new errors/* UserError */.yo(`The Sentry gate needs ${missing.join(', ')} besides sentry-auth-token: set them, or remove sentry-auth-token to skip the Sentry check.`);
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
        failureLimit,
        consecutiveErrorLimit,
        inconclusiveLimit,
        bakeMs,
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
/**
 * failure-limit when none is given: 4, or one per 10 rounds the gate plans (streak + bake) when that is
 * more. A service failing a few percent of its probes collects more failures over a longer bake; 4 is
 * right for the default 27 rounds (2m bake at 5s), 7 for a 5m bake (README: Defaults, measured).
 */
function defaultFailureLimit(successThreshold, bakeMs, intervalMs) {
    const planned = successThreshold + Math.ceil(bakeMs / Math.max(1, intervalMs));
    return Math.max(DEFAULTS.failureLimit, Math.ceil(planned / 10));
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
            throw new errors/* UserError */.yo(`Input "headers" line ${i + 1} is not "Name: value": write one header per line, like "Authorization: Bearer …".`);
        }
        headers[name.toLowerCase()] = line.slice(at + 1).trim();
    });
    return headers;
}

// EXTERNAL MODULE: ./lib/summary.ts
var summary = __webpack_require__(1262);
;// CONCATENATED MODULE: ./actions/health-gate/src/report.ts
/**
 * The gate's Markdown report (job summary, PR comment, `report` output): verdict first and the limit
 * that decided, a table of every check's counters, a Mermaid latency chart, the first failing response
 * (scrubbed) and Sentry findings.
 */




const MARKER = (0,summary/* commentMarker */.Ql)('health-gate');
/** Counts and latency percentiles per probed target (answered, non-pending probes for latency). */
function targetStats(rounds) {
    const tally = new ProbeTally();
    for (const round of rounds)
        for (const p of round.probes)
            tally.add(p);
    return tally.targetStats();
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
    if (r.decision.limit && r.decision.limit !== 'success-threshold') {
        out.push(`Decided by **${r.decision.limit}**${r.decision.check ? ` on ${r.decision.check}` : ''}.`, '');
    }
    const s = r.settings;
    const facts = [
        `${r.rounds.length} round${r.rounds.length === 1 ? '' : 's'} in ${(0,duration/* formatDuration */.a)(r.elapsedMs)}`,
        `success-threshold ${s.successThreshold}, failure-limit ${s.failureLimit}, consecutive-error-limit ${s.consecutiveErrorLimit}, inconclusive-limit ${s.inconclusiveLimit}`,
        `bake-time ${(0,duration/* formatDuration */.a)(s.bakeMs)}`,
        `interval ${(0,duration/* formatDuration */.a)(s.intervalMs)}, timeout ${(0,duration/* formatDuration */.a)(s.timeoutMs)}`,
    ];
    if (s.maxP95Ms !== undefined)
        facts.push(`SLO p95 ≤ ${s.maxP95Ms} ms`);
    if (s.expectVersion)
        facts.push(`expects version \`${s.expectVersion}\`, saw \`${r.observedVersion ?? 'none'}\``);
    out.push(facts.join(' · '), '');
    if (r.decision.checks && r.decision.checks.length > 0) {
        out.push(checkTable(r.decision.checks, r.stats ?? targetStats(r.rounds)), '');
    }
    if (r.rounds.length > 0)
        out.push(latencyChart(r.rounds), '');
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
/**
 * Every check's counters (Argo's MetricResult): successful, failed, errors, inconclusive, pending,
 * the current runs of successes and errors, its phase; latency percentiles for URL checks.
 */
function checkTable(checks, stats) {
    const ms = (n) => (n === undefined ? '–' : String(Math.round(n)));
    return (0,summary/* table */.tp)([
        'check',
        'phase',
        'successful',
        'failed',
        'errors',
        'inconclusive',
        'pending',
        'successes in a row',
        'errors in a row',
        'p50 ms',
        'p95 ms',
        'p99 ms',
    ], checks.map((c) => {
        const t = c.kind === 'url' ? stats.find((x) => x.target === c.name) : undefined;
        return [
            c.name,
            c.phase,
            c.successful,
            c.failed,
            c.error,
            c.inconclusive,
            c.pending,
            c.consecutiveSuccess,
            c.consecutiveError,
            ms(t?.p50),
            ms(t?.p95),
            ms(t?.p99),
        ];
    }));
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
 * "List an Organization's Issues" endpoint (GET /api/0/organizations/{org}/issues/, which replaces
 * the deprecated project issues endpoint) with `project=<slug>` for each project, the search
 * `firstRelease:"<release>"` and Bearer auth (scope event:read).
 */



const MAX_PAGES = 10;
function issuesUrl(cfg, cursor, projects = [cfg.project]) {
    const query = new URLSearchParams();
    for (const p of projects)
        query.append('project', p);
    query.set('query', `firstRelease:"${cfg.release}"`);
    if (cursor)
        query.set('cursor', cursor);
    return `${sentryApiBase(cfg.baseUrl)}/organizations/${encodeURIComponent(cfg.org)}/issues/?${query}`;
}
/**
 * New issues of the release over several projects (one release often spans API and web): one query,
 * following Sentry's cursor pagination (Link header).
 */
async function countNewIssuesAcross(cfg, projects, timeoutMs = 15_000) {
    const named = { ...cfg, project: projects.join(', ') };
    const issues = [];
    let cursor;
    for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await (0,http/* http */.LV)(issuesUrl(cfg, cursor, projects), {
            headers: { authorization: `Bearer ${cfg.token}`, accept: 'application/json' },
            timeoutMs,
            service: 'Sentry API',
            retry: { retries: 2, baseDelayMs: 300 },
        });
        if (res.status !== 200)
            throw new errors/* UserError */.yo(sentryErrorSentence(res.status, res.text, named));
        let list;
        try {
            list = res.json();
        }
        catch {
            list = undefined;
        }
        if (!Array.isArray(list)) {
            throw new errors/* UserError */.yo(`Sentry answered 200 but not with a list of issues (${(0,http/* excerpt */.Kb)(res.text, 120)}): check that sentry-url points at the Sentry API.`);
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
        return `Sentry rejected sentry-auth-token (401: ${said}): use a valid auth token with the event:read scope.`;
    }
    if (status === 403) {
        return `Sentry refused to list issues of ${cfg.project} in organization "${cfg.org}" (403: ${said}): give the token the event:read scope and access to those projects, and check that sentry-project names projects of sentry-org (the slugs in their URLs).`;
    }
    if (status === 404) {
        return `Sentry has no organization "${cfg.org}" this token can see at ${cfg.baseUrl} (404): check sentry-org (the slug in your Sentry URL) and sentry-url for self-hosted Sentry.`;
    }
    return `Sentry answered ${status} when listing issues of release ${cfg.release} (${said}): try again later, or check sentry-url.`;
}

;// CONCATENATED MODULE: ./actions/health-gate/src/main.ts













async function main(io) {
    const config = readConfig(io.inputs);
    registerSecrets(io, config);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const policy = {
        successThreshold: config.successThreshold,
        failureLimit: config.failureLimit,
        consecutiveErrorLimit: config.consecutiveErrorLimit,
        inconclusiveLimit: config.inconclusiveLimit,
        bakeMs: config.bakeMs,
        deadlineMs: config.deadlineMs,
        maxP95Ms: config.maxP95Ms,
        maxNewIssues: config.sentry?.maxNewIssues,
        expectVersion: config.expectations.expectVersion,
    };
    io.info(`Probing ${config.urls.map(displayUrl).join(', ')}${config.smoke ? ` and the smoke journey ${config.smoke.file}` : ''} every ${(0,duration/* formatDuration */.a)(config.intervalMs)} until every check passes ${config.successThreshold} times in a row${config.bakeMs > 0 ? `, then for a ${(0,duration/* formatDuration */.a)(config.bakeMs)} bake` : ''}; a check fails above failure-limit ${config.failureLimit}, consecutive-error-limit ${config.consecutiveErrorLimit} or inconclusive-limit ${config.inconclusiveLimit} (deadline ${(0,duration/* formatDuration */.a)(config.deadlineMs)}).`);
    if (config.initialDelayMs > 0) {
        io.info(`Waiting ${(0,duration/* formatDuration */.a)(config.initialDelayMs)} (initial-delay) before the first round.`);
        await (0,http/* sleep */.yy)(config.initialDelayMs);
    }
    const gate = new HealthGate(policy);
    const rounds = [];
    let smokeSteps;
    let sentryFinding;
    let sentryError;
    const smokeEnv = config.smoke ? allowedEnv(process.env, config.smoke.policy.variables) : {};
    let decision = { verdict: 'undecided', reason: 'Still probing.' };
    for (let index = 1; decision.verdict === 'undecided'; index++) {
        const startedAtMs = elapsed();
        // URL probes and the smoke journey run side by side, so a round takes as long as its slowest part.
        const [probes, smoke] = await Promise.all([
            Promise.all(config.urls.map((url) => probeUrl(url, config.expectations, { timeoutMs: config.timeoutMs, headers: config.headers }))),
            config.smoke
                ? runSmoke(config.smoke.steps, {
                    policy: config.smoke.policy,
                    timeoutMs: config.timeoutMs,
                    env: smokeEnv,
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
        // Sentry is asked once every URL and the smoke journey have passed their streak, then every round.
        const state = gate.countProbes(round);
        if (config.sentry && state.perRoundSucceeded && !state.decision) {
            const measured = await measureSentry(config.sentry);
            round.sentry = measured.measurement;
            sentryFinding = measured.finding ?? sentryFinding;
            sentryError = measured.error;
            round.endedAtMs = elapsed();
        }
        gate.judgeRound(round);
        io.info((0,untrusted/* safeLogLine */.A)(describeRound(round)));
        decision = gate.decide(round.endedAtMs);
        if (decision.verdict !== 'undecided')
            break;
        const wait = Math.max(0, startedAtMs + config.intervalMs - elapsed());
        if (elapsed() + wait >= config.deadlineMs) {
            decision = gate.decide(config.deadlineMs);
            break;
        }
        await (0,http/* sleep */.yy)(wait);
    }
    const sentry = config.sentry && {
        finding: sentryFinding,
        error: sentryError,
        maxNewIssues: config.sentry.maxNewIssues,
        project: config.sentry.projects.map((p) => `${config.sentry?.org}/${p}`).join(', '),
    };
    const result = decision.verdict;
    const totals = gate.tally.totals();
    const slo = gate.tally.slo.values();
    const observedVersion = gate.tally.lastObservedVersion;
    const ctx = (0,github/* githubContext */.h4)();
    const report = buildReport({
        decision,
        rounds,
        stats: gate.tally.targetStats(),
        elapsedMs: elapsed(),
        settings: { ...policy, intervalMs: config.intervalMs, timeoutMs: config.timeoutMs },
        urls: config.urls.map(displayUrl),
        observedVersion,
        smokeSteps,
        sentry,
        runUrl: ctx.runUrl,
        scrub: (text) => io.secrets.scrub(text),
    });
    const ms = (n) => (n === undefined ? '' : String(Math.round(n)));
    io.setOutput('result', result);
    io.setOutput('healthy', result === 'healthy');
    io.setOutput('probes', totals.probes);
    io.setOutput('passes', totals.passes);
    io.setOutput('failures', totals.failures);
    io.setOutput('errors', totals.errors);
    io.setOutput('p50-ms', ms(slo.p50));
    io.setOutput('p95-ms', ms(slo.p95));
    io.setOutput('p99-ms', ms(slo.p99));
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
    io.info((0,untrusted/* safeLogLine */.A)(`Health gate: ${result} after ${rounds.length} round(s) in ${(0,duration/* formatDuration */.a)(elapsed())}. ${decision.reason}`));
    if (result !== 'healthy') {
        if (config.failOnUnhealthy)
            throw new errors/* UserError */.yo(`Health gate ${result}: ${decision.reason}`);
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
/** One Sentry measurement: within max-new-issues passes, above fails, a call that failed is an error. */
async function measureSentry(s) {
    try {
        const finding = await countNewIssuesAcross(s, s.projects);
        const count = `${finding.count}${finding.more ? '+' : ''}`;
        const detail = `shows ${count} new issue${finding.count === 1 ? '' : 's'} first seen in release ${finding.release}`;
        return { measurement: { outcome: finding.count > s.maxNewIssues ? 'fail' : 'pass', detail }, finding };
    }
    catch (err) {
        if (!(err instanceof errors/* UserError */.yo))
            throw err;
        const error = (0,untrusted/* safeLogLine */.A)((0,errors/* errorMessage */.gJ)(err));
        return { measurement: { outcome: 'error', detail: error }, error };
    }
}
function describeRound(round) {
    const parts = round.probes.map((p) => {
        const ms = p.answered ? ` in ${Math.round(p.latencyMs)}ms` : '';
        return `${p.target} ${p.detail}${ms}`;
    });
    if (round.sentry)
        parts.push(`Sentry ${round.sentry.detail}`);
    return `Round ${round.index}: ${roundOutcome(round.probes)} · ${parts.join(' · ')}`;
}


/***/ }),

/***/ 7271:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ safeLogLine),
/* harmony export */   H: () => (/* binding */ safeLogText)
/* harmony export */ });
/**
 * Text from elsewhere (a vendor's log lines or error messages, a probed service's answer) on its way
 * to the step log. The runner reads every stdout line whose trimmed text starts with `::` as a
 * workflow command (`::error::`, `::add-mask::`, `::stop-commands::`…), and a `##[` anywhere in a line
 * as a legacy one, so remote text printed as it is can forge annotations or switch command
 * processing off. Strip it first.
 */
/** ANSI escape sequences (colours, cursor moves, OSC titles) as terminals and log viewers read them. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
/** C0 controls other than tab and newline, DEL and C1 controls; `\r` too (it would start a new line). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Unicode line and paragraph separators, which some viewers break lines on. */
const SEPARATORS = /[\u2028\u2029\u0085]/g;
/** Zero-width space: not whitespace to the runner's Trim(), so `\u200b::x::` is plain text. */
const ZWSP = '\u200b';
/**
 * Makes remote text safe to print: removes ANSI escapes and control characters (keeping tab and
 * newline), and breaks every line that the runner would take for a workflow command by putting a
 * zero-width space before its leading `::` and inside every `##[`. What a person reads is unchanged.
 *
 * @param text untrusted text, one or more lines
 * @returns the same text, unable to issue workflow commands
 * @example io.info(`Build log:\n${safeLogText(lines.join('\n'))}`)
 */
function safeLogText(text) {
    return text
        .replace(ANSI, '')
        .replace(/\r\n?/g, '\n')
        .replace(SEPARATORS, '\n')
        .replace(CONTROL, '')
        .split('\n')
        .map((line) => {
        const defused = line.replace(/##\[/g, `#${ZWSP}#[`);
        return /^\s*::/.test(defused) ? defused.replace(/^(\s*)::/, `$1${ZWSP}::`) : defused;
    })
        .join('\n');
}
/** One line of remote text (a status, a domain, a message) for a log line: newlines become spaces. */
function safeLogLine(text) {
    return safeLogText(text).replace(/\n+/g, ' ');
}


/***/ })

};
