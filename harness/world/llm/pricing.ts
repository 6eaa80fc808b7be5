// Prices of simulated models, in US dollars per million tokens. The defaults are list prices
// published by OpenAI and Anthropic; override or extend them with the `llm.prices` option. A model
// name matches its exact entry, else the longest entry it starts with (`gpt-4o-2024-08-06` is
// priced as `gpt-4o`).

export interface Price {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

export const defaultPrices: PriceTable = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'o3-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-3-5-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-haiku-4': { inputPerMTok: 1, outputPerMTok: 5 },
};

/** The price of `model` in `table`, or undefined when neither its name nor a prefix of it is listed. */
export function priceOf(model: string, table: PriceTable): Price | undefined {
  const exact = table[model];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}

/** Dollars for a call: tokens times the price per million, rounded to a millionth of a cent. */
export function dollars(price: Price, inputTokens: number, outputTokens: number): number {
  const usd = (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
