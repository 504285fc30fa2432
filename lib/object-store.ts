/**
 * S3-compatible object storage (AWS S3, Cloudflare R2, Supabase Storage, MinIO) for backups: one
 * client configuration that all of them accept, a streaming upload whose memory stays at
 * partSize × queueSize whatever the file's size, a download to a file, a paginated listing, and the
 * one sentence each failure deserves. Used by the migrate action (upload, retention) and the CLI
 * (`restore --file s3://…`).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { UserError } from './errors.js';
import { checkUrl, isLoopbackName } from './inputs.js';

/** Where the objects live and who we are there. */
export interface ObjectStore {
  bucket: string;
  /** An S3-compatible endpoint (R2, Supabase Storage, MinIO); undefined means AWS S3. */
  endpoint?: string | undefined;
  region: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (Supabase Storage needs it). */
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  /** Attempts per request, the first included (the SDK's own retry with backoff). */
  maxAttempts?: number;
}

/** Socket timeouts per request: connecting, and the longest silence while a request is under way. */
export const OBJECT_STORE_TIMEOUTS = { connectionTimeoutMs: 10_000, requestTimeoutMs: 60_000 };

/**
 * Multipart part size. lib-storage holds at most partSize × queueSize bytes in memory (32 MiB here);
 * S3 allows 10,000 parts, so one upload can reach 80 GB.
 */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
export const UPLOAD_QUEUE_SIZE = 4;

/** The store's settings from the values a user gives: region and path style defaulted per provider. */
export function objectStoreSettings(given: {
  bucket: string;
  endpoint?: string | undefined;
  region?: string | undefined;
  forcePathStyle?: boolean | undefined;
  credentials: ObjectStore['credentials'];
  env?: NodeJS.ProcessEnv;
  /** Names the inputs in error sentences, e.g. "backup-s3-endpoint" or "--s3-endpoint". */
  endpointName?: string;
}): ObjectStore {
  const env = given.env ?? process.env;
  const endpointName = given.endpointName ?? 'the endpoint';
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(given.bucket)) {
    throw new UserError(
      `"${given.bucket}" is not a bucket name: give the bucket's name only, without s3:// or slashes.`,
    );
  }
  let endpoint: string | undefined;
  if (given.endpoint) {
    endpoint = checkUrl(given.endpoint, endpointName).replace(/\/+$/, '');
    const url = new URL(endpoint);
    if (url.protocol === 'http:' && !isLoopbackName(url.hostname)) {
      throw new UserError(
        `${endpointName} is plain http:// to ${url.hostname}: use https:// (http is accepted only for a server on this machine, such as a local MinIO).`,
      );
    }
  }
  // R2 signs with "auto"; AWS needs the bucket's real region (configure-aws-credentials exports it).
  const region =
    given.region || (endpoint ? 'auto' : env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1');
  return {
    bucket: given.bucket,
    endpoint,
    region,
    forcePathStyle: given.forcePathStyle ?? endpoint !== undefined,
    credentials: given.credentials,
  };
}

/**
 * The credentials in the AWS SDK's environment variables (what aws-actions/configure-aws-credentials
 * exports, OIDC included); undefined when the pair is not set. Never the SDK's full provider chain:
 * on a runner that would probe the instance metadata endpoint and hang.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): ObjectStore['credentials'] | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined };
}

/** An S3 client every provider accepts. */
export function objectStoreClient(store: ObjectStore): S3Client {
  return new S3Client({
    region: store.region,
    ...(store.endpoint ? { endpoint: store.endpoint } : {}),
    forcePathStyle: store.forcePathStyle,
    credentials: store.credentials,
    // Newer SDKs add CRC32 checksums (aws-chunked bodies) to every upload; R2, Supabase Storage and
    // older MinIO reject them. Checksums only where the operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: store.maxAttempts ?? 4,
    requestHandler: {
      connectionTimeout: OBJECT_STORE_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: OBJECT_STORE_TIMEOUTS.requestTimeoutMs,
    },
  });
}

/** `s3://bucket/key` → its parts; undefined when `text` is not such a URL. */
export function parseS3Uri(text: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(text);
  return m ? { bucket: m[1] as string, key: m[2] as string } : undefined;
}

/**
 * The newest backup file (`*.dump.age` or `*.dump`) directly under `prefix` (not in sub-folders), by
 * last-modified time and then by name (ours carry a UTC timestamp); undefined when there is none.
 */
export async function newestBackup(
  client: S3Client,
  req: { bucket: string; prefix: string },
): Promise<StoredObject | undefined> {
  let newest: StoredObject | undefined;
  for await (const o of listObjects(client, req)) {
    const name = o.key.slice(req.prefix.length);
    if (name.includes('/') || !/\.dump(\.age)?$/.test(name)) continue;
    const later =
      !newest ||
      o.lastModified.getTime() > newest.lastModified.getTime() ||
      (o.lastModified.getTime() === newest.lastModified.getTime() && o.key > newest.key);
    if (later) newest = o;
  }
  return newest;
}

