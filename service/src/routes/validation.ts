import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenVersionOf } from '../db/users.js';
import { HttpError } from '../errors.js';

/**
 * preParsing hook: a valid bearer token of an existing user whose tokens were not revoked since, or 401.
 * One primary-key read per request is the price of revocation taking effect at once on every replica.
 */
export async function requireUser(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) {
    reply.header('www-authenticate', 'Bearer');
    throw new HttpError(
      401,
      'unauthorized',
      'This endpoint needs an Authorization: Bearer <access_token> header; log in to get one.',
    );
  }
  const verdict = await req.server.tokens.verify(match[1]!);
  if ('error' in verdict) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new HttpError(
      401,
      verdict.error === 'expired' ? 'token_expired' : 'invalid_token',
      verdict.error === 'expired'
        ? 'Your access token has expired: log in again.'
        : 'Your access token is not valid: log in again.',
    );
  }
  const current = await tokenVersionOf(req.server.deps.db, verdict.userId);
  if (current !== verdict.tokenVersion) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new HttpError(
      401,
      'token_revoked',
      'Your access token was revoked (logged out) or its account no longer exists: log in again.',
    );
  }
  req.userId = verdict.userId;
}
