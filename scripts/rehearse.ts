// `npm run rehearse [scenario…]`: the gated deploy, end to end on this machine (see
// test/rehearsal/rehearsal.ts). Prints each stage, the time from a bad deploy to v1 serving again,
// and writes every job summary under rehearsal-output/<scenario>/.
import { type RehearsalResult, rehearse, SCENARIOS, type ScenarioName } from '../test/rehearsal/rehearsal.js';

const wanted = process.argv.slice(2) as ScenarioName[];
const unknown = wanted.filter((s) => !SCENARIOS.includes(s));
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}: choose from ${SCENARIOS.join(', ')}.`);
  process.exit(2);
}
const expected: Record<ScenarioName, RehearsalResult['result']> = {
  healthy: 'deployed',
  crash: 'failed',
  'gate-fails': 'rolled-back',
  'migration-fails': 'failed',
};

let failures = 0;
for (const scenario of wanted.length ? wanted : SCENARIOS) {
  console.log(`\n━━ scenario: ${scenario}`);
  const r = await rehearse(scenario, { log: (line) => console.log(`  ${line}`) });
  const ok = r.result === expected[scenario];
  if (!ok) failures++;
  console.log(
    `  ⇒ result ${r.result} (expected ${expected[scenario]}), serving ${r.servingVersion?.slice(0, 7) ?? 'nothing'}`,
  );
  if (r.recoveryMs !== undefined) {
    console.log(`  ⇒ bad deploy → v1 serving again: ${(r.recoveryMs / 1000).toFixed(1)} s (target < 300 s)`);
  }
  console.log(`  ⇒ job summaries in ${r.outputDir}`);
}
process.exit(failures === 0 ? 0 : 1);
