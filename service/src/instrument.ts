/**
 * Sentry, initialised before the app is imported (`node --import ./instrument/index.js server/index.js`)
 * so its instrumentation sees the modules load. No SENTRY_DSN: Sentry stays off.
 * Reads the environment directly: config.ts has not run yet (and validates the same variables).
 */
import * as Sentry from '@sentry/node';

const dsn = process.env.SENTRY_DSN?.trim();
if (dsn) {
  const rate = Number(process.env.SENTRY_TRACES_SAMPLE_RATE ?? '0.1');
  Sentry.init({
    dsn,
    release: process.env.RAILWAY_GIT_COMMIT_SHA || process.env.GIT_SHA || undefined,
    environment: process.env.SENTRY_ENVIRONMENT || process.env.ENVIRONMENT || 'development',
    tracesSampleRate: Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : 0.1,
    // Our error handler reports each 5xx with its route, request id and release (app.ts). Sentry's
    // own Fastify hook would report the same error first, without them, and make ours a duplicate.
    integrations: [Sentry.fastifyIntegration({ shouldHandleError: () => false })],
  });
}
