/**
 * Access tokens: HS256/384/512 JWTs signed and verified with jose. Each carries the user's token
 * version (`ver`); requireUser compares it with the database on every request, so raising the
 * version (logout) revokes every token issued before, and a deleted user's tokens stop working.
 *
 * A token that verified once is remembered until it expires (at most VERIFIED_CACHE_SIZE of them):
 * jose's HMAC check goes through WebCrypto and cost ~0.2 ms of CPU on every request (bench:service
 * --profile), while the version check that makes revocation immediate still runs every time.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'decisionlog';
const AUDIENCE = 'decisionlog-api';

export interface TokenSettings {
  secret: string;
  algorithm: 'HS256' | 'HS384' | 'HS512';
  expirationHours: number;
}

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export const VERIFIED_CACHE_SIZE = 10_000;

type Verified = { userId: string; tokenVersion: number };

export class TokenService {
  #key: Uint8Array;
  #settings: TokenSettings;
  /** token → its claims and expiry (ms); insertion order makes the oldest the first evicted. */
  #verified = new Map<string, Verified & { expiresAt: number }>();

  #remember: number;

  constructor(settings: TokenSettings, remember = VERIFIED_CACHE_SIZE) {
    this.#settings = settings;
    this.#remember = remember;
    this.#key = new TextEncoder().encode(settings.secret);
  }

  /** How many verified tokens are remembered (bounded by the `remember` given, VERIFIED_CACHE_SIZE by default). */
  get remembered(): number {
    return this.#verified.size;
  }

  async issue(userId: string, tokenVersion: number, now = new Date()): Promise<IssuedToken> {
    const expiresIn = this.#settings.expirationHours * 3600;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ ver: tokenVersion })
      .setProtectedHeader({ alg: this.#settings.algorithm, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .sign(this.#key);
    return { access_token: token, token_type: 'bearer', expires_in: expiresIn };
  }

  /** The user id and token version in a valid token; an error for an expired, tampered or foreign token. */
  async verify(token: string): Promise<Verified | { error: 'expired' | 'invalid' }> {
    const known = this.#verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return { userId: known.userId, tokenVersion: known.tokenVersion };
      this.#verified.delete(token);
      return { error: 'expired' };
    }
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [this.#settings.algorithm],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'ver'],
      });
      if (typeof payload.sub !== 'string' || !Number.isInteger(payload.ver)) return { error: 'invalid' };
      const verified = { userId: payload.sub, tokenVersion: payload.ver as number };
      if (this.#verified.size >= this.#remember) {
        this.#verified.delete(this.#verified.keys().next().value as string);
      }
      this.#verified.set(token, { ...verified, expiresAt: (payload.exp as number) * 1000 });
      return verified;
    } catch (err) {
      return { error: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
