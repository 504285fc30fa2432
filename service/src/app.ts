/**
 * `buildApp(deps)` returns the Fastify app without listening: tests use app.inject() or listen
 * themselves, server.ts listens on PORT. One plugin per route group under routes/.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { errorBody, HttpError } from './errors.js';
import { authRoutes } from './routes/auth.js';
import { decisionRoutes } from './routes/decisions.js';
import { healthRoutes } from './routes/health.js';
import { memberRoutes } from './routes/members.js';
import { projectRoutes } from './routes/projects.js';
import { webhookRoutes } from './routes/webhooks.js';

/** What Sentry (or a test) learns about an error besides the error itself. */
export interface ErrorContext {
  route?: string | undefined;
  method?: string | undefined;
  requestId?: string | undefined;
  transcriptId?: string | undefined;
  jobId?: string | undefined;
}

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** Told when a transcript is stored, so extraction starts without waiting for the next poll. */
  onTranscriptStored?: (transcriptId: string) => void;
  captureException?: (err: unknown, context?: ErrorContext) => void;
  startedAt?: number;
}

/** Where each part of a request is named in a validation message when the problem is the part itself. */
const PART: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

declare module 'fastify' {
  interface FastifyRequest {
    userId: string;
  }
  interface FastifyInstance {
    deps: AppDeps;
    tokens: TokenService;
  }
}

/** A hop count becomes proxy-addr's "trust the nearest n" function; a list or false as it is. */
function trustProxyOption(trust: Config['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { http, rateLimit: limits } = deps.config;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Our own one-line access log below replaces Fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    // X-Forwarded-For only from the proxies we were told about: otherwise any client could pick the
    // address the rate limits count against.
    trustProxy: trustProxyOption(deps.config.trustProxy),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    // Node checks header and request deadlines on this interval (30 s by default): check often
    // enough that a slow-header client is cut off close to HTTP_HEADERS_TIMEOUT_MS.
    http: {
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(http.headersTimeoutMs / 4))),
    },
  }).withTypeProvider<ZodTypeProvider>();
  // Route schemas are zod objects: they validate requests, serialize answers and make the OpenAPI document.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('tokens', new TokenService(deps.config.jwt));
  app.decorateRequest('userId', '');

  app.register(cors, {
    origin: deps.config.corsOrigins.length > 0 ? deps.config.corsOrigins : false,
    credentials: true,
    // GET /api/projects pages through these headers; browsers hide them from scripts unless exposed.
    exposedHeaders: ['link', 'next-cursor'],
  });

  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'DecisionLog API',
        version: deps.config.version,
        description:
          'Meeting decisions extracted from Tactiq transcripts. Errors: {"error":{"code","message"}}.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });

  // Per client address (see trustProxy): a generous limit for everything; register and login set
  // their own, much lower one. Counters live in this process (each replica counts on its own).
  app.register(rateLimit, {
    global: true,
    max: limits.perMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => req.ip,
    errorResponseBuilder: (_req, context) =>
      new HttpError(
        429,
        'rate_limited',
        `Too many requests from your address (limit ${context.max} per ${context.after}): wait ${Math.max(1, Math.ceil(context.ttl / 1000))} s, as Retry-After says, then try again.`,
      ),
  });

  // Answers are JSON for API clients, never content to sniff; HTTPS only once seen over HTTPS.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
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
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0]!;
      const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const where = field || PART[error.validationContext ?? ''] || 'request';
      return reply.status(400).send(errorBody('validation_error', `${where}: ${issue.message}`));
    }
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
    const route = req.routeOptions.url;
    req.log.error({ event: 'unhandled_error', err, route }, 'request failed');
    deps.captureException?.(err, { route, method: req.method, requestId: req.id });
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
  app.register(memberRoutes, { prefix: '/api/projects' });
  app.register(decisionRoutes, { prefix: '/api' });
  app.register(webhookRoutes, { prefix: '/api/webhooks' });
  // The contract of every route above, generated from the same zod schemas that validate them; in a
  // plugin so it is added after @fastify/swagger is loaded and appears in the document itself.
  app.register(
    async (meta) => {
      meta.get(
        '/openapi.json',
        { schema: { summary: 'This OpenAPI 3 document', tags: ['meta'] } },
        async () => app.swagger(),
      );
    },
    { prefix: '/api' },
  );
  return app as unknown as FastifyInstance;
}
