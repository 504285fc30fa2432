/**
 * Backups that cannot leak: `pg_dump` streamed straight into age encryption (https://age-encryption.org,
 * the `age-encryption` library by the format's author) to recipients' public keys, so the plaintext
 * never touches disk and the runner never holds a key that can decrypt it; and the restore that
 * decrypts a backup into `pg_restore`, refusing a target that already holds tables unless told.
 */
import { type StdioOptions, spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadable } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { UserError } from './errors.js';
import { libpqUrl } from './pg.js';

/** An age X25519 public key (`age1…`) or a post-quantum hybrid one (`age1pq1…`). */
const RECIPIENT = /^age1[0-9a-z]{58,}$/;

/** The keys in an age key list or key file: one per line, blank lines and `# comments` dropped. */
export function keyLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** One public key per line (blank lines and `# comments` allowed), each checked as age itself decodes it. */
export function parseRecipients(text: string | undefined): string[] {
  const keys = keyLines(text);
  for (const key of keys) {
    if (key.startsWith('AGE-SECRET-KEY-')) {
      throw new UserError(
        'backup-recipients holds an age SECRET key: only public keys (age1…) belong there — rotate that key now, since it was exposed to this workflow.',
      );
    }
    if (!RECIPIENT.test(key)) {
      throw new UserError(
        `backup-recipients has "${key.slice(0, 20)}…", which is not an age public key (age1…): generate one with age-keygen and put its public line here.`,
      );
    }
    try {
      // The library's own decoding (bech32 checksum, key length): a typo fails here, before any dump.
      new Encrypter().addRecipient(key);
    } catch {
      throw new UserError(
        `backup-recipients has "${key.slice(0, 20)}…", which is not a valid age public key (its checksum or length is wrong): copy the "Public key:" line age-keygen printed again.`,
      );
    }
  }
  return keys;
}

export type BackupPlan =
  | { kind: 'encrypted'; recipients: string[] }
  | { kind: 'plaintext'; readers: string }
  | { kind: 'refused'; reason: string };

/**
 * Whether a backup may be kept, and how: encrypted when recipients are given; for a public repository
 * never in plaintext; for a private one in plaintext only when the caller opted in, saying who can
 * read it. `repository` is the event payload's `repository` object.
 */
export function backupPlan(
  recipients: string[],
  allowPlaintext: boolean,
  repository: { private?: boolean; visibility?: string } | undefined,
): BackupPlan {
  if (recipients.length > 0) return { kind: 'encrypted', recipients };
  const isPublic = repository?.visibility === 'public' || repository?.private === false;
  if (isPublic) {
    return {
      kind: 'refused',
      reason:
        'This repository is public, so an unencrypted database backup would be readable by anyone signed in to GitHub: set backup-recipients to one or more age public keys (age1…), or leave backup-dir empty.',
    };
  }
  if (!allowPlaintext) {
    return {
      kind: 'refused',
      reason:
        'A database backup would be kept unencrypted: set backup-recipients to age public keys (age1…) so only their holders can read it, or set allow-plaintext-backup: true to accept that everyone with read access to this repository can download it.',
    };
  }
  const vis = repository?.visibility ?? (repository?.private ? 'private' : 'unknown');
  return {
    kind: 'plaintext',
    readers: `everyone with read access to this ${vis} repository can download this backup in plaintext (allow-plaintext-backup is true)`,
  };
}

export interface DumpRequest {
  databaseUrl: string;
  /** Where the dump goes: `<name>.dump.age` when encrypted. */
  path: string;
  recipients: string[];
  pgDump?: string;
  /** The child's environment (default this process's); PGAPPNAME set here names the session. */
  env?: NodeJS.ProcessEnv;
}

/** libpq settings for a child process: the password travels in PGPASSWORD, never on the command line. */
export function pgChildEnv(databaseUrl: string, base: NodeJS.ProcessEnv = process.env) {
  const { url, password } = libpqUrl(databaseUrl);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  if (password) env.PGPASSWORD = password;
  env.PGCONNECT_TIMEOUT ??= '15';
  return { url, env };
}

/** The last lines a tool wrote to stderr, as one line. */
function said(stderr: string): string {
  return stderr.trim().split('\n').slice(-2).join(' ').replace(/\s+/g, ' ') || 'no error text';
}

/** pg_dump exited non-zero: `stderrTail` is its last stderr lines, so callers can say what it means for them. */
export class DumpFailed extends UserError {
  constructor(
    readonly exit: number,
    readonly stderrTail: string,
  ) {
    super(`pg_dump failed (exit ${exit}): ${stderrTail}.`);
  }
}

/**
 * `pg_dump --format=custom` to stdout, encrypted as it streams into `path`: memory stays flat
 * whatever the database size and no plaintext byte is written anywhere.
 */
export async function dumpEncrypted(req: DumpRequest): Promise<{ path: string; bytes: number }> {
  if (req.recipients.length === 0) throw new Error('dumpEncrypted needs at least one recipient');
  const e = new Encrypter();
  for (const r of req.recipients) e.addRecipient(r);
  return dump(req, async (plain) =>
    Readable.fromWeb(
      (await e.encrypt(
        Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>,
      )) as unknown as WebReadable<Uint8Array>,
    ),
  );
}

