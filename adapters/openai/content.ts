// Reading the loosely typed pieces of OpenAI request bodies: message content (a string or a list of
// parts) and tool-call arguments (a string that should, but need not, be JSON). Both APIs use them.

/** A plain object from a parsed JSON body, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The text of message content: a string as is, text parts joined. Parts without text (images,
 * audio, files) are left out: a brain answers from text, and the token count is of text.
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    const p = objectOf(part);
    if (p === undefined) continue;
    if (typeof p.text === 'string') text += p.text;
    else if (typeof p.refusal === 'string') text += p.refusal;
  }
  return text;
}

/** Arguments as a model sent them: parsed when they are JSON, undefined when they are not. */
export function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
