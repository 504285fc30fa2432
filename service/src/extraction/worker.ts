/**
 * Drains the extraction queue: claims a job (FOR UPDATE SKIP LOCKED + lease), asks the extractor,
 * stores the decisions, logs `decision_extracted`. Failed attempts go back to pending with backoff.
 * Everything lives in the database, so a restart — or another replica — simply carries on.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { backoffMs } from '../../../lib/backoff.js';
import type { Db } from '../db/database.js';
import {
  type ClaimedJob,
  claimJob,
  completeJob,
  failAbandonedJobs,
  failJob,
  releaseJob,
} from '../db/jobs.js';
import { ExtractionError, type Extractor } from './anthropic.js';
import { costUsd, priceOf } from './cost.js';

export interface WorkerOptions {
  db: Db;
  extractor: Extractor;
  log: Logger;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Overrides the built-in price list, USD per million tokens [input, output]. */
  pricePerMTok?: [number, number] | undefined;
  captureException?: (err: unknown, context?: { transcriptId?: string; jobId?: string }) => void;
  workerId?: string;
}

export type RunResult = 'idle' | 'done' | 'retry' | 'failed' | 'lost' | 'released';

export class ExtractionWorker {
  readonly id: string;
  #o: WorkerOptions;
  #running = false;
  #loops: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #abort = new AbortController();

  constructor(opts: WorkerOptions) {
    this.#o = opts;
    this.id = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#o.log.info(
      { event: 'extraction_worker_started', worker_id: this.id, concurrency: this.#o.concurrency },
      'extraction worker started',
    );
    for (let i = 0; i < this.#o.concurrency; i++) this.#loops.push(this.#loop());
  }

  /** A new transcript arrived: stop waiting for the next poll. */
  wake(): void {
    for (const w of this.#wakers) w();
  }

  /** Stops claiming, interrupts in-flight calls after `graceMs` and hands their jobs back. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    const timer = setTimeout(() => this.#abort.abort(), graceMs);
    await Promise.allSettled(this.#loops);
    clearTimeout(timer);
    this.#loops = [];
  }

  /** Claims and processes at most one job. */
  async runOnce(): Promise<RunResult> {
    const o = this.#o;
    const job = await claimJob(o.db, this.id, o.leaseMs, o.maxAttempts);
    if (!job) {
      await failAbandonedJobs(o.db, o.maxAttempts);
      return 'idle';
    }
    return this.#process(job);
  }

  async #process(job: ClaimedJob): Promise<RunResult> {
    const o = this.#o;
    const started = performance.now();
    try {
      const result = await o.extractor.extract(
        { id: job.transcriptId, title: job.title, content: job.content },
        this.#abort.signal,
      );
      const cost = costUsd(result.usage, o.pricePerMTok ?? priceOf(result.model));
      const stored = await o.db.transaction((tx) => completeJob(tx, job, this.id, result.decisions, cost));
      const latencyMs = Math.round(performance.now() - started);
      if (!stored) {
        o.log.warn(
          { event: 'extraction_lease_lost', transcript_id: job.transcriptId, job_id: job.id },
          'extraction lease lost; another worker owns the job now',
        );
        return 'lost';
      }
      o.log.info(
        {
          event: 'decision_extracted',
          transcript_id: job.transcriptId,
          decisions_count: result.decisions.length,
          cost_usd: cost,
          latency_ms: latencyMs,
          model: result.model,
          input_tokens: result.usage.input_tokens,
          output_tokens: result.usage.output_tokens,
          attempt: job.attempts,
        },
        'decision_extracted',
      );
      return 'done';
    } catch (err) {
      if (this.#abort.signal.aborted) {
        await releaseJob(o.db, job, this.id).catch(() => undefined);
        return 'released';
      }
      const retryable = err instanceof ExtractionError ? err.retryable : true;
      const message = err instanceof Error ? err.message : String(err);
      const delay = backoffMs(job.attempts, o.backoffBaseMs, o.backoffMaxMs);
      const status = await failJob(o.db, job, this.id, message, retryable, delay, o.maxAttempts);
      const fields = {
        event: status === 'failed' ? 'extraction_failed' : 'extraction_retry',
        transcript_id: job.transcriptId,
        attempt: job.attempts,
        error: message,
        retry_in_ms: status === 'pending' ? delay : undefined,
        latency_ms: Math.round(performance.now() - started),
      };
      if (status === 'failed') {
        o.log.error(fields, 'extraction failed for good');
        o.captureException?.(err, { transcriptId: job.transcriptId, jobId: job.id });
      } else o.log.warn(fields, 'extraction attempt failed; will retry');
      return status === 'failed' ? 'failed' : status === 'pending' ? 'retry' : 'lost';
    }
  }

  async #loop(): Promise<void> {
    let errors = 0;
    while (this.#running) {
      let result: RunResult;
      try {
        result = await this.runOnce();
        errors = 0;
      } catch (err) {
        // The database is away: wait longer each time, then carry on.
        errors++;
        this.#o.log.warn(
          { event: 'extraction_worker_error', err: (err as Error).message },
          'extraction worker could not reach the database',
        );
        result = 'idle';
      }
      if (result === 'idle' && this.#running) await this.#sleep(this.#o.pollMs * Math.min(2 ** errors, 30));
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }
}
