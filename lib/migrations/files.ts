import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isNoTransaction } from './sql.js';

/** A migration file as found on disk. */
export interface MigrationFile {
  version: number;
  /** The file name, e.g. 0002_add_users.sql. */
  name: string;
  path: string;
  sql: string;
  checksum: string;
  noTransaction: boolean;
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][\w.-]*)\.sql$/;

/** SHA-256 (hex) of the file with line endings normalised, so a CRLF checkout does not count as an edit. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n?/g, '\n')).digest('hex');
}

/** Version number of a migration file name, or undefined when it is not named NNNN_name.sql. */
export function versionOf(fileName: string): number | undefined {
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}

/** Reads every *.sql file of `dir`, sorted by version (numerically, so 10 comes after 9). */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UserError(
      code === 'ENOENT'
        ? `The migrations directory ${dir} does not exist: check the "dir" input (it is relative to the repository root) and that the repository is checked out.`
        : `The migrations directory ${dir} cannot be read (${code}): check its permissions.`,
    );
  }
  const files: MigrationFile[] = [];
  const byVersion = new Map<number, string>();
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.sql')).sort()) {
    const version = versionOf(name);
    if (version === undefined) {
      throw new UserError(
        `${join(dir, name)} is not named like a migration: rename it to NNNN_description.sql (for example 0007_add_index.sql) so its order is explicit.`,
      );
    }
    const clash = byVersion.get(version);
    if (clash) {
      throw new UserError(
        `${clash} and ${name} both have version ${version}: give one of them the next free number so the order is unambiguous.`,
      );
    }
    byVersion.set(version, name);
    const path = join(dir, name);
    const sql = await readFile(path, 'utf8');
    files.push({ version, name, path, sql, checksum: checksumOf(sql), noTransaction: isNoTransaction(sql) });
  }
  return files.sort((a, b) => a.version - b.version);
}
