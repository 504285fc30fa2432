// Placeholder replaced below.
export async function rehearseConcurrency(
  _opts: { log?: (line: string) => void } = {},
): Promise<{ ok: boolean; lines: string[] }> {
  return { ok: true, lines: ['not yet'] };
}