/**
 * The same dump without encryption, for the one case `backupPlan` allows it (a private repository
 * whose caller opted in). Streamed too.
 */
export async function dumpPlaintext(
  req: Omit<DumpRequest, 'recipients'>,
): Promise<{ path: string; bytes: number }> {
  return dump({ ...req, recipients: [] }, async (plain) => plain);
}

/**
 * A PostgreSQL client tool as a child process: `exited` is its exit code, or the one sentence saying
 * why it could not start (spawn errors come before close); `stderrTail()` its last stderr lines.
 */
function pgTool(bin: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions) {
  const child = spawn(bin, args, { env, stdio });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | UserError>((resolve) => {
    child.on('error', (err) =>
      resolve(
        new UserError(
          (err as { code?: string }).code === 'ENOENT'
            ? `${bin} was not found on PATH: install the PostgreSQL client (apt-get install postgresql-client).`
            : `${bin} could not be started: ${err.message}.`,
        ),
      ),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
  return { child, exited, stderrTail: () => said(stderr) };
}

/** Runs pg_dump, pipes its stdout through `transform` into `path`; a failed dump leaves no file. */
async function dump(
  req: DumpRequest,
  transform: (plain: Readable) => Promise<Readable>,
): Promise<{ path: string; bytes: number }> {
  const { url, env } = pgChildEnv(req.databaseUrl, req.env);
  const { child, exited, stderrTail } = pgTool(
    req.pgDump ?? 'pg_dump',
    ['--format=custom', '--no-password', `--dbname=${url}`],
    env,
    ['ignore', 'pipe', 'pipe'],
  );
  let writeFailure: Error | undefined;
  try {
    await pipeline(await transform(child.stdout as Readable), createWriteStream(req.path));
  } catch (err) {
    writeFailure = err as Error;
    child.kill();
  }
  const end = await exited;
  // A failed or truncated dump (even encrypted) must not pass for a backup.
  if (end !== 0 || writeFailure) await rm(req.path, { force: true });
  if (end instanceof UserError) throw end;
  if (writeFailure) {
    throw new UserError(`The backup could not be written to ${req.path}: ${writeFailure.message}.`);
  }
  if (end !== 0) throw new DumpFailed(end, stderrTail());
  return { path: req.path, bytes: (await stat(req.path)).size };
}

export interface RestoreRequest {
  /** A `.dump.age` file (or a plaintext `.dump` when no identity is given). */
  file: string;
  /** age secret keys (AGE-SECRET-KEY-1…), one per line. */
  identities?: string;
  targetUrl: string;
  /** Restore into a database that already has tables (pg_restore --clean --if-exists). */
  allowNonEmpty?: boolean;
  pgRestore?: string;
  env?: NodeJS.ProcessEnv;
  /** Counts the target's tables (injected so the check runs on the same connection settings). */
  countTables: () => Promise<number>;
}

/** Decrypts into pg_restore's stdin and restores; returns how long it took. */
export async function restoreBackup(req: RestoreRequest): Promise<{ ms: number }> {
  const started = performance.now();
  const tables = await req.countTables();
  if (tables > 0 && !req.allowNonEmpty) {
    throw new UserError(
      `The target database already has ${tables} table${tables === 1 ? '' : 's'}: restore into an empty database, or pass --force to replace what is there (pg_restore --clean).`,
    );
  }
  let source: Readable = createReadStream(req.file);
  const keys = keyLines(req.identities);
  if (keys.length > 0) {
    const d = new Decrypter();
    for (const k of keys) {
      if (!k.startsWith('AGE-SECRET-KEY-')) {
        throw new UserError(
          'The identity is not an age secret key (AGE-SECRET-KEY-1…): pass the key file made by age-keygen.',
        );
      }
      d.addIdentity(k);
    }
    try {
      const web = await d.decrypt(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>);
      source = Readable.fromWeb(web as unknown as WebReadable<Uint8Array>);
    } catch (err) {
      throw new UserError(
        /no identity matched|recipient/i.test((err as Error).message)
          ? `${req.file} was not encrypted to this key: use a secret key whose public key (age1…) is in backup-recipients.`
          : `${req.file} could not be decrypted: ${(err as Error).message}.`,
      );
    }
  }
  const { url, env } = pgChildEnv(req.targetUrl, req.env);
  const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password', `--dbname=${url}`];
  if (tables > 0) args.push('--clean', '--if-exists');
  const { child, exited, stderrTail } = pgTool(req.pgRestore ?? 'pg_restore', args, env, [
    'pipe',
    'ignore',
    'pipe',
  ]);
  let readFailure: UserError | undefined;
  try {
    await pipeline(source, child.stdin as Writable);
  } catch (err) {
    // EPIPE: pg_restore stopped reading (it failed, or never started); its exit says why.
    const code = (err as { code?: string }).code;
    if (err instanceof UserError) readFailure = err;
    else if (code !== 'EPIPE' && code !== 'ERR_STREAM_DESTROYED') {
      readFailure = new UserError(`The backup could not be read: ${(err as Error).message}.`);
    }
  }
  const exit = await exited;
  if (exit instanceof UserError) throw exit;
  if (readFailure) throw readFailure;
  if (exit !== 0) throw new UserError(`pg_restore failed (exit ${exit}): ${stderrTail()}.`);
  return { ms: performance.now() - started };
}
