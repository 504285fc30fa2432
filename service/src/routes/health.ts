import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readSchemaVersion } from '../db/health.js';

const healthSchema = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  version: z.string(),
  timestamp: z.string(),
  uptime_s: z.number(),
  checks: z.object({
    database: z.object({
      status: z.enum(['ok', 'error']),
      latency_ms: z.number(),
      error: z.string().optional(),
    }),
  }),
  migrations: z.object({ current: z.number().nullable() }),
});

const startedAt = Date.now();

class Timeout extends Error {}

/** Our own timer, the server's statement_timeout (57014) or the probe pool's connect/read timeouts. */
function isTimeout(err: unknown): boolean {
  if (err instanceof Timeout) return true;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (e?.code === '57014') return true;
  return typeof e?.message === 'string' && /timeout/i.test(e.message);
}

/** GET /api/health: 200 healthy, or 503 with the failing check when the database does not answer in time. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config, db } = app.deps;
  const since = app.deps.startedAt ?? startedAt;

  const schema = {
    summary: 'Liveness and database check (Railway and the health gate probe it)',
    tags: ['health'],
    response: { 200: healthSchema, 503: healthSchema },
  };
  app.get('/health', { schema }, async (_req, reply) => {
    reply.header('cache-control', 'no-store, max-age=0');
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let database: { status: 'ok' | 'error'; latency_ms: number; error?: string };
    let current: number | null = null;
    try {
      // db.probe, not the app pool: a hanging database must not leave every probe holding an app
      // connection until statement_timeout while real requests queue behind them.
      current = await Promise.race([
        readSchemaVersion(db.probe),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Timeout()), config.healthDbTimeoutMs);
        }),
      ]);
      database = { status: 'ok', latency_ms: Math.round(performance.now() - started) };
    } catch (err) {
      database = {
        status: 'error',
        latency_ms: Math.round(performance.now() - started),
        error: isTimeout(err)
          ? `no answer within ${config.healthDbTimeoutMs} ms`
          : 'the database refused the query or the connection',
      };
      app.log.warn(
        { event: 'health_database_error', err: (err as Error).message },
        'health check: database unavailable',
      );
    } finally {
      clearTimeout(timer);
    }
    const healthy = database.status === 'ok';
    return reply.status(healthy ? 200 : 503).send({
      status: healthy ? 'healthy' : 'unhealthy',
      version: config.version,
      timestamp: new Date().toISOString(),
      uptime_s: Math.round((Date.now() - since) / 1000),
      checks: { database },
      migrations: { current },
    });
  });
};
