/** Access tokens: HS256/384/512 JWTs signed and verified with jose. */
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

  async issue(userId: string, now = new Date()): Promise<IssuedToken> {
    const expiresIn = this.#settings.expirationHours * 3600;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: this.#settings.algorithm, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .sign(this.#key);
    return { access_token: token, token_type: 'bearer', expires_in: expiresIn };
  }

  /** The user id in a valid token; undefined for an expired, tampered or foreign token. */
  async verify(token: string): Promise<{ userId: string } | { error: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: [this.#settings.algorithm],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp'],
      });
      return typeof payload.sub === 'string' ? { userId: payload.sub } : { error: 'invalid' };
    } catch (err) {
      return { error: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
