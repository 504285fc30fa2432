/**
 * A local S3-compatible object store, path-style (`<base>/<bucket>/<key>`, as Supabase Storage and a
 * custom-endpoint R2 client use it), holding objects in memory. It follows the Amazon S3 API Reference:
 *   PutObject                https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 *   CreateMultipartUpload    https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 *   UploadPart               https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 *   CompleteMultipartUpload  https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 *                            (EntityTooSmall: every part but the last must be at least 5 MiB)
 *   AbortMultipartUpload     https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 *   GetObject / HeadObject   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, API_HeadObject.html
 *   ListObjectsV2            https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 *   DeleteObject(s)          https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html, API_DeleteObjects.html
 *                            (DeleteObjects requires Content-MD5 or an x-amz-checksum-* header)
 *   Error bodies and codes   https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 *   Request signatures       https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * Every request must carry a valid Signature Version 4 Authorization header for the one key pair it
 * knows (no header: AccessDenied; another key id: InvalidAccessKeyId; wrong secret:
 * SignatureDoesNotMatch). Tests inject failures per operation with `failNext`.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type RecordedRequest, type Reply, StandIn } from './server.js';

export interface S3Object {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
}

interface MultipartUpload {
  bucket: string;
  key: string;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

export type S3Operation =
  | 'PutObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'GetObject'
  | 'HeadObject'
  | 'ListObjectsV2'
  | 'DeleteObject'
  | 'DeleteObjects';

const MIN_PART_BYTES = 5 * 1024 * 1024;
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
const uriEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class S3StandIn extends StandIn {
  readonly accessKeyId = 'AKIASTANDIN0000000001';
  readonly secretAccessKey = `standin-secret-${randomBytes(8).toString('hex')}`;
  readonly buckets = new Map<string, Map<string, S3Object>>();
  readonly uploads = new Map<string, MultipartUpload>();
  /** Every operation served (failed ones too), in order. */
  readonly operations: S3Operation[] = [];
  readonly #failures: { op: S3Operation; reply: Reply }[] = [];

  /** `basePath` is where the API is mounted, e.g. Supabase Storage's `/storage/v1/s3`. */
  constructor(readonly basePath = '') {
    super();
    for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) {
      this.route(method, `${basePath}/:bucket`, (req, p) => this.#serve(req, p.bucket as string, undefined));
      this.route(method, `${basePath}/:bucket/*key`, (req, p) =>
        this.#serve(req, p.bucket as string, p.key as string),
      );
    }
  }

  /** The endpoint a client is given (with the base path). */
  get endpoint(): string {
    return `${this.url}${this.basePath}`;
  }

  createBucket(name: string): this {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
    return this;
  }

  /** Stores an object directly, e.g. an old backup with a LastModified days ago. */
  put(bucket: string, key: string, body: Buffer | string, lastModified = new Date()): void {
    const b = Buffer.from(body);
    this.createBucket(bucket)
      .buckets.get(bucket)!
      .set(key, {
        body: b,
        etag: md5(b),
        lastModified,
        contentType: 'application/octet-stream',
      });
  }

  object(bucket: string, key: string): S3Object | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  /** The next request for `op` gets this S3 error instead (e.g. 503 SlowDown on the first UploadPart). */
  failNext(op: S3Operation, status: number, code: string, message = code): void {
    this.#failures.push({ op, reply: this.#error(status, code, message) });
  }

  #error(status: number, code: string, message: string, extra: Record<string, string> = {}): Reply {
    const fields = Object.entries(extra)
      .map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
      .join('');
    return {
      status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': randomBytes(8).toString('hex') },
      text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message>${fields}<RequestId>${randomBytes(8).toString('hex')}</RequestId></Error>`,
    };
  }

  #xml(body: string, status = 200): Reply {
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      text: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
    };
  }

  /** SigV4 header authentication: the one key pair this store knows. */
  protected override checkRequest(req: RecordedRequest): Reply | undefined {
    const auth = String(req.headers.authorization ?? '');
    if (!auth) return this.#error(403, 'AccessDenied', 'Access Denied');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return this.#error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    const [, keyId, date, region, signedHeaders, signature] = m as unknown as string[];
    if (keyId !== this.accessKeyId) {
      return this.#error(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        { AWSAccessKeyId: keyId as string },
      );
    }
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash.startsWith('STREAMING-') || /aws-chunked/.test(String(req.headers['content-encoding']))) {
      // Our client is configured so it never sends these (R2 and Supabase Storage reject them).
      this.violations.push(`${req.method} ${req.path}: aws-chunked body (${payloadHash})`);
    }
    if (/^[0-9a-f]{64}$/.test(payloadHash)) {
      if (createHash('sha256').update(req.rawBody).digest('hex') !== payloadHash) {
        return this.#error(
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
        );
      }
    } else if (payloadHash !== 'UNSIGNED-PAYLOAD' && !payloadHash.startsWith('STREAMING-')) {
      return this.#error(
        400,
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    }
    const query = [...req.query.entries()]
      .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const names = (signedHeaders as string).split(';');
    const headers = names
      .map(
        (n) =>
          `${n}:${String(req.headers[n] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const canonical = [req.method, req.path, query, headers, signedHeaders, payloadHash].join('\n');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n');
    let k: Buffer = createHmac('sha256', `AWS4${this.secretAccessKey}`)
      .update(date as string)
      .digest();
    for (const part of [region as string, 's3', 'aws4_request'])
      k = createHmac('sha256', k).update(part).digest();
    if (createHmac('sha256', k).update(toSign).digest('hex') !== signature) {
      return this.#error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    return undefined;
  }

  #operation(req: RecordedRequest, key: string | undefined): S3Operation | undefined {
    const q = req.query;
    if (key === undefined) {
      if (req.method === 'GET' && q.get('list-type') === '2') return 'ListObjectsV2';
      if (req.method === 'POST' && q.has('delete')) return 'DeleteObjects';
      return undefined;
    }
    if (req.method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
    if (req.method === 'PUT' && q.has('uploadId')) return 'UploadPart';
    if (req.method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
    if (req.method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
    if (req.method === 'PUT') return 'PutObject';
    if (req.method === 'GET') return 'GetObject';
    if (req.method === 'HEAD') return 'HeadObject';
    if (req.method === 'DELETE') return 'DeleteObject';
    return undefined;
  }

  #serve(req: RecordedRequest, bucketName: string, key: string | undefined): Reply {
    const op = this.#operation(req, key);
    if (!op)
      return this.#error(501, 'NotImplemented', `The stand-in does not implement ${req.method} ${req.path}`);
    this.operations.push(op);
    const i = this.#failures.findIndex((f) => f.op === op);
    if (i >= 0) return this.#failures.splice(i, 1)[0]!.reply;
    const bucket = this.buckets.get(bucketName);
    if (!bucket) {
      const r = this.#error(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: bucketName,
      });
      return op === 'HeadObject' ? { status: 404 } : r;
    }
    const k = key as string;
    switch (op) {
      case 'PutObject': {
        this.put(bucketName, k, req.rawBody);
        const o = bucket.get(k)!;
        o.contentType = String(req.headers['content-type'] ?? 'application/octet-stream');
        return { status: 200, headers: { etag: o.etag } };
      }
      case 'CreateMultipartUpload': {
        const id = randomBytes(12).toString('hex');
        this.uploads.set(id, {
          bucket: bucketName,
          key: k,
          contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
          parts: new Map(),
        });
        return this.#xml(
          `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${esc(bucketName)}</Bucket><Key>${esc(k)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      case 'UploadPart': {
        const upload = this.uploads.get(req.query.get('uploadId') ?? '');
        if (!upload) return this.#noSuchUpload();
        const n = Number(req.query.get('partNumber'));
        if (!Number.isInteger(n) || n < 1 || n > 10_000) {
          return this.#error(
            400,
            'InvalidArgument',
            'Part number must be an integer between 1 and 10000, inclusive',
          );
        }
        const etag = md5(req.rawBody);
        upload.parts.set(n, { body: req.rawBody, etag });
        return { status: 200, headers: { etag } };
      }
      case 'CompleteMultipartUpload': {
        const id = req.query.get('uploadId') ?? '';
        const upload = this.uploads.get(id);
        if (!upload) return this.#noSuchUpload();
        const listed = [...req.body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((p) => ({
          n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(p[1] as string)?.[1]),
          etag: (/<ETag>([^<]+)<\/ETag>/.exec(p[1] as string)?.[1] ?? '').replace(/&quot;/g, '"'),
        }));
        if (listed.length === 0) {
          return this.#error(
            400,
            'MalformedXML',
            'The XML you provided was not well-formed or did not validate against our published schema.',
          );
        }
        for (let j = 1; j < listed.length; j++) {
          if ((listed[j] as { n: number }).n <= (listed[j - 1] as { n: number }).n) {
            return this.#error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
          }
        }
        const bodies: Buffer[] = [];
        for (const [j, p] of listed.entries()) {
          const part = upload.parts.get(p.n);
          if (!part || part.etag !== p.etag) {
            return this.#error(400, 'InvalidPart', 'One or more of the specified parts could not be found.');
          }
          if (j < listed.length - 1 && part.body.length < MIN_PART_BYTES) {
            return this.#error(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed object size.',
            );
          }
          bodies.push(part.body);
        }
        const body = Buffer.concat(bodies);
        const digest = createHash('md5');
        for (const p of listed) digest.update(Buffer.from(upload.parts.get(p.n)!.etag.slice(1, -1), 'hex'));
        const etag = `"${digest.digest('hex')}-${listed.length}"`;
        bucket.set(upload.key, { body, etag, lastModified: new Date(), contentType: upload.contentType });
        this.uploads.delete(id);
        return this.#xml(
          `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>${esc(`${this.endpoint}/${bucketName}/${k}`)}</Location><Bucket>${esc(bucketName)}</Bucket><Key>${esc(k)}</Key><ETag>${esc(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      case 'AbortMultipartUpload': {
        if (!this.uploads.delete(req.query.get('uploadId') ?? '')) return this.#noSuchUpload();
        return { status: 204 };
      }
      case 'GetObject':
      case 'HeadObject': {
        const o = bucket.get(k);
        if (!o) {
          return op === 'HeadObject'
            ? { status: 404 }
            : this.#error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: k });
        }
        const headers = {
          'content-type': o.contentType,
          'content-length': String(o.body.length),
          etag: o.etag,
          'last-modified': o.lastModified.toUTCString(),
        };
        return op === 'HeadObject' ? { status: 200, headers } : { status: 200, headers, bytes: o.body };
      }
      case 'ListObjectsV2':
        return this.#list(req, bucketName, bucket);
      case 'DeleteObject':
        bucket.delete(k);
        return { status: 204 };
      case 'DeleteObjects': {
        if (
          !req.headers['content-md5'] &&
          !Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-'))
        ) {
          return this.#error(400, 'InvalidRequest', 'Missing required header for this request: Content-Md5');
        }
        const keys = [...req.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((x) => x[1] as string);
        for (const key of keys) bucket.delete(key);
        return this.#xml(
          `<DeleteResult xmlns="${XMLNS}">${keys.map((x) => `<Deleted><Key>${esc(x)}</Key></Deleted>`).join('')}</DeleteResult>`,
        );
      }
    }
  }

  #noSuchUpload(): Reply {
    return this.#error(
      404,
      'NoSuchUpload',
      'The specified multipart upload does not exist. The upload ID might not be valid, or the multipart upload might have been aborted or completed.',
    );
  }

  /** Keys in UTF-8 binary order; the continuation token is the last key returned, base64-encoded. */
  #list(req: RecordedRequest, name: string, bucket: Map<string, S3Object>): Reply {
    const prefix = req.query.get('prefix') ?? '';
    const maxKeys = Math.min(Number(req.query.get('max-keys') ?? 1000), 1000);
    const token = req.query.get('continuation-token');
    const after = token
      ? Buffer.from(token, 'base64').toString('utf8')
      : (req.query.get('start-after') ?? '');
    const all = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = all.slice(0, maxKeys);
    const truncated = all.length > page.length;
    const contents = page
      .map((k) => {
        const o = bucket.get(k)!;
        return `<Contents><Key>${esc(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? Buffer.from(page.at(-1) as string).toString('base64') : undefined;
    return this.#xml(
      `<ListBucketResult xmlns="${XMLNS}"><Name>${esc(name)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${esc(token)}</ContinuationToken>` : ''}${next ? `<NextContinuationToken>${esc(next)}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
    );
  }
}
