/**
 * Entry point: config → database (+ migrations in embedded mode or with MIGRATE_ON_BOOT) → app →
 * extraction worker → listen on PORT. SIGTERM/SIGINT: stop accepting, finish in-flight requests,
 * hand unfinished jobs back, close the pool — all within 10 s.
 */
import { buildApp, type ErrorContext } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { AnthropicExtractor } from './extraction/anthropic.js';
import { ExtractionWorker } from './extraction/worker.js';
import { createLogger } from './logger.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`config: ${problem}\n`);
    process.stderr.write('DecisionLog did not start: fix the configuration above and start it again.\n');
    process.exit(1);
  }
  const { config } = loaded;
  const log = createLogger(config.logLevel, config.version);
  for (const warning of loaded.warnings) log.warn({ event: 'config_warning' }, warning);

  let captureException: ((err: unknown, context?: ErrorContext) => void) | undefined;
  let flushSentry: (() => Promise<unknown>) | undefined;
  if (config.sentry.dsn) {
    const Sentry = await import('@sentry/node');
    flushSentry = () => Sentry.close(2000);
    // The release comes from instrument.ts's init; route and request id let an event be matched
    // with its access-log line, the transcript with its job.
    captureException = (err, context = {}) =>
      Sentry.captureException(err, {
        tags: {
          ...(context.route ? { route: context.route } : {}),
          ...(context.method ? { method: context.method } : {}),
          ...(context.requestId ? { request_id: context.requestId } : {}),
          ...(context.transcriptId ? { transcript_id: context.transcriptId } : {}),
          ...(context.jobId ? { job_id: context.jobId } : {}),
        },
      });
  }

  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    embeddedDbDir: config.embeddedDbDir,
    poolMax: config.dbPoolMax,
    slowQueryMs: config.slowQueryMs,
    healthTimeoutMs: config.healthDbTimeoutMs,
    log,
  });
  log.info(
    {
      event: 'database_opened',
      kind: db.kind,
      ...(db.kind === 'embedded' ? { dir: config.embeddedDbDir } : {}),
    },
    'database ready',
  );

  if (db.kind === 'embedded' || config.migrateOnBoot) {
    const result = await migrate(db, config.migrationsDir, (line) => log.info({ event: 'migrate' }, line));
    log.info(
      { event: 'migrations_applied', applied: result.applied.length, current: result.current },
      'migrations done',
    );
  }

  let worker: ExtractionWorker | undefined;
  if (config.extraction.enabled && config.anthropic.apiKey) {
    worker = new ExtractionWorker({
      db,
      log,
      extractor: new AnthropicExtractor({
        apiKey: config.anthropic.apiKey,
        baseUrl: config.anthropic.baseUrl,
        model: config.anthropic.model,
        timeoutMs: config.anthropic.timeoutMs,
        log,
      }),
      ...config.extraction,
      pricePerMTok: config.anthropic.pricePerMTok,
      captureException,
    });
  }

  const app = buildApp({
    config,
    db,
    log,
    startedAt,
    captureException,
    onTranscriptStored: () => worker?.wake(),
  });
  await app.listen({ port: config.port, host: config.host });
  // Jobs left pending (or half-done) by a previous process are picked up right away.
  worker?.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown', signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error(
        { event: 'shutdown_timeout' },
        `shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting`,
      );
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Keep-alive connections that finish their in-flight request become idle after close() began:
    // close those as they appear, and everything still open just before the deadline.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_DEADLINE_MS - 2000);
    try {
      await Promise.all([app.close(), worker?.stop(5000)]);
      clearInterval(idle);
      clearTimeout(force);
      await db.close();
      // Events captured just before the signal (a failed job) still reach Sentry.
      await flushSentry?.().catch(() => undefined);
      log.info({ event: 'shutdown_complete' }, 'stopped');
      process.exit(0);
    } catch (err) {
      log.error({ event: 'shutdown_error', err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // One line, no stack: the message says what to do.
  process.stderr.write(`DecisionLog failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
