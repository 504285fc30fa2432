import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listMembers, removeMember, setMember } from '../db/members.js';
import { HttpError } from '../errors.js';
import { projectFor } from './projects.js';
import { errorSchema, idParams, roleSchema } from './schemas.js';
import { requireUser } from './validation.js';

const memberSchema = z.object({ email: z.string(), role: roleSchema });

const newMember = z.object({
  email: z
    .email({ error: 'must be an email address' })
    .max(254)
    .transform((s) => s.trim()),
  role: roleSchema,
});

const creatorStays = () =>
  new HttpError(
    409,
    'project_creator',
    "The project's creator is always an owner and cannot be changed or removed.",
  );

const secured = { security: [{ bearer: [] }] };
const denied = { 401: errorSchema, 404: errorSchema, 429: errorSchema };

/**
 * GET/POST /api/projects/:id/members, DELETE /api/projects/:id/members/:email. Every member may list;
 * owners add (or change the role of) and remove people by email.
 */
export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  // preParsing, not onRequest: the rate limit (an onRequest hook) counts a request before its token is checked.
  app.addHook('preParsing', requireUser);

  app.get(
    '/:id/members',
    {
      schema: {
        summary: "The project's people and their roles (invites included)",
        tags: ['members'],
        ...secured,
        params: idParams,
        response: { 200: z.array(memberSchema), ...denied },
      },
    },
    async (req) => {
      const project = await projectFor(db, req.userId, req.params.id);
      return listMembers(db, project.id);
    },
  );

  app.post(
    '/:id/members',
    {
      schema: {
        summary:
          'Add someone by email, or change their role (owners); an email without an account joins when it registers',
        tags: ['members'],
        ...secured,
        params: idParams,
        body: newMember,
        response: { 201: memberSchema, 400: errorSchema, 403: errorSchema, 409: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const project = await projectFor(db, req.userId, req.params.id, 'owner', 'manage members');
      const { email, role } = req.body;
      const result = await db.transaction((tx) => setMember(tx, project.id, email, role));
      if (result === 'creator') throw creatorStays();
      req.log.info({ event: 'member_set', project_id: project.id, role }, 'member added or changed');
      return reply.status(201).send({ email, role });
    },
  );

  app.delete(
    '/:id/members/:email',
    {
      schema: {
        summary: 'Remove someone from the project by email (owners)',
        tags: ['members'],
        ...secured,
        params: idParams.extend({ email: z.string().max(254) }),
        response: { 204: z.null().describe('No content'), 403: errorSchema, 409: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const project = await projectFor(db, req.userId, req.params.id, 'owner', 'manage members');
      const result = await db.transaction((tx) => removeMember(tx, project.id, req.params.email));
      if (result === 'creator') throw creatorStays();
      req.log.info({ event: 'member_removed', project_id: project.id }, 'member removed');
      return reply.status(204).send(null);
    },
  );
};
