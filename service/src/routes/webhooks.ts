import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { webhookSecretsOf } from '../db/projects.js';
import { storeTranscript } from '../db/transcripts.js';
import { HttpError } from '../errors.js';
import { isUuid } from '../pagination.js';
import { checkEnvelope, verifySignature } from '../webhooks/standard-webhooks.js';
import { errorSchema } from './schemas.js';

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
    'webhook-signature does not match the signing secret of the project the delivery names: configure Tactiq with the secret from GET /api/projects/<id>/webhook.',
} as const;

const accepted = z.object({ status: z.enum(['accepted', 'duplicate']), transcript_id: z.uuid().nullable() });

/** application/json, with or without parameters (charset); anything else is not a Tactiq delivery. */
export function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function transcriptText(t: z.infer<typeof payloadSchema>['data']['transcript']): string {
  if (typeof t === 'string') return t;
  return t.map((l) => (l.speaker ? `${l.speaker}: ${l.text}` : l.text)).join('\n');
}

/** The project a delivery names: the body's data.project_id (signed), else ?project_id= of the URL. */
function namedProject(json: unknown, query: string | undefined): string | undefined {
  const data = (json as { data?: { project_id?: unknown } } | undefined)?.data;
  return typeof data?.project_id === 'string' ? data.project_id : query;
}

/**
 * POST /api/webhooks/tactiq: verify the signature on the raw bytes with the secret of the project
 * the delivery names, store transcript + job once per webhook-id, answer 202 at once; extraction
 * runs in the background worker.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;

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

  app.post(
    '/tactiq',
    {
      bodyLimit: MAX_BODY,
      schema: {
        summary: 'Tactiq transcript delivery, signed per Standard Webhooks with the project secret',
        tags: ['webhooks'],
        querystring: z.object({ project_id: z.string().max(100).optional() }),
        response: {
          200: accepted,
          202: accepted,
          400: errorSchema,
          401: errorSchema,
          415: errorSchema,
          422: errorSchema,
          429: errorSchema,
        },
      },
      // Header checks before the body is read: an unsigned or stale delivery is refused unbuffered.
      onRequest: async (req) => {
        const rejected = checkEnvelope(envelope(req), Date.now());
        if (rejected) {
          req.log.warn({ event: 'webhook_rejected', reason: rejected }, 'webhook rejected');
          throw new HttpError(401, 'invalid_signature', reasons[rejected]);
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
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let json: unknown;
      let jsonError = false;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        jsonError = true;
      }
      // Each project has its own secret, so the (not yet verified) body or URL only picks which key
      // to check with; nothing from it is used unless the signature matches that project's key.
      const projectId = namedProject(json, req.query.project_id);
      if (!projectId) {
        if (jsonError) throw new HttpError(400, 'invalid_json', 'The webhook body is not valid JSON.');
        throw new HttpError(
          422,
          'unknown_project',
          'The webhook names no project: add ?project_id=<project id> to the webhook URL configured in Tactiq.',
        );
      }
      const secrets = isUuid(projectId) ? await webhookSecretsOf(db, projectId) : [];
      const headers = envelope(req);
      if (!verifySignature(secrets, headers, raw)) {
        req.log.warn({ event: 'webhook_rejected', reason: 'bad_signature' }, 'webhook rejected');
        throw new HttpError(401, 'invalid_signature', reasons.bad_signature);
      }
      if (jsonError) throw new HttpError(400, 'invalid_json', 'The webhook body is not valid JSON.');
      const webhookId = headers.id!;
      const parsed = payloadSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(422, 'invalid_payload', `${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      const { data, type } = parsed.data;
      const result = await db.transaction((tx) =>
        storeTranscript(tx, {
          webhookId,
          eventType: type ?? null,
          projectId,
          externalId: data.meeting_id == null ? null : String(data.meeting_id),
          title: data.title ?? null,
          content: transcriptText(data.transcript),
          meetingAt: data.meeting_at ?? null,
        }),
      );
      if (!result.stored) {
        req.log.info({ event: 'webhook_duplicate', webhook_id: webhookId }, 'webhook already received');
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
