// lib/object-store against the S3 stand-in (test/standins/s3.ts): the client configuration every
// provider accepts (signed requests, no aws-chunked bodies), single and multipart uploads that retry a
// throttled part and abort on failure, downloads, paginated listing, the retention decision, and the
// one sentence each failure gets.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import { UserError } from '../../lib/errors.js';
import {
  deleteObject,
  downloadFile,
  expiredObjects,
  listObjects,
  normalizePrefix,
  type ObjectStore,
  objectStoreClient,
  objectStoreProblem,
  objectStoreSettings,
  parseS3Uri,
  uploadFile,
} from '../../lib/object-store.js';
import { S3StandIn } from '../standins/s3.js';

let dir: string;
let s3: S3StandIn;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'object-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  s3 = await new S3StandIn('/storage/v1/s3').start();
  s3.createBucket('backups');
});
afterEach(async () => {
  await s3.stop();
});

const store = (over: Partial<ObjectStore> = {}): ObjectStore => ({
  ...objectStoreSettings({
    bucket: 'backups',
    endpoint: s3.endpoint,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  }),
  ...over,
});

function file(bytes: number): { path: string; body: Buffer } {
  const body = randomBytes(bytes);
  const path = join(dir, `f-${randomBytes(4).toString('hex')}`);
  writeFileSync(path, body);
  return { path, body };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail('expected a failure');
}

describe('objectStoreSettings', () => {
  const credentials = { accessKeyId: 'AKIA1', secretAccessKey: 's' };
  test('a custom endpoint signs for region auto and goes path-style; AWS takes the region from the environment', () => {
    const r2 = objectStoreSettings({
      bucket: 'b',
      endpoint: 'https://acc.r2.cloudflarestorage.com/',
      credentials,
    });
    assert.deepEqual(
      [r2.endpoint, r2.region, r2.forcePathStyle],
      ['https://acc.r2.cloudflarestorage.com', 'auto', true],
    );
    const aws = objectStoreSettings({ bucket: 'b', credentials, env: { AWS_REGION: 'eu-west-3' } });
    assert.deepEqual([aws.endpoint, aws.region, aws.forcePathStyle], [undefined, 'eu-west-3', false]);
    assert.equal(objectStoreSettings({ bucket: 'b', credentials, env: {} }).region, 'us-east-1');
    const supabase = objectStoreSettings({
      bucket: 'b',
      endpoint: 'https://ref.supabase.co/storage/v1/s3',
      region: 'eu-central-1',
      forcePathStyle: true,
      credentials,
    });
    assert.equal(supabase.region, 'eu-central-1');
  });

  test('plain http only to this machine; a bucket given as a URL is refused', () => {
    assert.throws(
      () =>
        objectStoreSettings({
          bucket: 'b',
          endpoint: 'http://minio.internal:9000',
          credentials,
          endpointName: 'backup-s3-endpoint',
        }),
      (e: Error) =>
        e instanceof UserError &&
        /^backup-s3-endpoint is plain http:\/\/ to minio\.internal: use https:\/\//.test(e.message),
    );
    assert.doesNotThrow(() =>
      objectStoreSettings({ bucket: 'b', endpoint: 'http://127.0.0.1:9000', credentials }),
    );
    assert.throws(() => objectStoreSettings({ bucket: 's3://b/x', credentials }), /is not a bucket name/);
  });

  test('prefixes and s3:// URIs', () => {
    assert.equal(normalizePrefix('/decisionlog'), 'decisionlog/');
    assert.equal(normalizePrefix('a/b/'), 'a/b/');
    assert.equal(normalizePrefix(''), '');
    assert.deepEqual(parseS3Uri('s3://bk/decisionlog/x.dump.age'), {
      bucket: 'bk',
      key: 'decisionlog/x.dump.age',
    });
    assert.equal(parseS3Uri('/tmp/x.dump.age'), undefined);
  });
});

