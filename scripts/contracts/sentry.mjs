#!/usr/bin/env node
// Sentry's contract for the operations we call, from getsentry/sentry-api-schema's dereferenced
// OpenAPI document, downloaded to the path in SENTRY_OPENAPI.
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
  'SENTRY_OPENAPI',
  "Sentry's OpenAPI document",
  'https://github.com/getsentry/sentry-api-schema/blob/main/openapi-derefed.json',
);
const { doc, sha256 } = readSource(path);

const ORG = '/api/0/organizations/{organization_id_or_slug}';
/** path → methods we call (the deprecated project issues endpoint is deliberately absent). */
const OPERATIONS = {
  [`${ORG}/issues/`]: ['get'],
  [`${ORG}/releases/`]: ['post'],
  [`${ORG}/releases/{version}/`]: ['get', 'put'],
  [`${ORG}/releases/{version}/deploys/`]: ['get', 'post'],
};

const paths = {};
for (const [p, methods] of Object.entries(OPERATIONS)) {
  paths[p] = {};
  for (const method of methods) {
    const op = doc.paths[p]?.[method];
    if (!op) throw new Error(`Sentry's document has no ${method.toUpperCase()} ${p}`);
    paths[p][method] = {
      operationId: op.operationId,
      scopes: op.security?.flatMap((s) => Object.values(s).flat()) ?? [],
      parameters: (op.parameters ?? []).map((q) => ({
        name: q.name,
        in: q.in,
        required: Boolean(q.required),
        schema: slim(q.schema, doc),
      })),
      ...(op.requestBody
        ? {
            requestBody: {
              required: Boolean(op.requestBody.required),
              schema: slim(op.requestBody.content?.['application/json']?.schema, doc),
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses ?? {}).map(([status, r]) => [
          status,
          slim(r.content?.['application/json']?.schema, doc) ?? null,
        ]),
      ),
    };
  }
}

writeExtract('test/contracts/sentry.json', {
  vendor: 'Sentry',
  source: sourceName(path),
  commit: sourceLine(dirname(path)),
  sha256,
  auth: 'bearer',
  paths,
});
