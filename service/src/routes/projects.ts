import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { listDecisions } from '../db/decisions.js';
import { createProject, findProjectForUser, listProjects } from '../db/projects.js';
import { decodeSearchCursor, encodeSearchCursor, isStatementTimeout, searchDecisions } from '../db/search.js';
import { HttpError, notFound } from '../errors.js';
import { decodeCursor, encodeCursor, isUuid } from '../pagination.js';
import { parse, requireUser } from './validation.js';

const newProject = z.object({
  name: z.string({ error: 'is required' }).trim().min(1, { error: 'must not be empty' }).max(200),
  description: z.string().trim().max(2000).nullish(),
});

const idempotencyKey = z
  .string({ error: 'must be given once' })
  .trim()
  .min(1)
  .max(200, { error: 'must be at most 200 characters' })
  .optional();

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

/** GET/POST /api/projects, GET /api/projects/:id, GET /api/projects/:id/decisions (owner or member only). */
export const projectRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;
  app.addHook('onRequest', requireUser);

  const projectOr404 = async (userId: string, id: string) => {
    const project = isUuid(id) ? await findProjectForUser(db, userId, id) : undefined;
    if (!project) throw notFound('This project');
    return project;
  };

  app.get('/', async (req, reply) => {
    const query = parse(projectsQuery, req.query, 'query');
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
  });

  app.post('/', async (req, reply) => {
    const body = parse(newProject, req.body, 'body');
    const key = parse(idempotencyKey, req.headers['idempotency-key'], 'Idempotency-Key');
    const { project, created } = await createProject(
      db,
      req.userId,
      body.name,
      body.description ?? null,
      key ?? null,
    );
    return reply.status(created ? 201 : 200).send(project);
  });

  app.get<{ Params: { id: string } }>('/:id', async (req) => projectOr404(req.userId, req.params.id));

  app.get<{ Params: { id: string } }>('/:id/decisions', async (req) => {
    const query = parse(listQuery, req.query, 'query');
    if (!query.q) {
      if (query.sort === 'relevance')
        throw new HttpError(400, 'validation_error', 'sort: relevance needs a search (q).');
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (query.cursor && !after) throw badCursor();
      const project = await projectOr404(req.userId, req.params.id);
      const page = await listDecisions(db, project.id, { limit: query.limit, after });
      return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
    }
    const after = query.cursor ? decodeSearchCursor(query.cursor, query.sort) : undefined;
    if (query.cursor && !after) throw badCursor();
    const project = await projectOr404(req.userId, req.params.id);
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
  });
};
