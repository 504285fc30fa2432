/**
 * GET /api/openapi.json: an OpenAPI 3 document generated from the same zod schemas that validate
 * requests and serialize answers, and service/README.md's API table lists exactly its routes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshDatabase, startApp, type TestDatabase, type TestService } from './helpers.js';

let database: TestDatabase;
let svc: TestService;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

beforeAll(async () => {
  database = await freshDatabase();
  svc = await startApp(database.url);
  const res = await svc.app.inject({ url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  doc = res.json() as typeof doc;
});
afterAll(async () => {
  await svc?.close();
  await database?.drop();
});

/** "GET /api/projects/{id}" for every operation in the document. */
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );

describe('the OpenAPI document', () => {
  test('is OpenAPI 3 with request and response schemas taken from the routes', () => {
    assert.match(doc.openapi, /^3\.0\./);
    const login = doc.paths['/api/auth/login']!.post as {
      requestBody: { content: Record<string, { schema: { required: string[] } }> };
      responses: Record<
        string,
        { content: Record<string, { schema: { properties: Record<string, unknown> } }> }
      >;
    };
    assert.deepEqual(login.requestBody.content['application/json']!.schema.required.sort(), [
      'email',
      'password',
    ]);
    assert.deepEqual(
      Object.keys(login.responses['200']!.content['application/json']!.schema.properties).sort(),
      ['access_token', 'expires_in', 'token_type'],
    );
    const decisions = doc.paths['/api/projects/{id}/decisions']!.get as {
      parameters: Array<{ in: string; name: string }>;
      responses: Record<
        string,
        {
          content: Record<
            string,
            {
              schema: {
                properties: Record<string, { items?: { properties: Record<string, { format?: string }> } }>;
              };
            }
          >;
        }
      >;
    };
    assert.deepEqual(
      decisions.parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
      ['cursor', 'limit', 'q', 'sort'],
    );
    const item = decisions.responses['200']!.content['application/json']!.schema.properties.items!.items!;
    assert.equal(item.properties.created_at!.format, 'date-time');
  });

  test("service/README.md's API table lists exactly the document's routes", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'service', 'README.md'), 'utf8');
    const api = readme.slice(readme.indexOf('\n## API'), readme.indexOf('\n### Webhook'));
    const documented = [...api.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^` ]+)`/gm)].map(
      (m) => `${m[1]} ${m[2]!.split('?')[0]!.replace(/:(\w+)/g, '{$1}')}`,
    );
    assert.ok(documented.length > 5, 'the table was found');
    assert.deepEqual([...documented].sort(), operations().sort());
  });
});
