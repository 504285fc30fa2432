/**
 * `buildApp(deps)` returns the Fastify app without listening: tests use app.inject() or listen
 * themselves, server.ts listens on PORT. One plugin per route group under routes/.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { errorBody, HttpError } from './errors.js';
import { authRoutes } from './routes/auth.js';
import { decisionRoutes } from './routes/decisions.js';
import { healthRoutes } from './routes/health.js';
import { projectRoutes } from './routes/projects.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** Told when a transcript is stored, so extraction starts without waiting for the next poll. */
  onTranscriptStored?: (transcriptId: string) => void;
  captureException?: (err: unknown) => void;
  startedAt?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
  }
  interface FastifyInstance {
    deps: AppDeps;
    tokens: TokenService;
  }
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Our own one-line access log below replaces Fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
  });
  app.decorate('deps', deps);
  app.decorate('tokens', new TokenService(deps.config.jwt));
  app.decorateRequest('userId', '');

  app.register(cors, {
    origin: deps.config.corsOrigins.length > 0 ? deps.config.corsOrigins : false,
    credentials: true,
    // GET /api/projects pages through these headers; browsers hide them from scripts unless exposed.
    exposedHeaders: ['link', 'next-cursor'],
  });

  // One access-log line per request; health checks (every few seconds from Railway) only at debug.
  app.addHook('onResponse', async (req, reply) => {
    const fields = {
      event: 'request',
      method: req.method,
      url: req.url.split('?')[0],
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
    };
    if (req.url.startsWith('/api/health')) req.log.debug(fields, 'request');
    else req.log.info(fields, 'request');
  });

  app.setErrorHandler((error, req, reply) => {
    const err = error as Error & { statusCode?: number; code?: string };
    if (err instanceof HttpError) return reply.status(err.statusCode).send(errorBody(err.code, err.message));
    // PostgreSQL refuses NUL bytes and invalid encodings in text: the client sent bad text.
    if (err.code === '22021' || err.code === '22P05') {
      return reply
        .status(400)
        .send(
          errorBody(
            'invalid_text',
            'The request contains characters that cannot be stored (such as NUL bytes).',
          ),
        );
    }
    const status = err.statusCode;
    if (status && status >= 400 && status < 500) {
      const code = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large' : 'bad_request';
      return reply.status(status).send(errorBody(code, err.message));
    }
    req.log.error({ event: 'unhandled_error', err }, 'request failed');
    deps.captureException?.(err);
    return reply
      .status(500)
      .send(
        errorBody(
          'internal_error',
          'Something went wrong on our side; try again, and contact support if it persists.',
        ),
      );
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send(errorBody('not_found', `There is no ${req.method} ${req.url.split('?')[0]} route.`)),
  );

  app.register(healthRoutes, { prefix: '/api' });
  app.register(authRoutes, { prefix: '/api/auth' });
  app.register(projectRoutes, { prefix: '/api/projects' });
  app.register(decisionRoutes, { prefix: '/api' });
  app.register(webhookRoutes, { prefix: '/api/webhooks' });
  return app;
}
