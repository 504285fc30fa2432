// `npm run rehearse [scenario…]`: the gated deploy, end to end on this machine, driven by the
// workflow YAML through the local executor (see test/rehearsal/rehearsal.ts). Prints per scenario
// the jobs that ran, were skipped or failed, the recovery time, and writes every job summary under
// rehearsal-output/<scenario>/.

import { rehearseConcurrency } from '../test/rehearsal/concurrency.js';
import {
  EXPECTED_RESULT,
  PR_NUMBER,
  problems,
  rehearse,
  SCENARIOS,
  type ScenarioName,
  summarizeJobs,
} from '../test/rehearsal/rehearsal.js';

const wanted = process.argv.slice(2);
const all = [...SCENARIOS, 'concurrency'];
const unknown = wanted.filter((s) => !all.includes(s));
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}: choose from ${all.join(', ')}.`);
  process.exit(2);
}

let failures = 0;
for (const scenario of wanted.length ? wanted : all) {
  console.log(`\n━━ scenario: ${scenario}`);
  try {
    if (scenario === 'concurrency') {
      const c = await rehearseConcurrency({ log: (line) => console.log(`  ${line}`) });
      for (const line of c.lines) console.log(`  ⇒ ${line}`);
      if (!c.ok) failures++;
      continue;
    }
    const r = await rehearse(scenario as ScenarioName, { log: (line) => console.log(`  ${line}`) });
    const want = EXPECTED_RESULT[scenario as ScenarioName];
    const wrong = problems(r);
    if (wrong.length > 0) failures++;
    console.log(
      `  ⇒ result ${r.result} (expected ${want}), serving ${r.servingVersion?.slice(0, 7) ?? 'nothing'}`,
    );
    for (const p of wrong) console.log(`  ✖ ${p}`);
    console.log(`  ⇒ ran:     ${r.ran.join(', ') || '—'}`);
    console.log(`  ⇒ skipped: ${r.skipped.join(', ') || '—'}`);
    console.log(`  ⇒ failed:  ${r.failed.join(', ') || '—'}`);
    if (r.pullRequest) {
      const pr = r.pullRequest;
      for (const [label, run] of [
        ['second push', pr.second],
        ['fork', pr.fork],
      ] as const) {
        const jobs = summarizeJobs(run);
        console.log(
          `  ⇒ ${label}: ran ${jobs.ran.join(', ') || '—'}; skipped ${jobs.skipped.join(', ') || '—'}; failed ${jobs.failed.join(', ') || '—'}`,
        );
      }
      console.log(
        `  ⇒ comment writes on #${PR_NUMBER}: ${pr.writes.map((w) => w.split(' ')[0]).join(' then ') || 'none'}; comments on the fork's pull request: ${pr.forkComments.length}`,
      );
      console.log(`  ⇒ job summaries in ${r.outputDir}/{first,second,fork}`);
      continue;
    }
    console.log(
      r.recoveryMs !== undefined
        ? `  ⇒ recovery (bad version live → v1 serving again): ${(r.recoveryMs / 1000).toFixed(1)} s (target < 300 s)`
        : '  ⇒ recovery: — (the bad version never went live)',
    );
    if (r.drill)
      console.log(
        `  ⇒ restore drill: ${r.drill.conclusion}, restore time ${r.drill.seconds ?? '?'} s (the deploy's encrypted backup into a scratch database)`,
      );
    if (r.drillS3)
      console.log(
        `  ⇒ restore drill from the bucket: ${r.drillS3.conclusion}, restore time ${r.drillS3.seconds ?? '?'} s (${r.drillS3.expectedBackup})`,
      );
    console.log(`  ⇒ job summaries in ${r.outputDir}`);
  } catch (err) {
    failures++;
    console.log(`  ✖ ${(err as Error).message}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
