/**
 * Loading workflow and action files through GitHub's own parser and converter
 * (`@actions/workflow-parser`). The converted model carries the structure (job ids, `needs`, `if:`
 * wrapped in `success() && (…)` as GitHub does, steps); a few keys it does not keep (`with:`,
 * `shell:`, `defaults:`, `timeout-minutes:`) are read from the parsed tokens of the same file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { type ActionTemplate, convertActionTemplate } from '@actions/workflow-parser/actions/action-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { parseWorkflow } from '@actions/workflow-parser/workflows/workflow-parser';
import { at, WorkflowError } from './expressions.js';

export interface LoadedWorkflow {
  /** Path shown in messages (relative to its repository). */
  file: string;
  /** The repository folder the file belongs to: what `$/` and `./` in it resolve to. */
  repo: string;
  template: WorkflowTemplate;
  raw: MappingToken;
}

export interface LoadedAction {
  file: string;
  dir: string;
  template: ActionTemplate;
  raw: MappingToken;
}

/** Finds `key` in a mapping token. */
export function field(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  return token.find(key);
}

export function keysOf(token: TemplateToken | undefined): { key: string; token: TemplateToken }[] {
  if (!token || !isMapping(token)) return [];
  const out: { key: string; token: TemplateToken }[] = [];
  for (const pair of token) out.push({ key: pair.key.assertString('key').value, token: pair.key });
  return out;
}

export function items(token: TemplateToken | undefined): TemplateToken[] {
  if (!token || !isSequence(token)) return [];
  const out: TemplateToken[] = [];
  for (const item of token) out.push(item);
  return out;
}

/** Resolves `owner/repo/...@ref` and `owner/repo@ref` to a local folder, or fails loudly. */
export function repositoryFolder(
  repositories: Record<string, string>,
  owner: string,
  repo: string,
  where: string,
): string {
  const folder = repositories[`${owner}/${repo}`.toLowerCase()];
  if (!folder)
    throw new WorkflowError(
      `${where}: ${owner}/${repo} is not a repository this executor knows (give it in \`repositories\`)`,
    );
  return folder;
}

export async function loadWorkflow(
  path: string,
  repo: string,
  repositories: Record<string, string>,
): Promise<LoadedWorkflow> {
  const file = relative(repo, path) || path;
  if (!existsSync(path)) throw new WorkflowError(`${file}: no such workflow file`);
  const parsed = parseWorkflow(
    { name: file, content: readFileSync(path, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const parseErrors = parsed.context.errors.getErrors();
  if (parseErrors.length > 0 || !parsed.value)
    throw new WorkflowError(`${file}: ${parseErrors.map((e) => e.message).join('; ')}`);
  // Reusable workflows are fetched one level deep so GitHub's converter checks `with:`/`secrets:`
  // against what the called file declares; deeper levels are loaded when their job runs.
  const provider = {
    getFileContent: async (ref: FileReference) => {
      let folder = repo;
      if ('repository' in ref) folder = repositoryFolder(repositories, ref.owner, ref.repository, file);
      const target = join(folder, ref.path);
      return { name: relative(folder, target), content: readFileSync(target, 'utf8') };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, provider, {
    fetchReusableWorkflowDepth: 1,
  });
  if (template.errors?.length)
    throw new WorkflowError(`${file}: ${template.errors.map((e) => e.Message).join('; ')}`);
  return { file, repo, template, raw: parsed.value.assertMapping('root') };
}

export function loadAction(dir: string, display: string): LoadedAction {
  const path = existsSync(join(dir, 'action.yml')) ? join(dir, 'action.yml') : join(dir, 'action.yaml');
  if (!existsSync(path)) throw new WorkflowError(`${display}: no action.yml in ${dir}`);
  const file = `${display}/action.yml`;
  const parsed = parseAction(
    { name: file, content: readFileSync(path, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value)
    throw new WorkflowError(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  const template = convertActionTemplate(parsed.context, parsed.value);
  return { file, dir, template, raw: parsed.value.assertMapping('root') };
}

/** Fails loudly on any key the executor does not implement. */
export function onlyKeys(
  token: TemplateToken | undefined,
  allowed: readonly string[],
  what: string,
  file: string,
): void {
  for (const { key, token: keyToken } of keysOf(token)) {
    if (!allowed.includes(key))
      throw new WorkflowError(`${at(file, keyToken)}: ${what} \`${key}:\` is not supported by this executor`);
  }
}
