/**
 * The service's configuration, read once from the environment and validated with zod. A bad value
 * becomes one line naming the variable and what to do — never the value, since many are secrets.
 */
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  environment: string;
  isProduction: boolean;
  port: number;
  host: string;
  /** The commit SHA this process runs (RAILWAY_GIT_COMMIT_SHA, else GIT_SHA), or "dev". */
  version: string;
  logLevel: LogLevel;
  corsOrigins: string[];
  /** Unset: embedded PGlite under `embeddedDbDir`. */
  databaseUrl: string | undefined;
  embeddedDbDir: string;
  dbPoolMax: number;
  migrateOnBoot: boolean;
  migrationsDir: string;
  slowQueryMs: number;
  healthDbTimeoutMs: number;
  jwt: {
    secret: string;
    algorithm: 'HS256' | 'HS384' | 'HS512';
    expirationHours: number;
    generated: boolean;
  };
  /**
   * Which proxies may tell us the client address (X-Forwarded-For): false (none, the socket address
   * counts), a hop count (Railway: 1) or a list of proxy addresses/CIDRs. Never "every proxy".
   */
  trustProxy: false | number | string[];
  /** log2 of scrypt's N for new password hashes (17 = OWASP's recommendation). */
  passwordHashCost: number;
  rateLimit: {
    /** Requests per minute per client address, all routes together. */
    perMinute: number;
    /** Requests per minute per client address to register and, separately, to login. */
    authPerMinute: number;
  };
  http: {
    /** Whole request, headers and body, from the first byte (Node requestTimeout). */
    requestTimeoutMs: number;
    /** Request headers complete (Node headersTimeout): slow-header clients are cut off. */
    headersTimeoutMs: number;
    /** An idle keep-alive connection is closed after this (longer than the proxy's idle timeout). */
    keepAliveTimeoutMs: number;
    /** A socket with no traffic at all is closed after this (Node server.timeout). */
    connectionTimeoutMs: number;
  };
  anthropic: {
    apiKey: string | undefined;
    baseUrl: string;
    model: string;
    timeoutMs: number;
    /** USD per million tokens [input, output]; undefined: taken from the built-in price list. */
    pricePerMTok: [number, number] | undefined;
  };
  extraction: {
    enabled: boolean;
    concurrency: number;
    pollMs: number;
    leaseMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
  };
  sentry: { dsn: string | undefined; environment: string; tracesSampleRate: number };
}

