/**
 * GitHub expressions, evaluated by GitHub's own engine (`@actions/expressions`). The status
 * functions are not built in: the runner supplies them, and so do we (see `StatusFunctions`).
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

/** What success()/failure()/cancelled() answer where the expression is evaluated (job or step). */
export interface StatusFunctions {
  success: () => boolean;
  failure: () => boolean;
  cancelled: () => boolean;
}

/** A plain JSON-like value; contexts are built from these. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
export type Contexts = Record<string, Plain>;

/** Something the executor cannot do or a workflow that is wrong: named construct, file and line. */
export class WorkflowError extends Error {
  override name = 'WorkflowError';
}

const STATUS_NAMES = ['success', 'failure', 'always', 'cancelled'] as const;

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluate(
  expr: string,
  contexts: Contexts,
  status?: StatusFunctions,
  where = '',
): data.ExpressionData {
  const names = Object.keys(contexts);
  const functions = new Map(
    STATUS_NAMES.map((name) => [
      name,
      {
        name,
        minArgs: 0,
        maxArgs: 0,
        call: (): data.ExpressionData => {
          if (!status) throw new WorkflowError(`${where}: ${name}() is not allowed here`);
          if (name === 'always') return new data.BooleanData(true);
          return new data.BooleanData(status[name]());
        },
      },
    ]),
  );
  try {
    const tokens = new Lexer(expr).lex().tokens;
    const ast = new Parser(tokens, names, status ? [...functions.values()] : []).parse();
    const context = new data.Dictionary(
      ...names.map((key) => ({ key, value: toData(contexts[key] ?? null) })),
    );
    return new Evaluator(ast, context, functions).evaluate();
  } catch (err) {
    if (err instanceof WorkflowError) throw err;
    throw new WorkflowError(`${where}: cannot evaluate \`${expr}\`: ${(err as Error).message}`);
  }
}

export function toData(value: Plain): data.ExpressionData {
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

export function toPlain(value: data.ExpressionData): Plain {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Plain;
}

export const isTruthy = (value: data.ExpressionData): boolean => truthy(value);

/** How the runner turns a value into a string (inputs, env, outputs): objects become JSON. */
export function toText(value: data.ExpressionData | Plain): string {
  const plain =
    value instanceof Object && 'kind' in (value as object) ? toPlain(value as data.ExpressionData) : value;
  if (plain === null || plain === undefined) return '';
  if (typeof plain === 'string') return plain;
  if (typeof plain === 'number' || typeof plain === 'boolean') return String(plain);
  return JSON.stringify(plain, null, 2);
}

/** Where a token came from, for error messages: `file:line`. */
export function at(file: string, token: TemplateToken | undefined): string {
  return token?.line !== undefined ? `${file}:${token.line}` : file;
}

/**
 * Evaluates a template token (a mapping of `with:` values, an `env:` block, a scalar with `${{ }}`)
 * into a plain value, as the runner does before handing it to a step.
 */
export function evaluateToken(
  token: TemplateToken,
  contexts: Contexts,
  file: string,
  status?: StatusFunctions,
): Plain {
  if (isBasicExpression(token)) return toPlain(evaluate(token.expression, contexts, status, at(file, token)));
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isMapping(token)) {
    const out: Record<string, Plain> = {};
    for (const pair of token) {
      const key = toText(evaluateToken(pair.key, contexts, file, status) as Plain);
      out[key] = evaluateToken(pair.value, contexts, file, status);
    }
    return out;
  }
  if (isSequence(token)) {
    const out: Plain[] = [];
    for (const item of token) out.push(evaluateToken(item, contexts, file, status));
    return out;
  }
  if (token.templateTokenType === 7 /* Null */) return null;
  throw new WorkflowError(`${at(file, token)}: unsupported template construct ${token.typeName()}`);
}

/** Evaluates a mapping token into name → string (inputs, env). */
export function evaluateStrings(
  token: TemplateToken | undefined,
  contexts: Contexts,
  file: string,
): Record<string, string> {
  if (!token) return {};
  const value = evaluateToken(token, contexts, file);
  if (value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new WorkflowError(`${at(file, token)}: expected a mapping`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toText(v)]));
}

/** `${{ }}` inside a plain string (action.yml defaults, `run:` in composite actions read as text). */
export function interpolate(
  text: string,
  contexts: Contexts,
  where: string,
  status?: StatusFunctions,
): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) =>
    toText(evaluate(expr.trim(), contexts, status, where)),
  );
}
