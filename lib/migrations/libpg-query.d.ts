// The emscripten factory inside libpg-query (CommonJS, no types of its own).
declare module 'libpg-query/wasm/libpg-query.js' {
  const createModule: (options: Record<string, unknown>) => Promise<unknown>;
  export default createModule;
}
