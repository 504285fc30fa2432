import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { keyLines, restoreBackup } from '../../lib/backup.js';
import { errorMessage, UserError } from '../../lib/errors.js';
import {
  credentialsFromEnv,
  downloadFile,
  newestBackup,
  objectStoreClient,
  objectStoreProblem,
  objectStoreSettings,
  parseS3Uri,
} from '../../lib/object-store.js';
import { connect } from '../../lib/pg.js';
import { paint, terminalIO, useColor } from '../../lib/terminal-io.js';
import { COMMANDS, type Command, defaultsOf, inputsFromEnv, SECRET_INPUTS } from './commands.js';

/** Exit codes, documented in README ("In an incident"). */
export const EXIT = {
  ok: 0,
  /** The operation ran and failed: deploy FAILED, gate unhealthy, rollback refused by Railway. */
  failed: 1,
  /** The command line is wrong: unknown command or flag, missing token or ID. */
  usage: 2,
  /** Someone answered "no" at the confirmation prompt. */
  declined: 3,
  /** A bug: the message says so. */
  internal: 70,
} as const;

export interface Streams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

class UsageError extends Error {}

interface Parsed {
  command: Command;
  inputs: Record<string, string>;
  yes: boolean;
  json: boolean;
  verbose: boolean;
  help: boolean;
}

const BOOLEAN_FLAGS = new Set(['yes', 'json', 'verbose', 'help', 'no-wait', 'force']);

function helpText(cmd?: Command): string {
  if (!cmd) {
    const rows = Object.values(COMMANDS).map((c) => `  ${c.name.padEnd(9)} ${c.summary}`);
    return [
      'decisionlog-deploy — the deploy suite from a terminal: the same code as the GitHub Actions.',
      '',
      'Usage: decisionlog-deploy <command> [flags]',
      '',
      'Commands:',
      ...rows,
      '',
      'Every input of the action a command runs is a flag of the same name (--project-id, --deadline, …).',
      'Tokens come from the environment: RAILWAY_TOKEN (project token) or RAILWAY_API_TOKEN (account or',
      'workspace token), GITHUB_TOKEN + GITHUB_REPOSITORY (the Deployments ledger), DATABASE_URL,',
      'SENTRY_AUTH_TOKEN; IDs from RAILWAY_PROJECT_ID, RAILWAY_ENVIRONMENT_ID, RAILWAY_SERVICE_ID.',
      'restore --file s3://bucket/key reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN),',
      'and AWS_ENDPOINT_URL_S3 or --s3-endpoint for R2, Supabase Storage or MinIO.',
      '',
      'Flags for every command: --json (results as JSON on stdout), --verbose, --help.',
      'Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 declined at the prompt, 70 a bug.',
      '',
      'Run "decisionlog-deploy <command> --help" for examples.',
    ].join('\n');
  }
  return [
    `${cmd.summary}`,
    '',
    `Usage: ${cmd.usage}`,
    '',
    `Flags: ${cmd.inputs
      .filter((i) => !(cmd.fixed && i in cmd.fixed) && i !== cmd.positional?.input)
      .map((i) => `--${i}`)
      .join(' ')}`,
    '       --json --verbose --help',
    '',
    'Examples:',
    ...cmd.examples.map((e) => `  ${e}`),
  ].join('\n');
}

