import type { ActionIO } from '../../lib/action.js';
import ACTION_INPUTS from './action-inputs.json' with { type: 'json' };

/** An action's `main()`, loaded only when its subcommand runs (start-up stays small). */
export type Main = (io: ActionIO) => Promise<void>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** The action whose main() runs (its action.yml defaults apply); none for restore. */
  action?: 'railway-deploy' | 'health-gate' | 'migrate';
  /** Each input of the action this command runs: `--<input>` sets it. */
  inputs: readonly string[];
  /** Inputs this command sets itself (users cannot override them). */
  fixed?: Record<string, string>;
  /** Positional arguments → the input they set (e.g. `migrate plan` → command=plan). */
  positional?: { input: string; choices: readonly string[] };
  examples: readonly string[];
  load: () => Promise<Main>;
}

// Each action's inputs and plain defaults, generated from its action.yml (scripts/cli-inputs.mjs).
const actionInputs = ACTION_INPUTS as Record<string, Record<string, string>>;
function inputsOf(action: string): Record<string, string> {
  const inputs = actionInputs[action];
  if (!inputs) throw new Error(`cli/src/action-inputs.json has no action ${action}: run npm run build.`);
  return inputs;
}
export const RAILWAY_DEPLOY_INPUTS = Object.keys(inputsOf('railway-deploy'));
export const HEALTH_GATE_INPUTS = Object.keys(inputsOf('health-gate'));
export const MIGRATE_INPUTS = Object.keys(inputsOf('migrate'));

/** The defaults the runner would fill in from action.yml (expressions left out). */
export function defaultsOf(action: Command['action']): Record<string, string> {
  if (!action) return {};
  return Object.fromEntries(Object.entries(inputsOf(action)).filter(([, v]) => v !== ''));
}

const railwayDeploy = async () => (await import('../../actions/railway-deploy/src/main.js')).main;
const healthGate = async () => (await import('../../actions/health-gate/src/main.js')).main;
const migrate = async () => (await import('../../actions/migrate/src/main.js')).main;

