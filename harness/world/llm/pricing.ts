// Prices of simulated models, in US dollars per million tokens. The defaults are list prices
// published by the providers (sources beside each group); override or extend them with the
// `llm.prices` option. A model name matches its exact entry, else the longest entry it starts with
// (`gpt-4o-2024-08-06` is priced as `gpt-4o`). Names as other hosts spell them are priced as the
// model they serve: a Bedrock model id, inference profile or ARN
// (`us.anthropic.claude-3-5-haiku-20241022-v1:0` as `claude-3-5-haiku`) and a vendor-prefixed
// OpenRouter name (`openai/gpt-4o-mini`, `anthropic/claude-3.5-haiku`).

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
  'claude-3-haiku': { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  // Google Gemini API, paid tier, prompts up to 200k tokens (ai.google.dev/gemini-api/docs/pricing).
  'gemini-2.5-pro': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gemini-2.0-flash': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gemini-2.0-flash-lite': { inputPerMTok: 0.075, outputPerMTok: 0.3 },
  'gemini-1.5-pro': { inputPerMTok: 1.25, outputPerMTok: 5 },
  'gemini-1.5-flash': { inputPerMTok: 0.075, outputPerMTok: 0.3 },
  // Amazon Bedrock on-demand, us-east-1 (aws.amazon.com/bedrock/pricing); its Anthropic models are
  // priced as Anthropic's own (above), through the name rules below.
  'amazon.nova-micro': { inputPerMTok: 0.035, outputPerMTok: 0.14 },
  'amazon.nova-lite': { inputPerMTok: 0.06, outputPerMTok: 0.24 },
  'amazon.nova-pro': { inputPerMTok: 0.8, outputPerMTok: 3.2 },
  'meta.llama3-1-8b-instruct': { inputPerMTok: 0.22, outputPerMTok: 0.22 },
  'meta.llama3-1-70b-instruct': { inputPerMTok: 0.72, outputPerMTok: 0.72 },
  'meta.llama3-3-70b-instruct': { inputPerMTok: 0.72, outputPerMTok: 0.72 },
  'cohere.command-r-plus': { inputPerMTok: 3, outputPerMTok: 15 },
  'cohere.command-r': { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  // Groq (groq.com/pricing).
  'llama-3.3-70b-versatile': { inputPerMTok: 0.59, outputPerMTok: 0.79 },
  'llama-3.1-8b-instant': { inputPerMTok: 0.05, outputPerMTok: 0.08 },
};

/** A Bedrock cross-region inference profile's geography (docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html). */
const GEOGRAPHY = /^(?:us|us-gov|eu|apac|ca|jp|au|global)\./;
/** A model vendor's prefix: Bedrock's `anthropic.`, OpenRouter's `anthropic/`. */
const VENDOR = /^(?:anthropic|openai|google|meta|meta-llama|amazon|mistral|mistralai|cohere|ai21|deepseek|x-ai|qwen)[./]/;

/** The names `model` is priced by, most specific first. */
function pricedNames(model: string): string[] {
  const names = [model];
  let name = model.startsWith('arn:') ? model.slice(model.lastIndexOf('/') + 1) : model;
  names.push(name);
  name = name.replace(GEOGRAPHY, '');
  names.push(name);
  name = name.replace(VENDOR, '');
  names.push(name);
  // OpenRouter writes Anthropic's versions with dots (`claude-3.5-haiku`).
  names.push(name.replace(/(\d)\.(\d)/g, '$1-$2'));
  return [...new Set(names)];
}

/** The price of `model` in `table`, or undefined when neither its name nor a prefix of it is listed. */
export function priceOf(model: string, table: PriceTable): Price | undefined {
  for (const name of pricedNames(model)) {
    const price = byNameOrPrefix(name, table);
    if (price !== undefined) return price;
  }
  return undefined;
}

function byNameOrPrefix(model: string, table: PriceTable): Price | undefined {
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
