// Every GraphQL document the action sends must validate against Railway's published schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, test } from 'vitest';
import { DOCUMENTS } from '../../../actions/railway-deploy/src/documents.js';
import { railwaySchema, railwaySchemaPath } from '../../standins/railway.js';

describe('railway-deploy GraphQL documents', () => {
  for (const [name, document] of Object.entries(DOCUMENTS)) {
    test(`${name} validates against Railway's schema`, () => {
      const errors = validate(railwaySchema(), parse(document)).map((e) => e.message);
      assert.deepEqual(
        errors,
        [],
        'a field Railway has but the extract lacks: run npm run update-contracts (RAILWAY_SCHEMA=…/schema.json)',
      );
    });
  }

  test('the extract records its source and hash, and carries no descriptions', () => {
    const json = JSON.parse(readFileSync(railwaySchemaPath, 'utf8')) as {
      source: { upstream: string; sha256: string };
      data: {
        __schema: {
          types: Array<{ description: string | null; fields?: Array<{ description: string | null }> }>;
        };
      };
    };
    assert.match(json.source.upstream, /railwayapp\/cli.*schema\.json/);
    assert.match(json.source.sha256, /^[0-9a-f]{64}$/);
    for (const t of json.data.__schema.types) {
      assert.equal(t.description, null);
      for (const f of t.fields ?? []) assert.equal(f.description, null);
    }
    // Only what we use: a small part of Railway's 600-odd types.
    assert.ok(json.data.__schema.types.length < 60, `${json.data.__schema.types.length} types`);
  });

  test('the check fails for a field or argument Railway lacks', () => {
    const broken = [
      DOCUMENTS.GET_DEPLOYMENT.replace('canRollback', 'canRollBack'),
      DOCUMENTS.BUILD_LOGS.replace('limit: $limit', 'limit: $limit, lines: 5'),
      DOCUMENTS.UPDATE_SERVICE_INSTANCE.replace(
        '$input: ServiceInstanceUpdateInput!',
        '$input: ServiceUpdateInput!',
      ),
    ];
    for (const doc of broken) assert.ok(validate(railwaySchema(), parse(doc)).length > 0, doc);
  });

  test('the serviceInstanceUpdate input the action builds fits ServiceInstanceUpdateInput', async () => {
    const { serviceInstanceInput } = await import('../../../actions/railway-deploy/src/config.js');
    const { coerceInputValue } = await import('graphql');
    const type = railwaySchema().getType('ServiceInstanceUpdateInput');
    assert.ok(type);
    const input = serviceInstanceInput({
      image: 'ghcr.io/acme/decisionlog:1',
      healthcheckPath: '/health',
      healthcheckTimeoutSeconds: 120,
      numReplicas: 2,
      restartPolicy: 'ON_FAILURE',
    });
    assert.deepEqual(input, {
      source: { image: 'ghcr.io/acme/decisionlog:1' },
      healthcheckPath: '/health',
      healthcheckTimeout: 120,
      numReplicas: 2,
      restartPolicyType: 'ON_FAILURE',
    });
    // Throws on a field the input type lacks or a value of the wrong type.
    coerceInputValue(input, type as Parameters<typeof coerceInputValue>[1]);
    assert.throws(() =>
      coerceInputValue({ ...input, replicas: 2 }, type as Parameters<typeof coerceInputValue>[1]),
    );
  });
});
