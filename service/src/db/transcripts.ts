import type { Queryable } from './database.js';

export interface NewTranscript {
  webhookId: string;
  eventType: string | null;
  projectId: string;
  externalId: string | null;
  title: string | null;
  content: string;
  meetingAt: string | null;
}

export type StoreResult =
  | { stored: true; transcriptId: string }
  | { stored: false; transcriptId: string | null };

/**
 * Records the webhook delivery, the transcript and its pending extraction job in one transaction
 * (call inside `db.transaction`). A webhook-id seen before stores nothing and reports the earlier
 * transcript — only when it was for the same project, so no other tenant's transcript id leaks.
 */
export async function storeTranscript(tx: Queryable, t: NewTranscript): Promise<StoreResult> {
  const delivery = await tx.query(
    `INSERT INTO webhook_deliveries (webhook_id, project_id, source, event_type) VALUES ($1, $2, 'tactiq', $3)
     ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id`,
    [t.webhookId, t.projectId, t.eventType],
  );
  if (delivery.rows.length === 0) {
    const prior = await tx.query<{ transcript_id: string | null }>(
      'SELECT transcript_id FROM webhook_deliveries WHERE project_id = $1 AND webhook_id = $2',
      [t.projectId, t.webhookId],
    );
    return { stored: false, transcriptId: prior.rows[0]?.transcript_id ?? null };
  }
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO transcripts (project_id, source, external_id, title, content, meeting_at)
     VALUES ($1, 'tactiq', $2, $3, $4, $5) RETURNING id`,
    [t.projectId, t.externalId, t.title, t.content, t.meetingAt],
  );
  const transcriptId = inserted.rows[0]!.id;
  await tx.query('UPDATE webhook_deliveries SET transcript_id = $1 WHERE webhook_id = $2', [
    transcriptId,
    t.webhookId,
  ]);
  await tx.query('INSERT INTO extraction_jobs (transcript_id) VALUES ($1)', [transcriptId]);
  return { stored: true, transcriptId };
}
