/**
 * A vendor's contract for the stand-ins: which operations exist (method + path template), their
 * path/query parameters, request body and response schemas, all checked with the one validator in
 * validate.ts. Built from GitHub's full OpenAPI document (npm `@octokit/openapi`) or from the
 * extracts `npm run update-contracts` writes for Sentry and Slack (test/contracts/*.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RecordedRequest } from '../standins/server.js';
import { resolveRef, type Schema, type SchemaRoot, validate } from './validate.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}

export interface Operation {
  operationId?: string;
  deprecated?: boolean;
  parameters?: Parameter[];
  /** Extract form: `{ required, schema }`; OpenAPI form: `{ required, content: {'application/json': {schema}} }`. */
  requestBody?: {
    required?: boolean;
    schema?: Schema;
    content?: Record<string, { schema?: Schema }>;
    $ref?: string;
  };
  /** Extract form: status → schema; OpenAPI form: status → `{ content: … }`. */
  responses?: Record<string, unknown>;
}

export interface Matched {
  template: string;
  operation: Operation;
  params: Record<string, string>;
}

interface Compiled {
  template: string;
  pattern: RegExp;
  keys: string[];
  literals: number;
  methods: Record<string, Operation>;
}

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head']);

export class OpenApiContract {
  readonly #paths: Compiled[];

  constructor(
    readonly vendor: string,
    private readonly doc: SchemaRoot & { paths: Record<string, Record<string, unknown>> },
  ) {
    this.#paths = Object.entries(doc.paths).map(([template, item]) => {
      const keys: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      });
      const methods: Record<string, Operation> = {};
      for (const [m, op] of Object.entries(item)) if (METHODS.has(m)) methods[m] = op as Operation;
      return {
        template,
        pattern: new RegExp(`^${source}$`),
        keys,
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        methods,
      };
    });
    // The most specific template wins (`/issues/comments/{id}` over `/issues/{number}`).
    this.#paths.sort((a, b) => b.literals - a.literals);
  }

  /** The documented operation for `method path`, or undefined when the vendor has none. */
  match(method: string, path: string): Matched | undefined {
    for (const p of this.#paths) {
      const m = p.pattern.exec(path);
      const operation = m && p.methods[method.toLowerCase()];
      if (!m || !operation) continue;
      const params = Object.fromEntries(p.keys.map((k, i) => [k, decodeURIComponent(m[i + 1] ?? '')]));
      return { template: p.template, operation, params };
    }
    return undefined;
  }

  /** Everything about the request the vendor's contract does not allow; empty when it conforms. */
  checkRequest(req: RecordedRequest, path = req.path): string[] {
    const where = `${req.method} ${path}`;
    const matched = this.match(req.method, path);
    if (!matched) return [`${where}: ${this.vendor} documents no such operation`];
    const { operation, params } = matched;
    if (operation.deprecated) return [`${where}: ${this.vendor} marks ${operation.operationId} deprecated`];
    const problems: string[] = [];
    const declared = (operation.parameters ?? []).map((p) =>
      p.$ref ? (resolveRef(this.doc, p.$ref) as unknown as Parameter) : p,
    );
    for (const p of declared.filter((d) => d.in === 'path')) {
      problems.push(
        ...validate(p.schema, coerce(p.schema, params[p.name] ?? ''), `path.${p.name}`, this.doc),
      );
    }
    const query = declared.filter((d) => d.in === 'query');
    for (const name of new Set(req.query.keys())) {
      const p = query.find((q) => q.name === name);
      if (!p) {
        problems.push(`query "${name}" is not a parameter of ${matched.template}`);
        continue;
      }
      const schema = this.#deref(p.schema);
      const values = req.query.getAll(name);
      const value =
        schema?.type === 'array'
          ? values.map((v) => coerce(this.#deref(schema.items as Schema), v))
          : coerce(schema, values.at(-1) ?? '');
      problems.push(...validate(p.schema, value, `query.${name}`, this.doc));
    }
    for (const p of query)
      if (p.required && !req.query.has(p.name)) problems.push(`query "${p.name}" is required`);
    const body = this.#requestBody(operation);
    if (body) {
      const hasBody = req.body.trim() !== '';
      if (!hasBody && body.required) problems.push('a JSON request body is required');
      if (hasBody) {
        const type = String(req.headers['content-type'] ?? '');
        if (!/^application\/json\b/i.test(type))
          problems.push(`content-type "${type}" is not application/json`);
        else if (req.json === undefined) problems.push('the request body is not valid JSON');
        else problems.push(...validate(body.schema, req.json, 'body', this.doc));
      }
    } else if (req.body.trim() !== '' && req.method !== 'GET') {
      problems.push(`${matched.template} takes no request body`);
    }
    return problems.map((p) => (p.startsWith(where) ? p : `${where}: ${p}`));
  }

  /** Problems of a stand-in's own answer against the documented response for that status. */
  checkResponse(method: string, path: string, status: number, json: unknown): string[] {
    const matched = this.match(method, path);
    if (!matched || json === undefined) return [];
    const responses = matched.operation.responses ?? {};
    const entry = responses[String(status)] ?? (status >= 400 ? responses.default : undefined);
    const schema = this.#responseSchema(entry);
    if (!schema) return [];
    return validate(schema, json, `answer ${status}`, this.doc).map((p) => `${method} ${path}: ${p}`);
  }

  #deref(schema: Schema | undefined): Schema | undefined {
    return schema && typeof schema.$ref === 'string'
      ? this.#deref(resolveRef(this.doc, schema.$ref))
      : schema;
  }

  #requestBody(op: Operation): { required: boolean; schema: Schema | undefined } | undefined {
    let body = op.requestBody;
    if (!body) return undefined;
    if (body.$ref) body = resolveRef(this.doc, body.$ref) as Operation['requestBody'];
    return {
      required: Boolean(body?.required),
      schema: body?.schema ?? body?.content?.['application/json']?.schema,
    };
  }

  #responseSchema(entry: unknown): Schema | undefined {
    if (!entry || typeof entry !== 'object') return undefined;
    let e = entry as Schema;
    if (typeof e.$ref === 'string') e = resolveRef(this.doc, e.$ref);
    const content = e.content as Record<string, { schema?: Schema }> | undefined;
    if (content) return content['application/json']?.schema;
    // Extract form: the entry is the schema itself (an OpenAPI response without content has none).
    return 'description' in e && Object.keys(e).length === 1 ? undefined : e;
  }
}

