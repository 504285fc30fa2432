import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { projectExists } from '../db/projects.js';
import { storeTranscript } from '../db/transcripts.js';
import { HttpError } from '../errors.js';
import { isUuid } from '../pagination.js';
import { checkEnvelope, verifyWebhook } from '../webhooks/standard-webhooks.js';

const MAX_BODY = 5 * 1024 * 1024;

const line = z.object({
  speaker: z.string().max(200).nullish(),
  text: z.string().max(100_000),
  start: z.union([z.number(), z.string()]).nullish(),
});

/** Tactiq transcript event, Standard Webhooks envelope: { type, timestamp, data }. */
const payloadSchema = z.object({
  type: z.string().max(100).optional(),
  data: z.object({
    meeting_id: z.union([z.string().max(200), z.number()]).nullish(),
    title: z.string().max(500).nullish(),
    project_id: z.string().nullish(),
    meeting_at: z.iso.datetime({ offset: true }).nullish(),
    transcript: z.union([z.string().min(1).max(MAX_BODY), z.array(line).min(1).max(50_000)]),
  }),
});

const reasons = {
  missing_headers:
    'The webhook-id (at most 256 characters), webhook-timestamp and webhook-signature headers are required (Standard Webhooks).',
  bad_timestamp: 'webhook-timestamp must be Unix time in seconds.',
  stale_timestamp:
    'webhook-timestamp is more than 5 minutes away from our clock: the delivery is too old or a replay.',
  bad_signature:
    'webhook-signature does not match: check that TACTIQ_WEBHOOK_SECRET is the endpoint signing secret.',
} as const;

/** application/json, with or without parameters (charset); anything else is not a Tactiq delivery. */
export function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function transcriptText(t: z.infer<typeof payloadSchema>['data']['transcript']): string {
  if (typeof t === 'string') return t;
  return t.map((l) => (l.speaker ? `${l.speaker}: ${l.text}` : l.text)).join('\n');
}

/**
 * POST /api/webhooks/tactiq: verify the signature on the raw bytes, store transcript + job once per
 * webhook-id, answer 202 at once; extraction runs in the background worker.
 */
export const webhookRoutes: FastifyPluginAsync = async (app) => {
  const { config, db } = app.deps;

  // The signature covers the exact bytes: keep the raw body and parse JSON only after verifying.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_BODY },
    (_req, body, done) => done(null, body),
  );

  const header = (req: { headers: Record<string, string | string[] | undefined> }, name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const envelope = (req: { headers: Record<string, string | string[] | undefined> }) => ({
    id: header(req, 'webhook-id'),
    timestamp: header(req, 'webhook-timestamp'),
    signature: header(req, 'webhook-signature'),
  });

  app.post<{ Querystring: { project_id?: string } }>(
    '/tactiq',
    {
      bodyLimit: MAX_BODY,
      // Header checks before the body is read: an unsigned or stale delivery is refused unbuffered.
      onRequest: async (req) => {
        if (!config.webhookKey) return;
        const rejected = checkEnvelope(envelope(req), Date.now());
        if (rejected) {
          req.log.warn({ event: 'webhook_rejected', reason: rejected.reason }, 'webhook rejected');
          throw new HttpError(401, 'invalid_signature', reasons[rejected.reason]);
        }
        // Only JSON bodies are kept as raw bytes to verify: any other type would fail the signature
        // check and blame the secret, so name the real cause instead.
        const type = header(req, 'content-type');
        if (!isJsonContentType(type)) {
          req.log.warn(
            {
              event: 'webhook_rejected',
              reason: 'unsupported_media_type',
              content_type: type?.slice(0, 100),
            },
            'webhook rejected',
          );
          throw new HttpError(
            415,
            'unsupported_media_type',
            `The webhook body must be sent as Content-Type: application/json${type ? `, not ${type.slice(0, 100)}` : ''}: configure the webhook in Tactiq to deliver JSON.`,
          );
        }
      },
    },
    async (req, reply) => {
      if (!config.webhookKey) {
        throw new HttpError(
          503,
          'webhook_not_configured',
          'Webhooks are not configured on this server: set TACTIQ_WEBHOOK_SECRET.',
        );
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verdict = verifyWebhook(config.webhookKey, envelope(req), raw, Date.now());
      if (!verdict.ok) {
        req.log.warn({ event: 'webhook_rejected', reason: verdict.reason }, 'webhook rejected');
        throw new HttpError(401, 'invalid_signature', reasons[verdict.reason]);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'invalid_json', 'The webhook body is not valid JSON.');
      }
      const parsed = payloadSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(422, 'invalid_payload', `${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      const { data, type } = parsed.data;
      // The signed body wins; the URL's query string is not covered by the signature.
      const projectId = data.project_id ?? req.query.project_id ?? undefined;
      if (!projectId || !isUuid(projectId) || !(await projectExists(db, projectId))) {
        throw new HttpError(
          422,
          'unknown_project',
          'The webhook names no existing project: add ?project_id=<project id> to the webhook URL configured in Tactiq.',
        );
      }
      const result = await db.transaction((tx) =>
        storeTranscript(tx, {
          webhookId: verdict.id,
          eventType: type ?? null,
          projectId,
          externalId: data.meeting_id == null ? null : String(data.meeting_id),
          title: data.title ?? null,
          content: transcriptText(data.transcript),
          meetingAt: data.meeting_at ?? null,
        }),
      );
      if (!result.stored) {
        req.log.info({ event: 'webhook_duplicate', webhook_id: verdict.id }, 'webhook already received');
        return reply.status(200).send({ status: 'duplicate', transcript_id: result.transcriptId });
      }
      req.log.info(
        { event: 'transcript_received', transcript_id: result.transcriptId, project_id: projectId },
        'transcript stored',
      );
      app.deps.onTranscriptStored?.(result.transcriptId);
      return reply.status(202).send({ status: 'accepted', transcript_id: result.transcriptId });
    },
  );
};
