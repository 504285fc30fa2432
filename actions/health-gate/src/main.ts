import type { ActionIO } from '../../../lib/action.js';
import { formatDuration } from '../../../lib/duration.js';
import { errorMessage, UserError } from '../../../lib/errors.js';
import { commentOnPullRequest, githubContext } from '../../../lib/github.js';
import { sleep } from '../../../lib/http.js';
import { secretParts } from '../../../lib/mask.js';
import { safeLogLine } from '../../../lib/untrusted.js';
import { type Config, readConfig } from './config.js';
import {
  type GateDecision,
  type GatePolicy,
  HealthGate,
  type Measurement,
  type Round,
  roundOutcome,
} from './decide.js';
import { probeUrl } from './probe.js';
import { buildReport, MARKER } from './report.js';
import { countNewIssuesAcross, type SentryFinding } from './sentry.js';
import { allowedEnv, runSmoke, type StepResult } from './smoke.js';
import { displayUrl } from './text.js';

export async function main(io: ActionIO): Promise<void> {
  const config = readConfig(io.inputs);
  registerSecrets(io, config);

  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const policy: GatePolicy = {
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
  io.info(
    `Probing ${config.urls.map(displayUrl).join(', ')}${config.smoke ? ` and the smoke journey ${config.smoke.file}` : ''} every ${formatDuration(config.intervalMs)} until every check passes ${config.successThreshold} times in a row${config.bakeMs > 0 ? `, then for a ${formatDuration(config.bakeMs)} bake` : ''}; a check fails above failure-limit ${config.failureLimit}, consecutive-error-limit ${config.consecutiveErrorLimit} or inconclusive-limit ${config.inconclusiveLimit} (deadline ${formatDuration(config.deadlineMs)}).`,
  );
  if (config.initialDelayMs > 0) {
    io.info(`Waiting ${formatDuration(config.initialDelayMs)} (initial-delay) before the first round.`);
    await sleep(config.initialDelayMs);
  }

  const gate = new HealthGate(policy);
  const rounds: Round[] = [];
  let smokeSteps: StepResult[] | undefined;
  let sentryFinding: SentryFinding | undefined;
  let sentryError: string | undefined;
  const smokeEnv = config.smoke ? allowedEnv(process.env, config.smoke.policy.variables) : {};
  let decision: GateDecision = { verdict: 'undecided', reason: 'Still probing.' };
  for (let index = 1; decision.verdict === 'undecided'; index++) {
    const startedAtMs = elapsed();
    // URL probes and the smoke journey run side by side, so a round takes as long as its slowest part.
    const [probes, smoke] = await Promise.all([
      Promise.all(
        config.urls.map((url) =>
          probeUrl(url, config.expectations, { timeoutMs: config.timeoutMs, headers: config.headers }),
        ),
      ),
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
    const round: Round = { index, startedAtMs, endedAtMs: elapsed(), probes };
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
    io.info(safeLogLine(describeRound(round)));
    decision = gate.decide(round.endedAtMs);
    if (decision.verdict !== 'undecided') break;
    const wait = Math.max(0, startedAtMs + config.intervalMs - elapsed());
    if (elapsed() + wait >= config.deadlineMs) {
      decision = gate.decide(config.deadlineMs);
      break;
    }
    await sleep(wait);
  }

  const sentry = config.sentry && {
    finding: sentryFinding,
    error: sentryError,
    maxNewIssues: config.sentry.maxNewIssues,
    project: config.sentry.projects.map((p) => `${config.sentry?.org}/${p}`).join(', '),
  };

  const result = decision.verdict as 'healthy' | 'unhealthy' | 'inconclusive';
  const totals = gate.tally.totals();
  const slo = gate.tally.slo.values();
  const observedVersion = gate.tally.lastObservedVersion;
  const ctx = githubContext();
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
  const ms = (n: number | undefined) => (n === undefined ? '' : String(Math.round(n)));
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
    await commentOnPullRequest(io, {
      token: config.githubToken,
      marker: MARKER,
      body: config.commentHeader ? `${config.commentHeader}\n\n---\n\n${report}` : report,
      what: 'health report',
    });
  }

  io.info(
    safeLogLine(
      `Health gate: ${result} after ${rounds.length} round(s) in ${formatDuration(elapsed())}. ${decision.reason}`,
    ),
  );
  if (result !== 'healthy') {
    if (config.failOnUnhealthy) throw new UserError(`Health gate ${result}: ${decision.reason}`);
    io.warning(`Health gate ${result} (fail-on-unhealthy is false, so the step passes): ${decision.reason}`);
  }
}

/** Every value that must never be shown, registered before the first log line. */
function registerSecrets(io: ActionIO, config: Config): void {
  for (const value of Object.values(config.headers)) io.secrets.register(value);
  io.secrets.register(config.sentry?.token);
  io.secrets.register(config.githubToken);
  // A URL's password or token parameters, not the whole URL (people need to see what was probed).
  for (const url of config.urls) for (const part of secretParts(url).slice(1)) io.secrets.register(part);
}

/** One Sentry measurement: within max-new-issues passes, above fails, a call that failed is an error. */
async function measureSentry(
  s: NonNullable<Config['sentry']>,
): Promise<{ measurement: Measurement; finding?: SentryFinding; error?: string }> {
  try {
    const finding = await countNewIssuesAcross(s, s.projects);
    const count = `${finding.count}${finding.more ? '+' : ''}`;
    const detail = `shows ${count} new issue${finding.count === 1 ? '' : 's'} first seen in release ${finding.release}`;
    return { measurement: { outcome: finding.count > s.maxNewIssues ? 'fail' : 'pass', detail }, finding };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const error = safeLogLine(errorMessage(err));
    return { measurement: { outcome: 'error', detail: error }, error };
  }
}

function describeRound(round: Round): string {
  const parts = round.probes.map((p) => {
    const ms = p.answered ? ` in ${Math.round(p.latencyMs)}ms` : '';
    return `${p.target} ${p.detail}${ms}`;
  });
  if (round.sentry) parts.push(`Sentry ${round.sentry.detail}`);
  return `Round ${round.index}: ${roundOutcome(round.probes)} · ${parts.join(' · ')}`;
}