describe('uploads and downloads against the stand-in', () => {
  test('a small file is one signed PutObject under a base path, and downloads byte for byte', async () => {
    const client = objectStoreClient(store());
    const { path, body } = file(100_000);
    await uploadFile(client, { bucket: 'backups', key: 'decisionlog/a.dump.age', path });
    assert.deepEqual(s3.operations, ['PutObject']);
    const put = s3.calls('PUT', '/storage/v1/s3/backups/decisionlog/a.dump.age')[0];
    assert.ok(put, 'path-style under the base path');
    assert.equal(put.headers['x-amz-checksum-crc32'], undefined, 'no checksum the provider may reject');
    assert.deepEqual(s3.object('backups', 'decisionlog/a.dump.age')?.body, body);
    const out = join(dir, 'down');
    assert.deepEqual(
      await downloadFile(client, { bucket: 'backups', key: 'decisionlog/a.dump.age', path: out }),
      {
        bytes: body.length,
      },
    );
    assert.deepEqual(readFileSync(out), body);
  });

  test('a 20 MiB file goes multipart in 8 MiB parts; a throttled part (503 SlowDown) is retried', async () => {
    const client = objectStoreClient(store());
    const { path, body } = file(20 * 1024 * 1024);
    s3.failNext('UploadPart', 503, 'SlowDown', 'Please reduce your request rate.');
    await uploadFile(client, { bucket: 'backups', key: 'big.dump.age', path });
    assert.equal(s3.operations[0], 'CreateMultipartUpload');
    assert.equal(s3.operations.filter((o) => o === 'UploadPart').length, 4, '3 parts, one sent twice');
    assert.equal(s3.operations.at(-1), 'CompleteMultipartUpload');
    const sizes = s3.calls('PUT', /big\.dump\.age$/).map((r) => r.rawBody.length);
    assert.ok(Math.max(...sizes) <= 8 * 1024 * 1024, 'no part larger than partSize: memory stays bounded');
    assert.deepEqual(s3.object('backups', 'big.dump.age')?.body, body);
    assert.match(s3.object('backups', 'big.dump.age')?.etag ?? '', /-3"$/);
  });

  test('a part that fails for good aborts the multipart upload: no orphan parts, no object', async () => {
    const client = objectStoreClient(store({ maxAttempts: 1 }));
    const { path } = file(12 * 1024 * 1024);
    s3.failNext('UploadPart', 400, 'InvalidArgument', 'Part rejected.');
    const err = await failure(uploadFile(client, { bucket: 'backups', key: 'k.dump.age', path }));
    assert.match(
      objectStoreProblem(err, { store: store(), doing: 'upload the backup' }),
      /answered InvalidArgument \(HTTP 400\): Part rejected\.$/,
    );
    assert.ok(s3.operations.includes('AbortMultipartUpload'));
    assert.equal(s3.uploads.size, 0);
    assert.deepEqual(s3.keys('backups'), []);
  });

  test('the stand-in refuses a non-last part under 5 MiB (EntityTooSmall), as S3 does', async () => {
    const client = objectStoreClient(store());
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'backups', Key: 'x' }));
    const parts = [];
    for (const n of [1, 2]) {
      const { ETag } = await client.send(
        new UploadPartCommand({
          Bucket: 'backups',
          Key: 'x',
          UploadId,
          PartNumber: n,
          Body: randomBytes(1024),
        }),
      );
      parts.push({ PartNumber: n, ETag });
    }
    const err = await failure(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'backups',
          Key: 'x',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    assert.equal((err as Error).name, 'EntityTooSmall');
  });

  test('listing follows continuation tokens; deleting removes one object', async () => {
    for (const n of [1, 2, 3, 4, 5]) s3.put('backups', `p/${n}`, 'x');
    s3.put('backups', 'other/1', 'x');
    const client = objectStoreClient(store());
    const keys = [];
    for await (const o of listObjects(client, { bucket: 'backups', prefix: 'p/', pageSize: 2 }))
      keys.push(o.key);
    assert.deepEqual(keys, ['p/1', 'p/2', 'p/3', 'p/4', 'p/5']);
    assert.equal(s3.operations.filter((o) => o === 'ListObjectsV2').length, 3);
    await deleteObject(client, { bucket: 'backups', key: 'p/3' });
    assert.deepEqual(s3.keys('backups'), ['other/1', 'p/1', 'p/2', 'p/4', 'p/5']);
  });
});

