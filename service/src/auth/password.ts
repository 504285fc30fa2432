/**
 * Password hashing with scrypt (node:crypto, memory-hard) at OWASP's recommended N=2^17, r=8, p=1
 * (PASSWORD_HASH_COST=17; local development and tests may lower it to save time).
 * The parameters travel inside the hash, so hashes made with weaker ones still verify, and
 * `needsRehash` tells the login route to store a stronger hash while it has the password.
 *
 * One derivation takes 128 MiB (128·N·r bytes). At most MAX_CONCURRENT derivations run at once, so
 * a burst of logins costs at most 256 MiB on top of the process — inside a 512 MB container.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** log2 of scrypt's N by default (PASSWORD_HASH_COST; lower values only in local development). */
export const DEFAULT_COST = 17;
const r = 8;
const p = 1;
const KEY_LEN = 32;
const MAX_CONCURRENT = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, opts: ScryptOptions, keyLen: number): Promise<Buffer> {
  return limited(
    () =>
      new Promise((resolve, reject) =>
        scrypt(
          password.normalize('NFKC'),
          salt,
          keyLen,
          // maxmem: exactly what these parameters need plus 1 MiB, so a stored hash with absurd
          // parameters fails instead of allocating gigabytes.
          { ...opts, maxmem: 128 * opts.N! * opts.r! + 1024 * 1024 },
          (err, key) => (err ? reject(err) : resolve(key)),
        ),
      ),
  );
}

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const N = 2 ** cost;
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r, p }, KEY_LEN);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(stored: string) {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(rr);
  const P = Number(pp);
  // Parameters we would never have written (or that would take more than 1 GiB) are not tried.
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 20 || R !== r || P !== p) return undefined;
  return { N, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, { N: parsed.N, r, p }, parsed.hash.length);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** True for a hash made with weaker parameters than today's: rehash it at the next successful login. */
export function needsRehash(stored: string, cost = DEFAULT_COST): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < 2 ** cost || parsed.hash.length !== KEY_LEN;
}

/** Burns the same time as a real check, so an unknown email is not told apart by timing. */
const dummies = new Map<number, Promise<string>>();
export async function verifyAgainstDummy(password: string, cost = DEFAULT_COST): Promise<false> {
  let dummy = dummies.get(cost);
  if (!dummy) {
    dummy = hashPassword('not-a-real-password', cost);
    dummies.set(cost, dummy);
  }
  await verifyPassword(password, await dummy);
  return false;
}
