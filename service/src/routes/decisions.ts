import type { FastifyPluginAsync } from 'fastify';
import { findDecisionForUser } from '../db/decisions.js';
import { notFound } from '../errors.js';
import { isUuid } from '../pagination.js';
import { requireUser } from './validation.js';

/** GET /api/decisions/:id (members of its project only). */
export const decisionRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;
  app.addHook('onRequest', requireUser);

  app.get<{ Params: { id: string } }>('/decisions/:id', async (req) => {
    const decision = isUuid(req.params.id)
      ? await findDecisionForUser(db, req.userId, req.params.id)
      : undefined;
    if (!decision) throw notFound('This decision');
    return decision;
  });
};
