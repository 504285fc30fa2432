/**
 * Local equivalents of the few third-party actions our workflows use, matched by repository name
 * whatever the pinned SHA. Each does on this machine what the real action leaves behind for the
 * next step; any `with:` key they do not understand fails loudly.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { nodeBinary } from '../harness/run-action.js';
import { WorkflowError } from './expressions.js';

export interface ThirdPartyHost {
  workspace: string;
  where: string;
  repository: string;
  sha: string;
  checkout: (repository: string, ref: string) => string;
  artifacts: string;
  addPath: (dir: string) => void;
  log: (line: string) => void;
}

export interface ThirdPartyResult {
  ok: boolean;
  outputs: Record<string, string>;
  log: string;
}

type Equivalent = (withs: Record<string, string>, host: ThirdPartyHost) => ThirdPartyResult;

const known: Record<string, { keys: string[]; run: Equivalent }> = {
  'actions/checkout': {
    keys: ['ref', 'path', 'persist-credentials', 'repository', 'fetch-depth', 'token'],
    run: (w, host): ThirdPartyResult => {
      const repository = w.repository || host.repository;
      const ref = w.ref || host.sha;
      const source = host.checkout(repository, ref);
      const target = join(host.workspace, w.path ?? '');
      mkdirSync(target, { recursive: true });
      cpSync(source, target, {
        recursive: true,
        filter: (src) => !['node_modules', '.git', 'rehearsal-output'].includes(basename(src)),
      });
      return { ok: true, outputs: { ref, commit: ref }, log: `checked out ${repository}@${ref}` };
    },
  },
  'actions/setup-node': {
    keys: [
      'node-version',
      'node-version-file',
      'cache',
      'cache-dependency-path',
      'package-manager-cache',
      'registry-url',
    ],
    run: (w, host): ThirdPartyResult => {
      let version = w['node-version'] ?? '';
      if (!version && w['node-version-file'])
        version = readFileSync(join(host.workspace, w['node-version-file']), 'utf8').trim();
      const major = version.replace(/^v/, '').split('.')[0];
      if (major !== '24')
        throw new WorkflowError(
          `${host.where}: setup-node asks for Node "${version}"; only Node 24 is available here`,
        );
      host.addPath(dirname(nodeBinary()));
      return { ok: true, outputs: { 'node-version': `v${process.versions.node}` }, log: `node ${version}` };
    },
  },
  'actions/upload-artifact': {
    keys: ['name', 'path', 'retention-days', 'if-no-files-found', 'compression-level', 'overwrite'],
    run: (w, host): ThirdPartyResult => {
      const name = w.name || 'artifact';
      const paths = (w.path ?? '')
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      const files = paths
        .map((p) => (isAbsolute(p) ? p : join(host.workspace, p)))
        .filter((p) => existsSync(p));
      if (files.length === 0) {
        const mode = w['if-no-files-found'] || 'warn';
        if (mode === 'error')
          return { ok: false, outputs: {}, log: `No files were found with the provided path: ${w.path}` };
        return { ok: true, outputs: {}, log: `No files were found with the provided path: ${w.path}` };
      }
      const target = join(host.artifacts, name);
      if (existsSync(target))
        return { ok: false, outputs: {}, log: `an artifact named ${name} already exists` };
      mkdirSync(target, { recursive: true });
      for (const f of files) cpSync(f, join(target, basename(f)), { recursive: true });
      const count = readdirSync(target).length;
      return {
        ok: true,
        outputs: { 'artifact-id': name },
        log: `uploaded ${count} file(s) as ${name} (kept ${w['retention-days'] || 'the default'} days)`,
      };
    },
  },
  'actions/download-artifact': {
    keys: ['name', 'path'],
    run: (w, host): ThirdPartyResult => {
      const source = join(host.artifacts, w.name ?? '');
      if (!w.name || !existsSync(source) || !statSync(source).isDirectory())
        return { ok: false, outputs: {}, log: `Unable to find an artifact named ${w.name}` };
      const target = join(host.workspace, w.path ?? '');
      cpSync(source, target, { recursive: true });
      return { ok: true, outputs: { 'download-path': target }, log: `downloaded ${w.name}` };
    },
  },
};

/** The local equivalent of `owner/repo@ref`, or a loud failure naming it. */
export function thirdParty(ownerRepo: string, where: string): { keys: string[]; run: Equivalent } {
  const hit = known[ownerRepo.toLowerCase()];
  if (!hit)
    throw new WorkflowError(`${where}: \`uses: ${ownerRepo}\` has no local equivalent in this executor`);
  return hit;
}
