#!/usr/bin/env node
// Slack's Web API contract for the methods we call, from slackapi/slack-api-specs (Swagger 2,
// downloaded to the path in SLACK_OPENAPI), plus the Block Kit limits, which Slack documents only in
// prose (https://api.slack.com/reference/block-kit).
import { dirname } from 'node:path';
import {
  readSource,
  slim,
  sourceLine,
  sourceName,
  vendorDocument,
  writeExtract,
} from '../contract-extract.mjs';

const path = vendorDocument(
  'SLACK_OPENAPI',
  "Slack's Web API OpenAPI document",
  'https://github.com/slackapi/slack-api-specs/blob/master/web-api/slack_web_openapi_v2.json',
);
const { doc, sha256 } = readSource(path);

const METHODS = ['/chat.postMessage', '/chat.update', '/conversations.history'];
/** Form fields Slack documents as "a JSON-based array … presented as a URL-encoded string": a JSON body sends the array. */
const JSON_ENCODED = new Set(['blocks', 'attachments']);

const paths = {};
for (const p of METHODS) {
  const [method, op] = Object.entries(doc.paths[p] ?? {})[0] ?? [];
  if (!op) throw new Error(`Slack's document has no ${p}`);
  const params = op.parameters ?? [];
  const fields = params.filter((q) => q.in === 'formData');
  const typed = (q) =>
    JSON_ENCODED.has(q.name) ? { type: ['string', 'array'] } : slim({ type: q.type }, doc);
  paths[p] = {
    [method]: {
      operationId: p.slice(1),
      scopes: op.security?.flatMap((s) => Object.values(s).flat()) ?? [],
      consumes: op.consumes ?? [],
      parameters: params
        .filter((q) => q.in === 'query')
        .filter((q) => q.name !== 'token')
        .map((q) => ({
          name: q.name,
          in: 'query',
          required: Boolean(q.required),
          schema: slim({ type: q.type }, doc),
        })),
      ...(fields.length
        ? {
            requestBody: {
              required: true,
              schema: {
                type: 'object',
                required: fields.filter((q) => q.required).map((q) => q.name),
                properties: Object.fromEntries(fields.map((q) => [q.name, typed(q)])),
                additionalProperties: false,
              },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses ?? {}).map(([s, r]) => [s, slim(r.schema, doc) ?? null]),
      ),
    },
  };
}

writeExtract('test/contracts/slack.json', {
  vendor: 'Slack',
  source: sourceName(path),
  commit: sourceLine(dirname(path)),
  sha256,
  auth: 'bearer',
  blockKit: { maxBlocks: 50, sectionText: 3000, sectionFields: 10, fieldText: 2000, headerText: 150 },
  paths,
});
