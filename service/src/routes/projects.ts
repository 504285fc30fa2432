import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Queryable } from '../db/database.js';
import { createDecision, listDecisions } from '../db/decisions.js';
import {
  createProject,
  ensureWebhookSecret,
  findProjectForUser,
  listProjects,
  PREVIOUS_SECRET_HOURS,
  type Project,
  type Role,
  rotateWebhookSecret,
} from '../db/projects.js';
import { decodeSearchCursor, encodeSearchCursor, isStatementTimeout, searchDecisions } from '../db/search.js';
import { HttpError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor, isUuid } from '../pagination.js';
import { noStore } from './auth.js';
import { decisionSchema, errorSchema, idParams, projectSchema } from './schemas.js';
import { requireUser } from './validation.js';

/** A fresh Standard Webhooks secret: whsec_ + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/**
 * The project if `userId` may see it, else 404 (outsiders cannot tell it exists); 403 when they may
 * see it but their role is below `least`.
 */
export async function projectFor(
  db: Queryable,
  userId: string,
  id: string,
  least: Role = 'viewer',
  action = 'do this',
): Promise<Project> {
  const project = isUuid(id) ? await findProjectForUser(db, userId, id) : undefined;
  if (!project) throw notFound('This project');
  if (RANK[project.role] < RANK[least]) {
    throw new HttpError(
      403,
      'forbidden',
      `Your role on this project (${project.role}) cannot ${action}: ask one of its owners for the ${least} role.`,
    );
  }
  return project;
}

const newProject = z.object({
  name: z.string({ error: 'is required' }).trim().min(1, { error: 'must not be empty' }).max(200),
  description: z.string().trim().max(2000).nullish(),
});

// looseObject: the validated value replaces req.headers, which must keep every other header.
const projectHeaders = z.looseObject({
  'idempotency-key': z
    .string({ error: 'must be given once' })
    .trim()
    .min(1)
    .max(200, { error: 'must be at most 200 characters' })
    .optional(),
});

const newDecision = z.object({
  title: z.string({ error: 'is required' }).trim().min(1, { error: 'must not be empty' }).max(500),
  rationale: z.string().trim().max(10_000).nullish(),
  owner: z.string().trim().max(200).nullish(),
  quote: z.string().trim().max(10_000).nullish(),
});

const webhookSchema = z.object({
  project_id: z.uuid(),
  url: z.string().describe('path to configure in Tactiq, after your API origin'),
  secret: z.string().describe('Standard Webhooks signing secret (whsec_…)'),
  previous_secret_valid_hours: z.number().int(),
});

const listQuery = z.object({
  q: z
    .string()
    .transform((s) => s.replace(/\p{Cc}/gu, ' ').trim())
    .pipe(z.string().max(200, { error: 'must be at most 200 characters' }))
    .optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional(),
  sort: z.enum(['newest', 'relevance'], { error: 'must be newest or relevance' }).default('newest'),
});

/** The projects list answers a bare array (older clients rely on it), so paging travels in headers. */
export const PROJECTS_MAX_LIMIT = 500;
const projectsQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(PROJECTS_MAX_LIMIT)
    .default(PROJECTS_MAX_LIMIT),
  cursor: z.string().max(400).optional(),
});

const badCursor = () =>
  new HttpError(400, 'invalid_cursor', 'cursor is not one this API issued: start again without it.');

const secured = { security: [{ bearer: [] }] };
const denied = { 401: errorSchema, 404: errorSchema, 429: errorSchema };

/**
 * GET/POST /api/projects, GET /api/projects/:id, GET/POST /api/projects/:id/decisions,
 * GET /api/projects/:id/webhook and POST …/webhook/rotate. Members only; others get 404.
 */
