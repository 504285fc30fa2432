import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findDecisionForUser } from '../db/decisions.js';
import { notFound } from '../errors.js';
import { isUuid } from '../pagination.js';
import { decisionSchema, errorSchema } from './schemas.js';
import { requireUser } from './validation.js';

/** GET /api/decisions/:id (members of its project only). */
export const decisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  // preParsing, not onRequest: the rate limit (an onRequest hook) counts a request before its token is checked.
  app.addHook('preParsing', requireUser);

  app.get(
    '/decisions/:id',
    {
      schema: {
        summary: 'One decision, if you are a member of its project',
        tags: ['decisions'],
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().describe('decision id (uuid)') }),
        response: { 200: decisionSchema, 401: errorSchema, 404: errorSchema, 429: errorSchema },
      },
    },
    async (req) => {
      const decision = isUuid(req.params.id)
        ? await findDecisionForUser(db, req.userId, req.params.id)
        : undefined;
      if (!decision) throw notFound('This decision');
      return decision;
    },
  );
};