/** Flags and environment → the action's inputs. Flags win over the environment. */
export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed | { help: true; command?: undefined } {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { help: true };
  const command = COMMANDS[name];
  if (!command) {
    throw new UsageError(
      `Unknown command "${name}": use one of ${Object.keys(COMMANDS).join(', ')} (see --help).`,
    );
  }
  const inputs: Record<string, string> = { ...defaultsOf(command.action) };
  for (const [k, v] of Object.entries(inputsFromEnv(env))) if (command.inputs.includes(k)) inputs[k] = v;
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    if (BOOLEAN_FLAGS.has(key) && eq < 0) {
      flags[key] = true;
      continue;
    }
    if (!command.inputs.includes(key) || command.fixed?.[key] !== undefined) {
      throw new UsageError(
        `Unknown flag --${key} for "${command.name}": see "decisionlog-deploy ${command.name} --help".`,
      );
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) throw new UsageError(`Flag --${key} needs a value, e.g. --${key} <value>.`);
    flags[key] = value;
  }
  if (flags.help) return { command, inputs, yes: false, json: false, verbose: false, help: true };
  if (command.positional) {
    const [first, ...extra] = positional;
    if (!first || !command.positional.choices.includes(first)) {
      throw new UsageError(
        `"${command.name}" needs one of ${command.positional.choices.join(', ')}: e.g. ${command.usage}.`,
      );
    }
    if (extra.length)
      throw new UsageError(
        `Unexpected argument "${extra[0]}": see "decisionlog-deploy ${command.name} --help".`,
      );
    inputs[command.positional.input] = first;
  } else if (positional.length) {
    throw new UsageError(
      `Unexpected argument "${positional[0]}": flags start with --, see "decisionlog-deploy ${command.name} --help".`,
    );
  }
  for (const [k, v] of Object.entries(flags)) if (typeof v === 'string') inputs[k] = v;
  if (flags['no-wait']) inputs.wait = 'false';
  if (flags.force) inputs.force = 'true';
  Object.assign(inputs, command.fixed);
  return {
    command,
    inputs,
    yes: Boolean(flags.yes),
    json: Boolean(flags.json),
    verbose: Boolean(flags.verbose),
    help: false,
  };
}

/** Asks on the terminal; anything but y/yes declines. */
async function confirm(question: string, streams: Streams): Promise<boolean> {
  const rl = createInterface({ input: streams.stdin, output: streams.stderr, terminal: true });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Runs one command line; resolves to the exit code. */
export async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  streams: Streams,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, env);
  } catch (err) {
    streams.stderr.write(`${errorMessage(err)}\n`);
    return EXIT.usage;
  }
  if (parsed.help) {
    streams.stdout.write(`${helpText(parsed.command)}\n`);
    return EXIT.ok;
  }
  const { command, inputs } = parsed;
  const red = paint(useColor(streams.stderr, env), 31);
  const term = terminalIO({
    inputs,
    stdout: streams.stdout,
    stderr: streams.stderr,
    json: parsed.json,
    verbose: parsed.verbose,
    env,
  });
  for (const name of SECRET_INPUTS) term.io.secrets.register(inputs[name]);
  try {
    if (command.name === 'restore') {
      const ms = await restore(inputs, term, env);
      term.finish({ command: command.name, seconds: Math.round(ms / 100) / 10 });
      return EXIT.ok;
    }
    if (command.name === 'rollback') {
      const code = await rollback(parsed, term, streams, env);
      term.finish({ command: command.name, reason: inputs.reason });
      return code;
    }
    if (command.name === 'status' || command.name === 'deploy') requireRailway(inputs, command.name);
    const main = await command.load();
    await main(term.io);
    term.finish({ command: command.name });
    return EXIT.ok;
  } catch (err) {
    const message = term.io.secrets.scrub(errorMessage(err));
    if (err instanceof UsageError) {
      streams.stderr.write(`${red(message)}\n`);
      return EXIT.usage;
    }
    if (err instanceof UserError) {
      streams.stderr.write(`${red(message)}\n`);
      term.finish({ command: command.name, error: message });
      return EXIT.failed;
    }
    streams.stderr.write(
      `${red(`decisionlog-deploy ${command.name} hit an unexpected error: ${message}. This is a bug; please report it.`)}\n`,
    );
    if (parsed.verbose && err instanceof Error && err.stack)
      streams.stderr.write(`${term.io.secrets.scrub(err.stack)}\n`);
    return EXIT.internal;
  }
}

