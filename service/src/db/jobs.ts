/**
 * The persisted extraction queue. A job is claimed with FOR UPDATE SKIP LOCKED and a lease, so
 * several replicas never process the same transcript; a lease that runs out (crashed process) makes
 * the job claimable again; completion and failure only count when the worker still holds the lease.
 */
import type { Queryable } from './database.js';

export interface ClaimedJob {
  id: string;
  transcriptId: string;
  attempts: number;
  projectId: string;
  title: string | null;
  content: string;
}

export interface ExtractedDecision {
  title: string;
  rationale: string | null;
  owner: string | null;
  confidence: number | null;
  quote: string | null;
}

/** Claims the oldest runnable job for `workerId`, or returns undefined when none is ready. */
export async function claimJob(
  db: Queryable,
  workerId: string,
  leaseMs: number,
  maxAttempts: number,
): Promise<ClaimedJob | undefined> {
  const claimed = await db.query<{ id: string; transcript_id: string; attempts: number }>(
    `WITH next AS (
       SELECT id FROM extraction_jobs
        WHERE ((status = 'pending' AND run_after <= now())
           OR (status = 'processing' AND locked_until < now()))
          AND attempts < $3
        ORDER BY run_after, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
     )
     UPDATE extraction_jobs j
        SET status = 'processing', attempts = j.attempts + 1, locked_by = $1,
            locked_until = now() + $2 * interval '1 millisecond', updated_at = now()
       FROM next WHERE j.id = next.id
     RETURNING j.id::text AS id, j.transcript_id, j.attempts`,
    [workerId, leaseMs, maxAttempts],
  );
  const job = claimed.rows[0];
  if (!job) return undefined;
  const t = await db.query<{ project_id: string; title: string | null; content: string }>(
    'SELECT project_id, title, content FROM transcripts WHERE id = $1',
    [job.transcript_id],
  );
  const transcript = t.rows[0]!;
  return {
    id: job.id,
    transcriptId: job.transcript_id,
    attempts: job.attempts,
    projectId: transcript.project_id,
    title: transcript.title,
    content: transcript.content,
  };
}

/**
 * Stores the decisions and marks the job done, in one transaction (call inside `db.transaction`).
 * False when this worker lost its lease meanwhile: nothing is stored, the new holder will.
 */
export async function completeJob(
  tx: Queryable,
  job: ClaimedJob,
  workerId: string,
  decisions: ExtractedDecision[],
  costUsd: number | null,
): Promise<boolean> {
  const held = await tx.query(
    `SELECT 1 FROM extraction_jobs WHERE id = $1 AND locked_by = $2 AND status = 'processing' FOR UPDATE`,
    [job.id, workerId],
  );
  if (held.rows.length === 0) return false;
  if (decisions.length > 0) {
    await tx.query(
      `INSERT INTO decisions (project_id, transcript_id, title, rationale, owner, confidence, quote)
       SELECT $1, $2, d.title, d.rationale, d.owner, d.confidence, d.quote
         FROM jsonb_to_recordset($3::jsonb) AS d(title text, rationale text, owner text, confidence real, quote text)`,
      [job.projectId, job.transcriptId, JSON.stringify(decisions)],
    );
  }
  await tx.query(
    `UPDATE extraction_jobs
        SET status = 'done', decisions_count = $2, cost_usd = $3, last_error = NULL,
            locked_by = NULL, locked_until = NULL, updated_at = now(), finished_at = now()
      WHERE id = $1`,
    [job.id, decisions.length, costUsd],
  );
  return true;
}

/**
 * Records a failed attempt: back to pending after `retryInMs` when `retry` and attempts remain,
 * otherwise failed for good. Returns the new status, or undefined when the lease was lost.
 */
export async function failJob(
  db: Queryable,
  job: ClaimedJob,
  workerId: string,
  error: string,
  retry: boolean,
  retryInMs: number,
  maxAttempts: number,
): Promise<'pending' | 'failed' | undefined> {
  const res = await db.query<{ status: 'pending' | 'failed' }>(
    `UPDATE extraction_jobs
        SET status = CASE WHEN $3 AND attempts < $5 THEN 'pending' ELSE 'failed' END,
            run_after = now() + $4 * interval '1 millisecond',
            finished_at = CASE WHEN $3 AND attempts < $5 THEN NULL ELSE now() END,
            last_error = left($6, 2000), locked_by = NULL, locked_until = NULL, updated_at = now()
      WHERE id = $1 AND locked_by = $2 AND status = 'processing'
      RETURNING status`,
    [job.id, workerId, retry, retryInMs, maxAttempts, error],
  );
  return res.rows[0]?.status;
}

/** Gives a job back untouched (shutdown interrupted it): the attempt does not count. */
export async function releaseJob(db: Queryable, job: ClaimedJob, workerId: string): Promise<void> {
  await db.query(
    `UPDATE extraction_jobs
        SET status = 'pending', attempts = greatest(attempts - 1, 0), run_after = now(),
            locked_by = NULL, locked_until = NULL, updated_at = now()
      WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
    [job.id, workerId],
  );
}

/** Jobs whose holder died on their last allowed attempt would stay "processing" forever: fail them. */
export async function failAbandonedJobs(db: Queryable, maxAttempts: number): Promise<number> {
  const res = await db.query(
    `UPDATE extraction_jobs
        SET status = 'failed', last_error = 'the worker holding this job stopped answering on its last attempt',
            locked_by = NULL, locked_until = NULL, updated_at = now(), finished_at = now()
      WHERE status = 'processing' AND locked_until < now() AND attempts >= $1`,
    [maxAttempts],
  );
  return res.rowCount ?? 0;
}
