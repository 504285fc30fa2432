// Shared by scripts/contracts/*.mjs: reduces a vendor's OpenAPI document to the operations we call,
// keeping only what a stand-in checks (names, types, enums, required fields, lengths), with the
// source file, the vendor commit it came from and its SHA-256 recorded.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export const root = join(import.meta.dirname, '..');

/** Schema keywords kept; everything else (descriptions, examples, titles, x-*) is dropped. */
const KEEP = new Set([
  'type',
  'enum',
  'required',
  'properties',
  'items',
  'nullable',
  'format',
  'maxLength',
  'minLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'anyOf',
  'oneOf',
  'allOf',
  'additionalProperties',
]);

/** A schema with descriptions stripped and local `$ref`s (Swagger 2 `#/definitions/…`) inlined. */
export function slim(schema, doc, depth = 0) {
  if (Array.isArray(schema)) return schema.map((s) => slim(s, doc, depth));
  if (!schema || typeof schema !== 'object' || depth > 40) return schema;
  if (typeof schema.$ref === 'string') return slim(pointer(doc, schema.$ref), doc, depth + 1);
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, slim(v, doc, depth + 1)]),
      );
    } else if (key === 'enum' || key === 'required' || key === 'type' || typeof value !== 'object') {
      out[key] = value;
    } else out[key] = slim(value, doc, depth + 1);
  }
  return out;
}

function pointer(doc, ref) {
  let node = doc;
  for (const key of ref.replace(/^#\//, '').split('/'))
    node = node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!node) throw new Error(`$ref ${ref} points at nothing`);
  return node;
}

/**
 * The path of a vendor's full document, from the environment variable `envVar`: the document is
 * downloaded from `upstream` by whoever refreshes the extracts, never looked for beside the checkout.
 */
export function vendorDocument(envVar, what, upstream) {
  const path = process.env[envVar];
  if (!path || !existsSync(path)) {
    console.error(
      `${what} is ${path ? `not at ${path}` : 'not given'}: download ${upstream} and set ${envVar} to its path.`,
    );
    process.exit(1);
  }
  return path;
}

/** Reads the vendor document at `path` (see vendorDocument) with its SHA-256. */
export function readSource(path) {
  const text = readFileSync(path);
  return { doc: JSON.parse(text.toString('utf8')), sha256: createHash('sha256').update(text).digest('hex') };
}

/** The commit line of a SOURCE file beside the document, if there is one. */
export function sourceLine(dir) {
  const file = join(dir, 'SOURCE');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n')[0] : undefined;
}

export function writeExtract(file, extract) {
  const out = join(root, file);
  writeFileSync(out, `${JSON.stringify(extract, null, 1)}\n`);
  console.log(`wrote ${relative(root, out)} (${Object.keys(extract.paths).length} paths)`);
}

/** The document's file name: the same on every machine, whatever folder it was downloaded to. */
export function sourceName(path) {
  return basename(path);
}
