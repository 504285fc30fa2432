import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../auth/password.js';
import { createUser, findUserByEmail, replacePasswordHash, revokeTokens } from '../db/users.js';
import { HttpError } from '../errors.js';
import { errorSchema } from './schemas.js';
import { requireUser } from './validation.js';

const credentials = z.object({
  email: z
    .email({ error: 'must be an email address' })
    .max(254)
    .transform((s) => s.trim()),
  password: z.string({ error: 'is required' }).min(8, { error: 'must be at least 8 characters' }).max(256),
});

const loginBody = z.object({
  email: z.string({ error: 'is required' }).trim().min(1).max(254),
  password: z.string({ error: 'is required' }).min(1).max(256),
});

const tokenSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe('seconds'),
});

const registeredSchema = z.object({ status: z.literal('registered'), message: z.string() });

const REGISTERED = {
  status: 'registered',
  message: 'If this email was free, its account now exists: log in with POST /api/auth/login.',
} as const;

/** Token answers (and anything else holding a credential) must not be kept by caches. */
export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
}

/**
 * POST /api/auth/register, /login → { access_token, token_type, expires_in }; /logout revokes.
 * Both register and login are limited per client address (AUTH_RATE_LIMIT_PER_MINUTE).
 */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.deps;
  const rateLimit = { max: config.rateLimit.authPerMinute, timeWindow: 60_000 };
  const cost = config.passwordHashCost;

  app.post(
    '/register',
    {
      config: { rateLimit },
      schema: {
        summary: 'Create an account (the answer is the same whether or not the email already had one)',
        tags: ['auth'],
        body: credentials,
        response: { 202: registeredSchema, 400: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { email, password } = req.body;
      // Hash first, whatever happens next: a taken email must not answer faster than a free one.
      const hash = await hashPassword(password, cost);
      const user = await db.transaction((tx) => createUser(tx, email, hash));
      if (user) req.log.info({ event: 'user_registered', user_id: user.id }, 'user registered');
      noStore(reply);
      return reply.status(202).send(REGISTERED);
    },
  );

  app.post(
    '/login',
    {
      config: { rateLimit },
      schema: {
        summary: 'Exchange email and password for an access token',
        tags: ['auth'],
        body: loginBody,
        response: { 200: tokenSchema, 400: errorSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { email, password } = req.body;
      const user = await findUserByEmail(db, email);
      const ok = user
        ? await verifyPassword(password, user.password_hash)
        : await verifyAgainstDummy(password);
      if (!user || !ok) throw new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
      if (needsRehash(user.password_hash, cost)) {
        // The only moment we hold the password: store it with today's parameters.
        await replacePasswordHash(db, user.id, user.password_hash, await hashPassword(password, cost));
        req.log.info({ event: 'password_rehashed', user_id: user.id }, 'password hash upgraded');
      }
      noStore(reply);
      return app.tokens.issue(user.id, user.token_version);
    },
  );

  app.post(
    '/logout',
    {
      preParsing: requireUser,
      schema: {
        summary: 'Revoke every access token of the calling user (log out everywhere)',
        tags: ['auth'],
        security: [{ bearer: [] }],
        response: { 204: z.null().describe('No content'), 401: errorSchema },
      },
    },
    async (req, reply) => {
      await revokeTokens(db, req.userId);
      req.log.info({ event: 'tokens_revoked', user_id: req.userId }, 'tokens revoked');
      noStore(reply);
      return reply.status(204).send(null);
    },
  );
};
