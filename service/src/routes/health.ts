import type { FastifyPluginAsync } from 'fastify';
import { readSchemaVersion } from '../db/health.js';

const startedAt = Date.now();

class Timeout extends Error {}

/** GET /api/health: 200 healthy, or 503 with the failing check when the database does not answer in time. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { config, db } = app.deps;
  const since = app.deps.startedAt ?? startedAt;

  app.get('/health', async (_req, reply) => {
    reply.header('cache-control', 'no-store, max-age=0');
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let database: { status: 'ok' | 'error'; latency_ms: number; error?: string };
    let current: number | null = null;
    try {
      current = await Promise.race([
        readSchemaVersion(db),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Timeout()), config.healthDbTimeoutMs);
        }),
      ]);
      database = { status: 'ok', latency_ms: Math.round(performance.now() - started) };
    } catch (err) {
      database = {
        status: 'error',
        latency_ms: Math.round(performance.now() - started),
        error:
          err instanceof Timeout
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
