/**
 * The one JSON-schema checker the stand-ins use to hold requests and answers to a vendor's OpenAPI
 * contract. A subset, the keywords the GitHub, Sentry and Slack documents use on the operations we
 * call: type (string or list, OpenAPI 3.0 `nullable`), enum, required, properties,
 * additionalProperties, items, anyOf/oneOf/allOf, min/maxLength, minimum/maximum, minItems/maxItems,
 * format date-time and uri, and local `$ref`s (`#/components/…`) resolved against the whole document.
 */
export type Schema = Record<string, unknown>;

/** Where `$ref`s point into: the document the schema came from. */
export interface SchemaRoot {
  [key: string]: unknown;
}

export function resolveRef(root: SchemaRoot, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (!node || typeof node !== 'object') throw new Error(`$ref ${ref} points at nothing`);
  return node as Schema;
}

/**
 * Problems of `value` against `schema`, each "at <path>: <what>"; empty when it conforms.
 * `path` names the value in messages, e.g. "body" or "query.per_page".
 */
export function validate(
  schema: Schema | undefined,
  value: unknown,
  path = 'value',
  root: SchemaRoot = {},
): string[] {
  const errors: string[] = [];
  check(schema, value, path, root, errors, 0);
  return errors;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function check(
  schema: Schema | undefined,
  value: unknown,
  path: string,
  root: SchemaRoot,
  errors: string[],
  depth: number,
): void {
  if (!schema || depth > 60) return;
  if (typeof schema.$ref === 'string') {
    check(resolveRef(root, schema.$ref), value, path, root, errors, depth + 1);
    return;
  }
  if (value === null && schema.nullable === true) return;
  if (Array.isArray(schema.allOf)) {
    for (const s of schema.allOf as Schema[]) check(s, value, path, root, errors, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const fits = (options as Schema[]).some((s) => validate(s, value, path, root).length === 0);
    if (!fits) errors.push(`at ${path}: matches none of the ${key} alternatives`);
  }
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !(types as string[]).some((t) => typeMatches(t, actual))) {
    errors.push(`at ${path}: expected ${(types as string[]).join(' or ')}, got ${actual}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    errors.push(`at ${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') checkString(schema, value, path, errors);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) {
      errors.push(`at ${path}: ${value} is below the minimum ${schema.minimum}`);
    }
    if (typeof schema.maximum === 'number' && value > schema.maximum) {
      errors.push(`at ${path}: ${value} is above the maximum ${schema.maximum}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      errors.push(`at ${path}: ${value.length} items, at least ${schema.minItems} required`);
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      errors.push(`at ${path}: ${value.length} items, at most ${schema.maxItems} allowed`);
    }
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      value.forEach((item, i) => {
        check(schema.items as Schema, item, `${path}[${i}]`, root, errors, depth + 1);
      });
    }
  }
  if (actual === 'object') checkObject(schema, value as Record<string, unknown>, path, root, errors, depth);
}

function checkString(schema: Schema, value: string, path: string, errors: string[]): void {
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
    errors.push(`at ${path}: ${value.length} characters, at most ${schema.maxLength} allowed`);
  }
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) {
    errors.push(`at ${path}: ${value.length} characters, at least ${schema.minLength} required`);
  }
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
    errors.push(`at ${path}: ${JSON.stringify(value)} is not a date-time`);
  }
  if (schema.format === 'uri' && !URL.canParse(value)) {
    errors.push(`at ${path}: ${JSON.stringify(value)} is not a URI`);
  }
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  root: SchemaRoot,
  errors: string[],
  depth: number,
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!(name in value) || value[name] === undefined) errors.push(`at ${path}: "${name}" is required`);
  }
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const sub = properties[name];
    if (sub) check(sub, v, `${path}.${name}`, root, errors, depth + 1);
    else if (schema.additionalProperties === false) errors.push(`at ${path}: "${name}" is not allowed`);
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      check(schema.additionalProperties as Schema, v, `${path}.${name}`, root, errors, depth + 1);
    }
  }
}
