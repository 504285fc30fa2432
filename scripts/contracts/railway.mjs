#!/usr/bin/env node
// Writes test/contracts/railway/schema.json: the part of Railway's GraphQL schema our documents use
// (the types, fields, arguments and enums they reach; every input type in full; descriptions
// stripped), so the Railway stand-in and the document tests validate against Railway's real contract
// on a fresh clone with no ../shared folder. Source: $RAILWAY_SCHEMA, else ../shared/railway/schema.json
// (the introspection result shipped in railwayapp/cli src/gql/schema.json).
//   node scripts/contracts/railway.mjs          (or: npm run update-contracts)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildClientSchema,
  getNamedType,
  isInputObjectType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test', 'contracts', 'railway', 'schema.json');
/** Where the full document comes from upstream; update it together with the file you extract from. */
const UPSTREAM =
  process.env.RAILWAY_SCHEMA_UPSTREAM ??
  'https://github.com/railwayapp/cli/blob/df3838bf/src/gql/schema.json (commit df3838bf, 2026-08-21)';

const sourcePath = process.env.RAILWAY_SCHEMA ?? join(root, '..', 'shared', 'railway', 'schema.json');
if (!existsSync(sourcePath)) {
  console.error(
    `Railway's schema.json is not at ${sourcePath}: download ${UPSTREAM.split(' ')[0]} and set RAILWAY_SCHEMA to its path.`,
  );
  process.exit(1);
}
const raw = readFileSync(sourcePath);
const full = JSON.parse(raw.toString('utf8'));
const schema = buildClientSchema(full.data);

const { DOCUMENTS } = await tsImport('../../actions/railway-deploy/src/documents.ts', import.meta.url);

/** type name → field names used (object types only); `true` keeps every field (inputs, enums). */
const keep = new Map();
const keepWhole = (type) => {
  const named = getNamedType(type);
  if (keep.get(named.name) === true) return;
  keep.set(named.name, true);
  if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) keepWhole(f.type);
};
const keepField = (parent, field) => {
  const fields = keep.get(parent.name);
  if (fields === true) return;
  keep.set(parent.name, (fields ?? new Set()).add(field.name));
  const named = getNamedType(field.type);
  if (!keep.has(named.name)) keep.set(named.name, named.getFields ? new Set() : true);
  for (const arg of field.args) keepWhole(arg.type);
};

for (const [name, document] of Object.entries(DOCUMENTS)) {
  const ast = parse(document);
  const errors = validate(schema, ast);
  if (errors.length) {
    console.error(
      `${name} does not validate against ${sourcePath}: ${errors.map((e) => e.message).join('; ')}`,
    );
    process.exit(1);
  }
  const info = new TypeInfo(schema);
  visit(
    ast,
    visitWithTypeInfo(info, {
      Field() {
        const parent = info.getParentType();
        const def = info.getFieldDef();
        if (parent && def) keepField(parent, def);
      },
      VariableDefinition(node) {
        keepWhole(schema.getType(namedTypeName(node.type)));
      },
    }),
  );
}
for (const root of [schema.getQueryType(), schema.getMutationType()])
  if (root) keep.set(root.name, keep.get(root.name) ?? new Set());
for (const builtin of ['String', 'Boolean', 'Int', 'ID', 'Float']) keep.set(builtin, true);

function namedTypeName(node) {
  return node.kind === 'NamedType' ? node.name.value : namedTypeName(node.type);
}

const strip = (o) => ({ ...o, description: null });
const types = full.data.__schema.types
  .filter((t) => keep.has(t.name))
  .map((t) => {
    const fields = keep.get(t.name);
    const picked = {
      ...strip(t),
      fields: t.fields
        ? t.fields
            .filter((f) => fields === true || fields.has(f.name))
            .map((f) => ({ ...strip(f), args: f.args.map(strip) }))
        : t.fields,
      inputFields: t.inputFields ? t.inputFields.map(strip) : t.inputFields,
      enumValues: t.enumValues ? t.enumValues.map(strip) : t.enumValues,
      interfaces: t.interfaces ? t.interfaces.filter((i) => keep.has(i.name)) : t.interfaces,
      possibleTypes: t.possibleTypes ? t.possibleTypes.filter((p) => keep.has(p.name)) : t.possibleTypes,
    };
    if ('specifiedByURL' in picked) picked.specifiedByURL = null;
    return picked;
  });
const directives = full.data.__schema.directives
  .filter((d) => ['include', 'skip', 'deprecated', 'specifiedBy', 'oneOf'].includes(d.name))
  .map((d) => ({ ...strip(d), args: d.args.map(strip) }));

const extract = {
  source: {
    upstream: UPSTREAM,
    extractedFrom: sourcePath.endsWith(join('shared', 'railway', 'schema.json'))
      ? '../shared/railway/schema.json'
      : basename(sourcePath),
    sha256: createHash('sha256').update(raw).digest('hex'),
    documents: 'actions/railway-deploy/src/documents.ts',
    note: 'Generated by scripts/contracts/railway.mjs (npm run update-contracts); do not edit by hand.',
  },
  data: {
    __schema: {
      ...full.data.__schema,
      description: null,
      subscriptionType: null,
      types,
      directives,
    },
  },
};
// The extract must itself be a schema our documents validate against.
const small = buildClientSchema(extract.data);
for (const [name, document] of Object.entries(DOCUMENTS)) {
  const errors = validate(small, parse(document));
  if (errors.length) {
    console.error(
      `${name} does not validate against the extract: ${errors.map((e) => e.message).join('; ')}`,
    );
    process.exit(1);
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(extract, null, 1)}\n`);
console.log(
  `railway: ${relative(root, out)} — ${types.length} of ${full.data.__schema.types.length} types, ${Object.keys(DOCUMENTS).length} documents (sha256 ${extract.source.sha256.slice(0, 12)} of ${sourcePath})`,
);
