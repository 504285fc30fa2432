/** USD cost of one Messages API call from its token usage. */

/** USD per million tokens [input, output], from Anthropic's published prices. */
export const PRICES_PER_MTOK: Record<string, [number, number]> = {
  'claude-sonnet-5-5': [2, 10],
  'claude-sonnet-5': [2, 10],
  'claude-opus-5': [5, 25],
  'claude-sonnet-4-6': [3, 15],
  'claude-sonnet-4-5': [3, 15],
  'claude-haiku-4-5': [1, 5],
};

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Price of a model id, also for dated ids like claude-haiku-4-5-20251001. */
export function priceOf(model: string): [number, number] | undefined {
  if (PRICES_PER_MTOK[model]) return PRICES_PER_MTOK[model];
  const base = Object.keys(PRICES_PER_MTOK)
    .filter((k) => model.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0];
  return base ? PRICES_PER_MTOK[base] : undefined;
}

/** Cache writes cost 1.25× input, cache reads 0.1× input (5-minute cache). Null when the price is unknown. */
export function costUsd(usage: TokenUsage, price: [number, number] | undefined): number | null {
  if (!price) return null;
  const [input, output] = price;
  const total =
    usage.input_tokens * input +
    usage.output_tokens * output +
    (usage.cache_creation_input_tokens ?? 0) * input * 1.25 +
    (usage.cache_read_input_tokens ?? 0) * input * 0.1;
  return Math.round((total / 1_000_000) * 1e6) / 1e6;
}