function requireRailway(inputs: Record<string, string>, command: string): void {
  if (!inputs.token) {
    throw new UsageError(
      `"${command}" needs a Railway token: set RAILWAY_TOKEN (a project token) or RAILWAY_API_TOKEN (an account or workspace token).`,
    );
  }
  for (const [input, envName] of [
    ['project-id', 'RAILWAY_PROJECT_ID'],
    ['environment-id', 'RAILWAY_ENVIRONMENT_ID'],
    ['service-id', 'RAILWAY_SERVICE_ID'],
  ] as const) {
    if (!inputs[input])
      throw new UsageError(
        `"${command}" needs --${input} (or ${envName}): the Railway ${input.replace('-id', '')} to act on.`,
      );
  }
}

/** rollback = railway-deploy's rollback, then the health gate on the restored release when --url is given. */
async function rollback(
  parsed: Parsed,
  term: ReturnType<typeof terminalIO>,
  streams: Streams,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { inputs } = parsed;
  requireRailway(inputs, 'rollback');
  if (inputs.to) inputs['rollback-to'] = inputs.to;
  const target = inputs['rollback-to'] ? `deployment ${inputs['rollback-to']}` : 'the last good deployment';
  if (!parsed.yes) {
    if (!streams.stdin.isTTY) {
      throw new UsageError(
        'Refusing to roll back without confirmation: not on a terminal, so pass --yes to roll back.',
      );
    }
    const question = `Roll back service ${inputs['service-id']} in environment ${inputs['environment-id']} to ${target}${inputs.reason ? ` (reason: ${inputs.reason})` : ''}?`;
    if (!(await confirm(question, streams))) {
      streams.stderr.write('Not rolled back.\n');
      return EXIT.declined;
    }
  }
  const deploy = await COMMANDS.deploy?.load();
  if (!deploy) throw new Error('railway-deploy is missing from this build');
  if (inputs.reason) term.io.info(`Rolling back to ${target}: ${inputs.reason}`);
  await deploy(term.io);
  if (!inputs.url) {
    term.io.warning(
      'The restored release was not gated: pass --url <health-url> to check that it serves and is healthy.',
    );
    return EXIT.ok;
  }
  // The gate: its own defaults, --gate-<input> flags, the URL, and the version just restored.
  const gateInputs: Record<string, string> = {
    ...defaultsOf('health-gate'),
    url: inputs.url,
    comment: 'false',
  };
  for (const [k, v] of Object.entries(inputs)) if (k.startsWith('gate-')) gateInputs[k.slice(5)] = v;
  const restored = term.outputs['commit-sha'];
  if (restored && !gateInputs['expect-version']) gateInputs['expect-version'] = restored;
  const gate = await COMMANDS.gate?.load();
  if (!gate) throw new Error('health-gate is missing from this build');
  const gateTerm = terminalIO({
    inputs: gateInputs,
    stdout: streams.stdout,
    stderr: streams.stderr,
    json: parsed.json,
    verbose: parsed.verbose,
    env,
    secrets: term.io.secrets,
  });
  try {
    await gate(gateTerm.io);
  } finally {
    for (const [k, v] of Object.entries(gateTerm.outputs)) term.outputs[`gate-${k}`] = v;
    term.summaries.push(...gateTerm.summaries);
  }
  return EXIT.ok;
}

/**
 * restore = lib/backup's decrypt → pg_restore into an empty database (or --force); an `s3://` file
 * is downloaded first (lib/object-store) into a private temporary file, removed afterwards.
 */