export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  // preParsing, not onRequest: the rate limit (an onRequest hook) counts a request before its token is checked.
  app.addHook('preParsing', requireUser);

  const webhookAnswer = (projectId: string, secret: string) => ({
    project_id: projectId,
    url: `/api/webhooks/tactiq?project_id=${projectId}`,
    secret,
    previous_secret_valid_hours: PREVIOUS_SECRET_HOURS,
  });

  app.get(
    '',
    {
      schema: {
        summary: 'Projects you own or are a member of, newest first (Next-Cursor / Link headers page on)',
        tags: ['projects'],
        ...secured,
        querystring: projectsQuery,
        response: { 200: z.array(projectSchema), 400: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const query = req.query;
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (query.cursor && !after) throw badCursor();
      const page = await listProjects(db, req.userId, { limit: query.limit, after });
      if (page.next) {
        // More projects follow: say so (RFC 8288 Link, as GitHub's API does) instead of cutting silently.
        const cursor = encodeCursor(page.next);
        reply.header('next-cursor', cursor);
        reply.header('link', `</api/projects?limit=${query.limit}&cursor=${cursor}>; rel="next"`);
      }
      return page.items;
    },
  );

  app.post(
    '',
    {
      schema: {
        summary: 'Create a project (you become its owner); repeat-safe with an Idempotency-Key header',
        tags: ['projects'],
        ...secured,
        headers: projectHeaders,
        body: newProject,
        response: { 200: projectSchema, 201: projectSchema, 400: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const { project, created } = await createProject(
        db,
        req.userId,
        body.name,
        body.description ?? null,
        req.headers['idempotency-key'] ?? null,
        newWebhookSecret(),
      );
      return reply.status(created ? 201 : 200).send(project);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        summary: 'One project',
        tags: ['projects'],
        ...secured,
        params: idParams,
        response: { 200: projectSchema, ...denied },
      },
    },
    async (req) => projectFor(db, req.userId, req.params.id),
  );

  app.get(
    '/:id/decisions',
    {
      schema: {
        summary: "A project's decisions, newest first; q searches them (sort=relevance: best matches first)",
        tags: ['decisions'],
        ...secured,
        params: idParams,
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(decisionSchema), next_cursor: z.string().nullable() }),
          400: errorSchema,
          503: errorSchema,
          ...denied,
        },
      },
    },
    async (req) => {
      const query = req.query;
      if (!query.q) {
        if (query.sort === 'relevance')
          throw new HttpError(400, 'validation_error', 'sort: relevance needs a search (q).');
        const after = query.cursor ? decodeCursor(query.cursor) : undefined;
        if (query.cursor && !after) throw badCursor();
        const project = await projectFor(db, req.userId, req.params.id);
        const page = await listDecisions(db, project.id, { limit: query.limit, after });
        return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
      }
      const after = query.cursor ? decodeSearchCursor(query.cursor, query.sort) : undefined;
      if (query.cursor && !after) throw badCursor();
      const project = await projectFor(db, req.userId, req.params.id);
      try {
        const page = await searchDecisions(db, project.id, {
          q: query.q,
          limit: query.limit,
          sort: query.sort,
          after,
        });
        return { items: page.items, next_cursor: page.next ? encodeSearchCursor(page.next) : null };
      } catch (err) {
        if (!isStatementTimeout(err)) throw err;
        req.log.warn(
          {
            event: 'search_timeout',
            project_id: project.id,
            q: query.q,
            sort: query.sort,
            cursor: Boolean(after),
          },
          'search exceeded the statement timeout',
        );
        throw new HttpError(
          503,
          'search_timeout',
          'This search took too long to answer: add words or use a "quoted phrase" to narrow it, then try again.',
        );
      }
    },
  );

  app.post(
    '/:id/decisions',
    {
      schema: {
        summary: 'Log a decision by hand (editors and owners)',
        tags: ['decisions'],
        ...secured,
        params: idParams,
        body: newDecision,
        response: { 201: decisionSchema, 400: errorSchema, 403: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const project = await projectFor(db, req.userId, req.params.id, 'editor', 'add decisions');
      const b = req.body;
      const decision = await createDecision(db, project.id, {
        title: b.title,
        rationale: b.rationale ?? null,
        owner: b.owner ?? null,
        quote: b.quote ?? null,
      });
      return reply.status(201).send(decision);
    },
  );

  app.get(
    '/:id/webhook',
    {
      schema: {
        summary: "The project's Tactiq webhook URL and signing secret (owners)",
        tags: ['webhooks'],
        ...secured,
        params: idParams,
        response: { 200: webhookSchema, 403: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const project = await projectFor(db, req.userId, req.params.id, 'owner', 'see the webhook secret');
      const secret = await ensureWebhookSecret(db, project.id, newWebhookSecret());
      noStore(reply);
      return webhookAnswer(project.id, secret);
    },
  );

  app.post(
    '/:id/webhook/rotate',
    {
      schema: {
        summary: 'Replace the webhook secret; the old one verifies deliveries for 24 more hours (owners)',
        tags: ['webhooks'],
        ...secured,
        params: idParams,
        response: { 200: webhookSchema, 403: errorSchema, ...denied },
      },
    },
    async (req, reply) => {
      const project = await projectFor(db, req.userId, req.params.id, 'owner', 'rotate the webhook secret');
      const secret = newWebhookSecret();
      await rotateWebhookSecret(db, project.id, secret);
      req.log.info({ event: 'webhook_secret_rotated', project_id: project.id }, 'webhook secret rotated');
      noStore(reply);
      return webhookAnswer(project.id, secret);
    },
  );
};