/** Path and query values arrive as text: read them as the type the schema asks for. */
function coerce(schema: Schema | undefined, value: string): unknown {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

const root = join(import.meta.dirname, '..', '..');
const cache = new Map<string, OpenApiContract>();

/**
 * GitHub's REST contract: the official description in the npm package `@octokit/openapi`
 * (a devDependency), read once per test process.
 */
export function githubContract(): OpenApiContract {
  const cached = cache.get('github');
  if (cached) return cached;
  let file: string;
  try {
    file = createRequire(join(root, 'package.json')).resolve(
      '@octokit/openapi/generated/api.github.com.json',
    );
  } catch {
    throw new Error(
      "GitHub's REST contract (the npm package @octokit/openapi) is not installed: run `npm ci`.",
    );
  }
  const contract = new OpenApiContract('GitHub', JSON.parse(readFileSync(file, 'utf8')));
  cache.set('github', contract);
  return contract;
}

/** The extract of a vendor's contract committed under test/contracts/ (`sentry` or `slack`). */
export function extractContract(name: 'sentry' | 'slack'): OpenApiContract & { extract: Extract } {
  const file = join(root, 'test', 'contracts', `${name}.json`);
  if (!existsSync(file)) {
    throw new Error(
      `The ${name} contract extract test/contracts/${name}.json is missing: run \`npm run update-contracts\` with SENTRY_OPENAPI and SLACK_OPENAPI set to the vendors' downloaded documents.`,
    );
  }
  const extract = JSON.parse(readFileSync(file, 'utf8')) as Extract;
  const contract = Object.assign(new OpenApiContract(extract.vendor, extract as never), { extract });
  return contract;
}

export interface Extract {
  vendor: string;
  source: string;
  commit?: string;
  sha256: string;
  auth: string;
  blockKit?: {
    maxBlocks: number;
    sectionText: number;
    sectionFields: number;
    fieldText: number;
    headerText: number;
  };
  paths: Record<string, Record<string, Operation>>;
}
