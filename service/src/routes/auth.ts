import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/password.js';
import { createUser, findUserByEmail } from '../db/users.js';
import { HttpError } from '../errors.js';
import { parse } from './validation.js';

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

/** POST /api/auth/register and /api/auth/login → { access_token, token_type, expires_in }. */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;

  app.post('/register', async (req, reply) => {
    const body = parse(credentials, req.body, 'body');
    const user = await createUser(db, body.email, await hashPassword(body.password));
    if (!user)
      throw new HttpError(409, 'email_taken', 'An account with this email already exists: log in instead.');
    req.log.info({ event: 'user_registered', user_id: user.id }, 'user registered');
    return reply.status(201).send(await app.tokens.issue(user.id));
  });

  app.post('/login', async (req) => {
    const body = parse(loginBody, req.body, 'body');
    const user = await findUserByEmail(db, body.email);
    const ok = user
      ? await verifyPassword(body.password, user.password_hash)
      : await verifyAgainstDummy(body.password);
    if (!user || !ok) throw new HttpError(401, 'invalid_credentials', 'The email or password is wrong.');
    return app.tokens.issue(user.id);
  });
};
