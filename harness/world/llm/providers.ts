// Which provider served an LLM call, and the names fault rules select it by. A call has a model
// (as the client spelled it) and, when it came over HTTP, a provider: the host it was sent to
// (`openai`, `anthropic`, `azure`, `gemini`, `bedrock`, an OpenAI-compatible host such as `groq`,
// or a host the scenario declares in `llm.hosts`). Its yield point is named both ways:
//
//   llm:<model>             the model on every provider         llm:gpt-4o, llm:gemini-2.0-flash
//   llm:<provider>/<model>  the model on one provider           llm:azure/gpt-4o, llm:bedrock/*
//
// A model whose name itself starts with a provider's name and a slash (OpenRouter's `openai/gpt-4o`)
// is named only the second way (`llm:openrouter/openai/gpt-4o`), so that `llm:openai/*` means the
// OpenAI API and nothing else.

/**
 * Public OpenAI-compatible hosts, by provider name, and the base URLs their docs give for the
 * OpenAI SDK's `baseURL` (openrouter.ai/docs/quickstart, console.groq.com/docs/openai,
 * docs.together.ai/docs/openai-api-compatibility, docs.fireworks.ai/tools-sdks/openai-compatibility,
 * api-docs.deepseek.com, docs.mistral.ai/api, docs.x.ai/docs/api-reference, and for servers run
 * locally their default ports: github.com/ollama/ollama/blob/main/docs/openai.md,
 * docs.vllm.ai (serve --port 8000), docs.litellm.ai/docs/proxy/quick_start (port 4000)).
 */
export const COMPATIBLE_HOSTS: Readonly<Record<string, readonly string[]>> = {
  openrouter: ['https://openrouter.ai/api/v1'],
  groq: ['https://api.groq.com/openai/v1'],
  together: ['https://api.together.xyz/v1'],
  fireworks: ['https://api.fireworks.ai/inference/v1'],
  deepseek: ['https://api.deepseek.com', 'https://api.deepseek.com/v1'],
  mistral: ['https://api.mistral.ai/v1'],
  xai: ['https://api.x.ai/v1'],
  ollama: ['http://localhost:11434/v1', 'http://127.0.0.1:11434/v1'],
  vllm: ['http://localhost:8000/v1', 'http://127.0.0.1:8000/v1'],
  litellm: ['http://localhost:4000', 'http://localhost:4000/v1', 'http://0.0.0.0:4000', 'http://0.0.0.0:4000/v1'],
};

/** Providers with their own wire format or host rules (the OpenAI-compatible hosts come on top). */
export const NATIVE_PROVIDERS = ['openai', 'anthropic', 'azure', 'gemini', 'bedrock'] as const;

/** A provider name, as targets spell it: lower case letters, digits and dashes. */
export const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

/** The OpenAI-compatible hosts of a run: the built-in ones and those a scenario declares (`llm.hosts`). */
export function compatibleHosts(declared: Readonly<Record<string, string | readonly string[]>> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, urls] of Object.entries(COMPATIBLE_HOSTS)) out[name] = [...urls];
  for (const [name, urls] of Object.entries(declared)) {
    out[name] = [...new Set([...(out[name] ?? []), ...(typeof urls === 'string' ? [urls] : urls).map(withoutTrailingSlash)])];
  }
  return out;
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The yield-point names of a call to `model` through `provider` (none for world.llm): the model
 * name first (absent when the model's name starts with a provider's name and a slash), then the
 * provider-qualified name.
 */
export function llmTargets(model: string, provider: string | undefined, providers: ReadonlySet<string>): string[] {
  if (provider === undefined) return [`llm:${model}`];
  const slash = model.indexOf('/');
  const names = slash > 0 && providers.has(model.slice(0, slash)) ? [] : [`llm:${model}`];
  names.push(`llm:${provider}/${model}`);
  return names;
}