/** A key prefix as a folder: no leading slash, one trailing slash ('' stays '', the bucket's root). */
export function normalizePrefix(prefix: string): string {
  const p = prefix.trim().replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

/**
 * Uploads a file as it is read: one PutObject when it fits in a part, else a multipart upload whose
 * parts the SDK retries; a failed multipart upload is aborted so no orphan parts are billed.
 */
export async function uploadFile(
  client: S3Client,
  req: { bucket: string; key: string; path: string; contentType?: string; metadata?: Record<string, string> },
): Promise<{ etag: string | undefined }> {
  const upload = new Upload({
    client,
    params: {
      Bucket: req.bucket,
      Key: req.key,
      Body: createReadStream(req.path),
      ContentType: req.contentType ?? 'application/octet-stream',
      ...(req.metadata ? { Metadata: req.metadata } : {}),
    },
    partSize: UPLOAD_PART_BYTES,
    queueSize: UPLOAD_QUEUE_SIZE,
    leavePartsOnError: false,
  });
  const res = await upload.done();
  return { etag: res.ETag };
}

/** Downloads an object into `path` (created 0600), streamed. */
export async function downloadFile(
  client: S3Client,
  req: { bucket: string; key: string; path: string },
): Promise<{ bytes: number }> {
  const res = await client.send(new GetObjectCommand({ Bucket: req.bucket, Key: req.key }));
  let bytes = 0;
  const body = res.Body as Readable;
  body.on('data', (c: Buffer) => (bytes += c.length));
  await pipeline(body, createWriteStream(req.path, { mode: 0o600 }));
  return { bytes };
}

export interface StoredObject {
  key: string;
  lastModified: Date;
  size: number;
}

/** Every object under `prefix`, page by page (ListObjectsV2 with its continuation token). */
export async function* listObjects(
  client: S3Client,
  req: { bucket: string; prefix: string; pageSize?: number },
): AsyncGenerator<StoredObject> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: req.bucket,
        Prefix: req.prefix,
        ...(req.pageSize ? { MaxKeys: req.pageSize } : {}),
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key && o.LastModified) yield { key: o.Key, lastModified: o.LastModified, size: o.Size ?? 0 };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * Deletes objects one DeleteObject at a time: DeleteObjects needs a Content-MD5 or checksum header
 * that not every S3-compatible store accepts alike, and a backup prefix holds few objects.
 */
export async function deleteObject(client: S3Client, req: { bucket: string; key: string }): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: req.bucket, Key: req.key }));
}

/**
 * The objects a retention rule removes: ours (`isOurs`), last modified more than `retentionDays`
 * before `now`, never `keep` (the backup just written). `retentionDays` 0 keeps everything.
 */
export function expiredObjects(
  objects: readonly StoredObject[],
  rule: { retentionDays: number; now: Date; keep: string; isOurs: (key: string) => boolean },
): StoredObject[] {
  if (rule.retentionDays <= 0) return [];
  const cutoff = rule.now.getTime() - rule.retentionDays * 86_400_000;
  return objects.filter(
    (o) => o.key !== rule.keep && rule.isOurs(o.key) && o.lastModified.getTime() < cutoff,
  );
}

/** Where the store is, for sentences: the endpoint's host, or AWS S3 and the region. */
export function storeName(store: Pick<ObjectStore, 'endpoint' | 'region'>): string {
  return store.endpoint ? new URL(store.endpoint).host : `AWS S3 (${store.region})`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * One sentence for an object-store failure: a missing bucket or key, refused credentials, an
 * unreachable host, or what the store said. `doing` is the step, e.g. "upload the backup".
 */
export function objectStoreProblem(
  err: unknown,
  ctx: { store: Pick<ObjectStore, 'endpoint' | 'region' | 'bucket'>; doing: string; key?: string },
): string {
  const e = err as Partial<S3ServiceException> & { code?: string; Code?: string; message?: string };
  const where = storeName(ctx.store);
  const bucket = ctx.store.bucket;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'an error');
  const status = e.$metadata?.httpStatusCode;
  if (code === 'NoSuchBucket') {
    return `Could not ${ctx.doing}: the bucket "${bucket}" does not exist at ${where}; create it, or correct the bucket name (and the endpoint).`;
  }
  if (code === 'NoSuchKey' || (status === 404 && ctx.key)) {
    return `Could not ${ctx.doing}: there is no object "${ctx.key}" in bucket "${bucket}" at ${where}; list the bucket to find the backup's key.`;
  }
  if (
    status === 403 ||
    ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'].includes(
      code,
    )
  ) {
    return `Could not ${ctx.doing}: ${where} refused the credentials for bucket "${bucket}" (${code}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that the key may read, write, list and delete objects in that bucket.`;
  }
  const netCode = e.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if ((netCode && NETWORK_CODES.has(netCode)) || code === 'TimeoutError' || code === 'RequestTimeout') {
    return `Could not ${ctx.doing}: ${where} could not be reached (${netCode ?? code}); check the endpoint's address and that this machine can reach it.`;
  }
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
    return `Could not ${ctx.doing}: bucket "${bucket}" is not in region ${ctx.store.region} (${code}); set the bucket's region.`;
  }
  const said = (e.message ?? '').replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return `Could not ${ctx.doing}: ${where} answered ${code}${status ? ` (HTTP ${status})` : ''}${said && said !== code ? `: ${said}` : ''}.`;
}