describe('one sentence per failure', () => {
  const doing = 'upload the backup';
  test('a bucket that does not exist', async () => {
    const s = store({ bucket: 'nope' });
    const err = await failure(
      uploadFile(objectStoreClient(s), { bucket: 'nope', key: 'k', path: file(10).path }),
    );
    assert.equal(
      objectStoreProblem(err, { store: s, doing }),
      `Could not upload the backup: the bucket "nope" does not exist at ${new URL(s3.url).host}; create it, or correct the bucket name (and the endpoint).`,
    );
  });

  test('a wrong secret (SignatureDoesNotMatch) and an unknown key id (InvalidAccessKeyId)', async () => {
    for (const [credentials, code] of [
      [{ accessKeyId: s3.accessKeyId, secretAccessKey: 'wrong' }, 'SignatureDoesNotMatch'],
      [{ accessKeyId: 'AKIAOTHER', secretAccessKey: s3.secretAccessKey }, 'InvalidAccessKeyId'],
    ] as const) {
      const s = store({ credentials });
      const err = await failure(
        uploadFile(objectStoreClient(s), { bucket: 'backups', key: 'k', path: file(10).path }),
      );
      assert.match(
        objectStoreProblem(err, { store: s, doing }),
        new RegExp(
          `^Could not upload the backup: 127\\.0\\.0\\.1:\\d+ refused the credentials for bucket "backups" \\(${code}\\); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
        ),
      );
    }
    assert.deepEqual(s3.keys('backups'), []);
  });

  test('an endpoint nobody listens on', async () => {
    // Port 1: below the ephemeral range, so no stand-in of a test running beside this one can be
    // listening there (a port freed a moment ago can be).
    const port = 1;
    const s = store({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const err = await failure(
      uploadFile(objectStoreClient(s), { bucket: 'backups', key: 'k', path: file(10).path }),
    );
    assert.equal(
      objectStoreProblem(err, { store: s, doing }),
      `Could not upload the backup: 127.0.0.1:${port} could not be reached (ECONNREFUSED); check the endpoint's address and that this machine can reach it.`,
    );
  });

  test('a missing key on download', async () => {
    const err = await failure(
      downloadFile(objectStoreClient(store()), { bucket: 'backups', key: 'gone', path: join(dir, 'g') }),
    );
    assert.match(
      objectStoreProblem(err, { store: store(), doing: 'download the backup', key: 'gone' }),
      /^Could not download the backup: there is no object "gone" in bucket "backups" at 127\.0\.0\.1:\d+;/,
    );
  });
});

describe('expiredObjects', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const day = 86_400_000;
  const o = (key: string, daysAgo: number) => ({
    key,
    lastModified: new Date(now.getTime() - daysAgo * day),
    size: 1,
  });
  const isOurs = (k: string) => /^p\/db-.*\.dump\.age$/.test(k);
  test('only our objects older than the retention, never the one just written; 0 keeps all', () => {
    const objects = [
      o('p/db-old.dump.age', 8),
      o('p/db-new.dump.age', 6),
      o('p/notes.txt', 30),
      o('p/db-keep.dump.age', 9),
    ];
    assert.deepEqual(
      expiredObjects(objects, { retentionDays: 7, now, keep: 'p/db-keep.dump.age', isOurs }).map(
        (x) => x.key,
      ),
      ['p/db-old.dump.age'],
    );
    assert.deepEqual(expiredObjects(objects, { retentionDays: 0, now, keep: '', isOurs }), []);
    assert.deepEqual(
      expiredObjects([o('p/db-edge.dump.age', 7)], { retentionDays: 7, now, keep: '', isOurs }),
      [],
      'exactly at the limit is kept',
    );
  });
});
