/**
 * Access tokens: HS256/384/512 JWTs signed and verified with jose. Each carries the user's token
 * version (`ver`); requireUser compares it with the database on every request, so raising the
 * version (logout) revokes every token issued before, and a deleted user's tokens stop working.
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

export class TokenService {
  #key: Uint8Array;
  #settings: TokenSettings;

  constructor(settings: TokenSettings) {
    this.#settings = settings;
    this.#key = new TextEncoder().encode(settings.secret);
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
  async verify(
    token: string,
  ): Promise<{ userId: string; tokenVersion: number } | { error: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [this.#settings.algorithm],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'ver'],
      });
      return typeof payload.sub === 'string' && Number.isInteger(payload.ver)
        ? { userId: payload.sub, tokenVersion: payload.ver as number }
        : { error: 'invalid' };
    } catch (err) {
      return { error: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