export type ConfigResult =
  | { ok: true; config: Config; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * A folder next to this module's folder: service/migrations from service/src, and <out>/migrations
 * from the bundle's <out>/server. A function, so the bundler does not mistake it for an asset to inline.
 */
function besideCode(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', name);
}
const DEFAULT_MIGRATIONS_DIR = besideCode('migrations');
const DEFAULT_DATA_DIR = besideCode('.data');

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be a whole number between ${min} and ${max}.` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `${name} must be between ${min} and ${max}.` });

const bool = (name: string) =>
  z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), {
      error: `${name} must be true or false.`,
    })
    .transform((s) => s === 'true' || s === '1' || s === 'yes');

const LOG_LEVELS: Record<string, LogLevel> = {
  fatal: 'fatal',
  critical: 'fatal',
  error: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
};

const envSchema = z.object({
  ENVIRONMENT: z.string().trim().min(1).default('development'),
  PORT: int('PORT', 1, 65535).default(8000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  RAILWAY_GIT_COMMIT_SHA: z.string().trim().optional(),
  GIT_SHA: z.string().trim().optional(),
  LOG_LEVEL: z
    .string()
    .transform((s) => LOG_LEVELS[s.trim().toLowerCase()])
    .refine((l) => l !== undefined, {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (any case).',
    })
    .default('info'),
  CORS_ORIGINS: z
    .string()
    .transform((s, ctx) => {
      try {
        const parsed = JSON.parse(s) as unknown;
        if (Array.isArray(parsed) && parsed.every((o) => typeof o === 'string')) return parsed as string[];
      } catch {
        // reported below
      }
      ctx.addIssue({
        code: 'custom',
        message: 'CORS_ORIGINS must be a JSON list of origins, e.g. ["https://app.decisionlog.io"].',
      });
      return z.NEVER;
    })
    .default([]),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((s) => s === '' || /^postgres(ql)?:\/\/./.test(s), {
      error: 'DATABASE_URL must be a postgres:// or postgresql:// URL (or unset for the embedded database).',
    })
    .optional(),
  EMBEDDED_DB_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  DB_POOL_MAX: int('DB_POOL_MAX', 1, 100).default(10),
  MIGRATE_ON_BOOT: bool('MIGRATE_ON_BOOT').default(false),
  MIGRATIONS_DIR: z.string().trim().min(1).default(DEFAULT_MIGRATIONS_DIR),
  SLOW_QUERY_MS: int('SLOW_QUERY_MS', 1, 600_000).default(500),
  HEALTH_DB_TIMEOUT_MS: int('HEALTH_DB_TIMEOUT_MS', 50, 30_000).default(2000),
  JWT_SECRET_KEY: z.string().optional(),
  JWT_ALGORITHM: z
    .enum(['HS256', 'HS384', 'HS512'], { error: 'JWT_ALGORITHM must be HS256, HS384 or HS512.' })
    .default('HS256'),
  JWT_EXPIRATION_HOURS: int('JWT_EXPIRATION_HOURS', 1, 24 * 365).default(12),
  TACTIQ_WEBHOOK_SECRET: z.string().optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((s, ctx): false | number | string[] => {
      const v = s.toLowerCase();
      if (v === 'false' || v === '0' || v === 'no') return false;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      const list = s.split(',').map((x) => x.trim());
      if (v !== 'true' && list.every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x))) return list;
      ctx.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY must be false, the number of proxies in front of the service (Railway: 1) or a comma-separated list of proxy addresses/CIDRs; "true" would let any client choose its own address.',
      });
      return z.NEVER;
    })
    .default(false),
  PASSWORD_HASH_COST: int('PASSWORD_HASH_COST', 14, 20).default(17),
  RATE_LIMIT_PER_MINUTE: int('RATE_LIMIT_PER_MINUTE', 1, 1_000_000).default(1200),
  AUTH_RATE_LIMIT_PER_MINUTE: int('AUTH_RATE_LIMIT_PER_MINUTE', 1, 1_000_000).default(20),
  HTTP_REQUEST_TIMEOUT_MS: int('HTTP_REQUEST_TIMEOUT_MS', 1000, 600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: int('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 1000, 600_000).default(72_000),
  HTTP_CONNECTION_TIMEOUT_MS: int('HTTP_CONNECTION_TIMEOUT_MS', 1000, 600_000).default(75_000),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z
    .string()
    .trim()
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), { error: 'ANTHROPIC_BASE_URL must be an http(s) URL.' })
    .default('https://api.anthropic.com'),
  ANTHROPIC_MODEL: z.string().trim().min(1).default('claude-sonnet-5-5'),
  ANTHROPIC_TIMEOUT_MS: int('ANTHROPIC_TIMEOUT_MS', 1000, 600_000).default(120_000),
  ANTHROPIC_PRICE_PER_MTOK: z
    .string()
    .transform((s, ctx) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(s);
      if (m) return [Number(m[1]), Number(m[2])] as [number, number];
      ctx.addIssue({
        code: 'custom',
        message: 'ANTHROPIC_PRICE_PER_MTOK must be "input,output" in USD per million tokens, e.g. "2,10".',
      });
      return z.NEVER;
    })
    .optional(),
  EXTRACTION_ENABLED: bool('EXTRACTION_ENABLED').default(true),
  EXTRACTION_CONCURRENCY: int('EXTRACTION_CONCURRENCY', 1, 16).default(2),
  EXTRACTION_POLL_MS: int('EXTRACTION_POLL_MS', 10, 600_000).default(2000),
  EXTRACTION_LEASE_MS: int('EXTRACTION_LEASE_MS', 1000, 3_600_000).default(300_000),
  EXTRACTION_MAX_ATTEMPTS: int('EXTRACTION_MAX_ATTEMPTS', 1, 50).default(5),
  EXTRACTION_BACKOFF_BASE_MS: int('EXTRACTION_BACKOFF_BASE_MS', 0, 3_600_000).default(5000),
  EXTRACTION_BACKOFF_MAX_MS: int('EXTRACTION_BACKOFF_MAX_MS', 0, 86_400_000).default(600_000),
  SENTRY_DSN: z
    .string()
    .trim()
    .refine((s) => s === '' || /^https?:\/\/[^\s@]+@[^\s]+$/.test(s), {
      error: 'SENTRY_DSN must be the DSN from Sentry (https://<key>@<host>/<project>) or unset.',
    })
    .optional(),
  SENTRY_ENVIRONMENT: z.string().trim().optional(),
  SENTRY_TRACES_SAMPLE_RATE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.' })
    .transform(Number)
    .default(0.1),
});

const empty = (s: string | undefined): s is undefined | '' => s === undefined || s.trim() === '';

/** Pure: environment in, config or one line per problem out. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  // Empty variables count as unset (Railway and .env files often define them empty).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? 'environment');
        return i.message.startsWith(name) ? i.message : `${name}: ${i.message}`;
      }),
    };
  }
  const e = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const isProduction = e.ENVIRONMENT.toLowerCase() === 'production';

  // Outside local development several replicas serve one user: they must share the signing key.
  const isLocal = ['development', 'dev', 'local', 'test'].includes(e.ENVIRONMENT.toLowerCase());
  let jwtSecret = e.JWT_SECRET_KEY;
  let generated = false;
  if (empty(jwtSecret)) {
    if (!isLocal) {
      problems.push(
        `JWT_SECRET_KEY is required when ENVIRONMENT is ${e.ENVIRONMENT} (every replica must sign and verify with the same key): set it to a random string of 32+ characters (openssl rand -hex 32).`,
      );
    } else {
      jwtSecret = randomBytes(32).toString('hex');
      generated = true;
      warnings.push(
        'JWT_SECRET_KEY is not set: using a random development secret, so tokens stop working when the process restarts.',
      );
    }
  } else if (jwtSecret.length < 32) {
    // Anything reachable by others (staging, preview, production) must not run on a guessable key.
    if (!isLocal)
      problems.push(
        `JWT_SECRET_KEY is too short for ENVIRONMENT=${e.ENVIRONMENT}: a short key can be guessed and tokens forged; use 32+ random characters (openssl rand -hex 32).`,
      );
    else
      warnings.push(
        'JWT_SECRET_KEY is shorter than 32 characters: accepted only in local development, refused elsewhere.',
      );
  }

  // One global secret let whoever held it write into any tenant's project: each project has its own now.
  if (!empty(e.TACTIQ_WEBHOOK_SECRET)) {
    warnings.push(
      'TACTIQ_WEBHOOK_SECRET is no longer used: each project has its own webhook secret (GET /api/projects/<id>/webhook as the project owner); remove the variable.',
    );
  }
  if (e.PASSWORD_HASH_COST < 17 && !isLocal) {
    problems.push(
      `PASSWORD_HASH_COST below 17 is accepted only in local development (ENVIRONMENT=${e.ENVIRONMENT}): leave it unset (17, OWASP's scrypt recommendation).`,
    );
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS.');
  }

  const databaseUrl = empty(e.DATABASE_URL) ? undefined : e.DATABASE_URL;
  if (!databaseUrl && isProduction) {
    problems.push(
      'DATABASE_URL is required in production: the embedded database lives on the container disk and is lost on redeploy.',
    );
  }

  const apiKey = empty(e.ANTHROPIC_API_KEY) ? undefined : e.ANTHROPIC_API_KEY.trim();
  if (!apiKey && e.EXTRACTION_ENABLED) {
    if (isProduction) {
      problems.push(
        'ANTHROPIC_API_KEY is required in production (or set EXTRACTION_ENABLED=false): transcripts would never be processed.',
      );
    } else {
      warnings.push(
        'ANTHROPIC_API_KEY is not set: transcripts are stored but decisions are not extracted until it is.',
      );
    }
  }
  // A call still running when its lease ends lets another worker claim the job and pay for it again.
  if (e.ANTHROPIC_TIMEOUT_MS >= e.EXTRACTION_LEASE_MS) {
    problems.push(
      `ANTHROPIC_TIMEOUT_MS (${e.ANTHROPIC_TIMEOUT_MS}) must be less than EXTRACTION_LEASE_MS (${e.EXTRACTION_LEASE_MS}): a call that outlives its job's lease lets a second worker claim the transcript mid-call and pay for it twice; lower the timeout or raise the lease.`,
    );
  }
  if (e.EXTRACTION_BACKOFF_MAX_MS < e.EXTRACTION_BACKOFF_BASE_MS) {
    problems.push('EXTRACTION_BACKOFF_MAX_MS must be at least EXTRACTION_BACKOFF_BASE_MS.');
  }

  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    warnings,
    config: {
      environment: e.ENVIRONMENT,
      isProduction,
      port: e.PORT,
      host: e.HOST,
      version: e.RAILWAY_GIT_COMMIT_SHA || e.GIT_SHA || 'dev',
      logLevel: e.LOG_LEVEL as LogLevel,
      corsOrigins: e.CORS_ORIGINS,
      databaseUrl,
      embeddedDbDir: e.EMBEDDED_DB_DIR,
      dbPoolMax: e.DB_POOL_MAX,
      migrateOnBoot: e.MIGRATE_ON_BOOT,
      migrationsDir: e.MIGRATIONS_DIR,
      slowQueryMs: e.SLOW_QUERY_MS,
      healthDbTimeoutMs: e.HEALTH_DB_TIMEOUT_MS,
      jwt: {
        secret: jwtSecret!,
        algorithm: e.JWT_ALGORITHM,
        expirationHours: e.JWT_EXPIRATION_HOURS,
        generated,
      },
      trustProxy: e.TRUST_PROXY,
      passwordHashCost: e.PASSWORD_HASH_COST,
      rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, authPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE },
      http: {
        requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
        headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
        keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        connectionTimeoutMs: e.HTTP_CONNECTION_TIMEOUT_MS,
      },
      anthropic: {
        apiKey,
        baseUrl: e.ANTHROPIC_BASE_URL,
        model: e.ANTHROPIC_MODEL,
        timeoutMs: e.ANTHROPIC_TIMEOUT_MS,
        pricePerMTok: e.ANTHROPIC_PRICE_PER_MTOK,
      },
      extraction: {
        enabled: e.EXTRACTION_ENABLED && apiKey !== undefined,
        concurrency: e.EXTRACTION_CONCURRENCY,
        pollMs: e.EXTRACTION_POLL_MS,
        leaseMs: e.EXTRACTION_LEASE_MS,
        maxAttempts: e.EXTRACTION_MAX_ATTEMPTS,
        backoffBaseMs: e.EXTRACTION_BACKOFF_BASE_MS,
        backoffMaxMs: e.EXTRACTION_BACKOFF_MAX_MS,
      },
      sentry: {
        dsn: empty(e.SENTRY_DSN) ? undefined : e.SENTRY_DSN,
        environment: e.SENTRY_ENVIRONMENT || e.ENVIRONMENT,
        tracesSampleRate: e.SENTRY_TRACES_SAMPLE_RATE,
      },
    },
  };
}