export const COMMANDS: Record<string, Command> = {
  status: {
    name: 'status',
    action: 'railway-deploy',
    summary: 'What Railway serves now, the last good deployment and the rollback target.',
    usage: 'decisionlog-deploy status [--environment production] [--json]',
    inputs: RAILWAY_DEPLOY_INPUTS,
    fixed: { command: 'status' },
    examples: [
      'RAILWAY_TOKEN=… GITHUB_TOKEN=… GITHUB_REPOSITORY=acme/app decisionlog-deploy status --environment production',
      'decisionlog-deploy status --json | jq .outputs',
    ],
    load: railwayDeploy,
  },
  rollback: {
    name: 'rollback',
    action: 'railway-deploy',
    summary: 'Roll Railway back to the last good deployment (or --to), then gate the restored release.',
    usage:
      'decisionlog-deploy rollback [--to <deployment-id>] [--reason <text>] [--url <health-url>] [--gate-<input> <value>] [--yes]',
    // railway-deploy's inputs, then the gate's as --gate-<input> (both have `timeout`), and --url.
    inputs: [
      ...RAILWAY_DEPLOY_INPUTS,
      'to',
      'reason',
      'url',
      ...HEALTH_GATE_INPUTS.filter((i) => i !== 'url').map((i) => `gate-${i}`),
    ],
    fixed: { command: 'rollback' },
    examples: [
      'decisionlog-deploy rollback --url https://api.example.com/api/health --reason "checkout 500s"',
      'decisionlog-deploy rollback --to 6f0c…-deployment-id --yes',
    ],
    load: railwayDeploy,
  },
  gate: {
    name: 'gate',
    action: 'health-gate',
    summary: 'Run the health gate against a URL, with each probe shown as it happens.',
    usage:
      'decisionlog-deploy gate --url <health-url> [--expect-version <sha>] [--smoke-file service/smoke.yml]',
    inputs: HEALTH_GATE_INPUTS,
    fixed: { comment: 'false' },
    examples: [
      'decisionlog-deploy gate --url https://staging.example.com/api/health --deadline 2m',
      'decisionlog-deploy gate --url http://localhost:8000/api/health --smoke-file service/smoke.yml --json',
    ],
    load: healthGate,
  },
  migrate: {
    name: 'migrate',
    action: 'migrate',
    summary: 'Plan, lint or apply PostgreSQL migrations (the migrate action).',
    usage: 'decisionlog-deploy migrate plan|lint|apply --database-url <url> [--dir migrations]',
    inputs: MIGRATE_INPUTS,
    positional: { input: 'command', choices: ['plan', 'lint', 'apply'] },
    examples: [
      'DATABASE_URL=postgres://… decisionlog-deploy migrate plan --dir service/migrations',
      'decisionlog-deploy migrate apply --database-url "$STAGING_DATABASE_URL" --backup-dir backups --backup-recipients "$(cat ~/keys/backup.pub)"',
    ],
    load: migrate,
  },
  restore: {
    name: 'restore',
    summary: 'Decrypt a backup the migrate action took and pg_restore it into an empty database.',
    usage:
      'decisionlog-deploy restore --file <backup.dump.age | s3://bucket/key | s3://bucket/prefix/> --database-url <target> [--identity-file key.txt] [--force] [--s3-endpoint <url>] [--s3-region <region>]',
    inputs: [
      'file',
      'database-url',
      'identity-file',
      'force',
      's3-endpoint',
      's3-region',
      's3-force-path-style',
    ],
    examples: [
      'AGE_IDENTITY_FILE=~/keys/backup.txt decisionlog-deploy restore --file prod-20261130T101500Z-v7.dump.age --database-url postgres://localhost/scratch',
      'decisionlog-deploy restore --file backup.dump.age --database-url "$STAGING_DATABASE_URL" --identity-file key.txt --force',
      'AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… decisionlog-deploy restore --file s3://decisionlog-backups/decisionlog/prod-20261130T101500Z-v7.dump.age --s3-endpoint https://<account-id>.r2.cloudflarestorage.com --identity-file key.txt --database-url postgres://localhost/scratch',
      'decisionlog-deploy restore --file s3://decisionlog-backups/decisionlog/ --database-url postgres://localhost/scratch   # the newest backup under the prefix',
    ],
    load: async () => {
      throw new Error('restore has no action main');
    },
  },
  deploy: {
    name: 'deploy',
    action: 'railway-deploy',
    summary: 'Deploy a commit (or image) to Railway and wait for it (the railway-deploy action).',
    usage: 'decisionlog-deploy deploy [--commit-sha <40-hex>] [--image <ref>] [--no-wait]',
    inputs: RAILWAY_DEPLOY_INPUTS,
    fixed: { command: 'deploy' },
    examples: ['decisionlog-deploy deploy --commit-sha "$(git rev-parse HEAD)"'],
    load: railwayDeploy,
  },
};

/**
 * Environment variables a command reads when the flag is not given, named as the Railway CLI and
 * GitHub name them. RAILWAY_TOKEN is a project token (sent as Project-Access-Token); RAILWAY_API_TOKEN
 * an account or workspace token (sent as Bearer). When both are set, RAILWAY_TOKEN wins.
 */
export function inputsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (input: string, value: string | undefined) => {
    if (value) out[input] = value;
  };
  if (env.RAILWAY_TOKEN) {
    out.token = env.RAILWAY_TOKEN;
    out['token-type'] = 'project';
  } else if (env.RAILWAY_API_TOKEN) {
    out.token = env.RAILWAY_API_TOKEN;
    out['token-type'] = 'account';
  }
  set('api-url', env.RAILWAY_API_URL);
  set('project-id', env.RAILWAY_PROJECT_ID);
  set('environment-id', env.RAILWAY_ENVIRONMENT_ID);
  set('service-id', env.RAILWAY_SERVICE_ID);
  set('github-token', env.GITHUB_TOKEN ?? env.GH_TOKEN);
  set('database-url', env.DATABASE_URL);
  set('identity-file', env.AGE_IDENTITY_FILE);
  // The AWS SDK's own names for an endpoint and a region, so an existing S3 profile's shell works.
  set('s3-endpoint', env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  set('s3-region', env.AWS_REGION ?? env.AWS_DEFAULT_REGION);
  set('sentry-auth-token', env.SENTRY_AUTH_TOKEN);
  set('sentry-org', env.SENTRY_ORG);
  set('sentry-project', env.SENTRY_PROJECT);
  return out;
}

/** Inputs whose values are secrets: registered for masking before anything is printed. */
export const SECRET_INPUTS = ['token', 'github-token', 'database-url', 'sentry-auth-token', 'headers'];