async function restore(
  inputs: Record<string, string>,
  term: ReturnType<typeof terminalIO>,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const file = inputs.file;
  const target = inputs['database-url'];
  if (!file)
    throw new UsageError(
      '"restore" needs --file <backup>: the .dump.age file (or s3://bucket/key) the migrate action kept.',
    );
  if (!target)
    throw new UsageError('"restore" needs --database-url (or DATABASE_URL): the database to restore into.');
  const object = parseS3Uri(file);
  if (!object) return restoreFile(file, inputs, term, env);
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new UsageError(
      `${file} is in object storage: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to a key that may read it (and --s3-endpoint for R2, Supabase Storage or MinIO).`,
    );
  }
  for (const v of Object.values(credentials)) term.io.secrets.register(v);
  const pathStyle = inputs['s3-force-path-style'];
  if (pathStyle && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new UsageError(`--s3-force-path-style must be true or false, not "${pathStyle}".`);
  }
  const store = objectStoreSettings({
    bucket: object.bucket,
    endpoint: inputs['s3-endpoint'],
    region: inputs['s3-region'],
    forcePathStyle: pathStyle ? pathStyle === 'true' : undefined,
    credentials,
    env,
    endpointName: '--s3-endpoint',
  });
  const dir = mkdtempSync(join(tmpdir(), 'decisionlog-restore-'));
  const client = objectStoreClient(store);
  try {
    // s3://bucket/prefix/ (a trailing slash): the newest backup directly under that prefix.
    if (object.key.endsWith('/')) {
      let found: Awaited<ReturnType<typeof newestBackup>>;
      try {
        found = await newestBackup(client, { bucket: object.bucket, prefix: object.key });
      } catch (err) {
        throw new UserError(objectStoreProblem(err, { store, doing: `list ${file}` }));
      }
      if (!found) {
        throw new UserError(
          `There is no backup (*.dump.age or *.dump) directly under ${file}: check the bucket and the prefix the migrate action's backup-s3-prefix uses.`,
        );
      }
      term.io.info(`Newest backup under ${file}: ${found.key} (${found.lastModified.toISOString()}).`);
      object.key = found.key;
      term.io.setOutput('backup', `s3://${object.bucket}/${found.key}`);
      term.io.setOutput('backup-created', found.lastModified.toISOString());
    }
    const uri = `s3://${object.bucket}/${object.key}`;
    const local = join(dir, object.key.split('/').pop() as string);
    term.io.info(`Downloading ${uri}…`);
    try {
      const { bytes } = await downloadFile(client, { ...object, path: local });
      term.io.info(`Downloaded ${bytes} bytes.`);
    } catch (err) {
      throw new UserError(objectStoreProblem(err, { store, doing: `download ${uri}`, key: object.key }));
    }
    return await restoreFile(local, inputs, term, env);
  } finally {
    client.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function restoreFile(
  file: string,
  inputs: Record<string, string>,
  term: ReturnType<typeof terminalIO>,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const target = inputs['database-url'] as string;
  if (!existsSync(file))
    throw new UsageError(`There is no file ${file}: download the backup artifact (or object) first.`);
  const encrypted = file.endsWith('.age');
  let identities: string | undefined;
  if (encrypted) {
    const keyFile = inputs['identity-file'];
    identities = keyFile ? readFileSync(keyFile, 'utf8') : env.AGE_IDENTITY;
    if (!identities) {
      throw new UsageError(
        `${file} is encrypted: pass --identity-file <age key file> (or set AGE_IDENTITY_FILE or AGE_IDENTITY) with a key whose public key is in backup-recipients.`,
      );
    }
    for (const key of keyLines(identities)) term.io.secrets.register(key);
  }
  const countTables = async () => {
    // connect(): libpq's sslmode fallback, a timeout, and one sentence when the target is unreachable.
    const { client } = await connect(target, 'decisionlog-deploy restore');
    try {
      const res = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
      );
      return Number(res.rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  };
  term.io.info(`Restoring ${file} into the target database…`);
  const { ms } = await restoreBackup({
    file,
    identities,
    targetUrl: target,
    allowNonEmpty: inputs.force === 'true',
    countTables,
  });
  term.io.info(`Restored in ${(ms / 1000).toFixed(1)} s.`);
  term.io.setOutput('restore-seconds', (ms / 1000).toFixed(1));
  return ms;
}
