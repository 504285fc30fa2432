// Starts the Railway, Slack, Sentry and GitHub stand-ins for our CI's `uses: ./actions/<name>` job
// and writes where they answer (and their test tokens, which are not secrets) as GITHUB_ENV lines
// `STANDIN_<NAME>=value` to the file given as the first argument. Runs until it is sent SIGTERM.
//   node scripts/node24.mjs --import tsx test/standins/serve.ts "$RUNNER_TEMP/standins.env"
import { writeFileSync } from 'node:fs';
import { GitHubStandIn } from './github.js';
import { RailwayStandIn } from './railway.js';
import { SentryStandIn } from './sentry.js';
import { SlackStandIn } from './slack.js';

const out = process.argv[2];
if (!out) {
  console.error('Give the file to write the stand-ins’ addresses to.');
  process.exit(2);
}
const railway = await new RailwayStandIn().start();
const slack = await new SlackStandIn().start();
const sentry = await new SentryStandIn().start();
const github = await new GitHubStandIn().start();
const serviceId = 'svc-ci';
railway.addService(serviceId);

const values: Record<string, string> = {
  'railway-api-url': railway.apiUrl,
  'railway-token': railway.projectToken,
  'railway-project-id': railway.projectId,
  'railway-environment-id': railway.environmentId,
  'railway-service-id': serviceId,
  'slack-api-url': slack.apiUrl,
  'slack-token': slack.token,
  'slack-channel': 'C0DEPLOYS',
  'sentry-url': sentry.baseUrl,
  'sentry-token': sentry.token,
  'sentry-org': sentry.org,
  'sentry-project': 'decisionlog-api',
  'github-api-url': github.url,
  'github-token': github.token,
};
writeFileSync(
  out,
  `${Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`,
);
console.log(`stand-ins up: ${Object.keys(values).join(', ')}`);
const stop = async () => {
  await Promise.all([railway.stop(), slack.stop(), sentry.stop(), github.stop()]);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
