/**
 * PostgreSQL's parser (libpg-query 18: PostgreSQL 18's own grammar compiled to WebAssembly). The
 * WebAssembly travels inside the bundle (gzip + base64, pg-parser-wasm.ts, written by
 * scripts/embed-pg-parser.mjs): libpg-query's own entry point loads a .wasm file from beside itself
 * at import time, and ncc neither copies that file nor keeps it byte for byte.
 */
import { gunzipSync } from 'node:zlib';
// The emscripten factory (CommonJS) without libpg-query's eager wrapper.
import createModule from 'libpg-query/wasm/libpg-query.js';
import { WASM_GZIP_BASE64 } from './pg-parser-wasm.js';

interface EmscriptenModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_scan(ptr: number): number;
  _wasm_free_string(ptr: number): void;
  getValue(ptr: number, type: 'i32'): number;
  UTF8ToString(ptr: number): string;
  stringToUTF8(text: string, ptr: number, max: number): void;
  lengthBytesUTF8(text: string): number;
}

/** A parse error: PostgreSQL's message and the 0-based byte offset it points at. */
export class PgParseError extends Error {
  constructor(
    message: string,
    readonly cursorByte: number,
  ) {
    super(message);
  }
}

export interface RawParseResult {
  version?: number;
  stmts?: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }>;
}

export interface ScanToken {
  start: number;
  end: number;
  tokenName: string;
}

// Node's global WebAssembly (the project's TypeScript lib has no DOM/WebAssembly types).
const wasm = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: unknown }> };
  }
).WebAssembly;

let instance: Promise<EmscriptenModule> | undefined;

/** Instantiates the WebAssembly parser once; later calls return the same module. */
export function loadPgParser(): Promise<EmscriptenModule> {
  instance ??= (async () => {
    const bytes = gunzipSync(Buffer.from(WASM_GZIP_BASE64, 'base64'));
    // The factory reads the CommonJS `__dirname` as it starts; an ESM bundle has none.
    const g = globalThis as { __dirname?: string };
    const hadDirname = '__dirname' in g;
    if (!hadDirname) g.__dirname = '.';
    let pending: Promise<unknown>;
    try {
      pending = createModule({
        instantiateWasm(imports: unknown, done: (instance: unknown) => void) {
          wasm.instantiate(bytes, imports).then((result) => done(result.instance));
          return {};
        },
      });
    } finally {
      if (!hadDirname) delete g.__dirname;
    }
    return (await pending) as EmscriptenModule;
  })();
  return instance;
}

function withString<T>(mod: EmscriptenModule, text: string, fn: (ptr: number) => T): T {
  const size = mod.lengthBytesUTF8(text) + 1;
  const ptr = mod._malloc(size);
  try {
    mod.stringToUTF8(text, ptr, size);
    return fn(ptr);
  } finally {
    mod._free(ptr);
  }
}

/** The parse tree of `sql` (JSON as libpg_query prints it), or PgParseError. */
export function parseWith(mod: EmscriptenModule, sql: string): RawParseResult {
  if (sql.trim() === '') return { stmts: [] };
  return withString(mod, sql, (ptr) => {
    const result = mod._wasm_parse_query_raw(ptr);
    if (!result) throw new Error('libpg-query could not allocate memory for the parse');
    try {
      const tree = mod.getValue(result, 'i32');
      const error = mod.getValue(result + 8, 'i32');
      if (error) {
        const message = mod.UTF8ToString(mod.getValue(error, 'i32')) || 'syntax error';
        const cursor = mod.getValue(error + 16, 'i32');
        throw new PgParseError(message, cursor > 0 ? cursor - 1 : 0);
      }
      return JSON.parse(mod.UTF8ToString(tree)) as RawParseResult;
    } finally {
      mod._wasm_free_parse_result(result);
    }
  });
}

/** PostgreSQL's lexer tokens of `sql`, comments included. */
export function scanWith(mod: EmscriptenModule, sql: string): ScanToken[] {
  return withString(mod, sql, (ptr) => {
    const result = mod._wasm_scan(ptr);
    try {
      const text = mod.UTF8ToString(result);
      if (!text.startsWith('{')) throw new Error(text);
      return (JSON.parse(text) as { tokens?: ScanToken[] }).tokens ?? [];
    } finally {
      mod._wasm_free_string(result);
    }
  });
}
