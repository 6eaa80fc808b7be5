// Corruption of an MCP tool result: one fact changes in what the server answered. Servers put
// their data in `content` text items (often JSON) and, when the tool declares an output schema, in
// `structuredContent` too; a corrupted fact must change consistently in both, or the agent could
// notice the fault by comparing them, which a real wrong answer would not allow.
import type { Faker } from '@faker-js/faker';
import { corrupt, type FactKind, type Taint } from '../../faults/corrupt.ts';
import type { RandomStream } from '../../sim/rng.ts';

type Json = Record<string, unknown>;

interface TextItem {
  readonly type: 'text';
  readonly text: string;
}

export interface CorruptedResult {
  readonly result: Json;
  /** The taint, with `path` saying where in the result the fact was. */
  readonly taint: Taint;
}

/** Changes one fact of the wanted kind in a tools/call result; undefined when it has none. */
export function corruptToolResult(result: Json, want: FactKind | 'any', stream: RandomStream, faker: () => Faker): CorruptedResult | undefined {
  // An error result carries a message, not facts an agent would rely on.
  if (result.isError === true) return undefined;
  const content: unknown[] = Array.isArray(result.content) ? result.content : [];
  const structured = result.structuredContent;
  if (isRecord(structured)) {
    const changed = corrupt(structured, want, stream, faker);
    if (changed !== undefined) {
      const before = JSON.stringify(structured);
      const mirrored = content.map((item) => (isText(item) && sameJson(item.text, before) ? { ...item, text: restringify(item.text, changed.value) } : item));
      return {
        result: { ...result, structuredContent: changed.value, content: mirrored },
        taint: { ...changed.taint, path: `structuredContent.${changed.taint.path}` },
      };
    }
  }
  for (const [i, item] of content.entries()) {
    if (!isText(item)) continue;
    const changed = corruptText(item.text, want, stream, faker);
    if (changed === undefined) continue;
    const next = content.slice();
    next[i] = { ...item, text: changed.text };
    const inner = changed.taint.path === 'text' ? '' : `#${changed.taint.path}`;
    return { result: { ...result, content: next }, taint: { ...changed.taint, path: `content[${i}].text${inner}` } };
  }
  return undefined;
}

/** A JSON text is corrupted as JSON (keeping its layout), so that it still parses; free text as text. */
function corruptText(text: string, want: FactKind | 'any', stream: RandomStream, faker: () => Faker): { text: string; taint: Taint } | undefined {
  const json = parseJson(text);
  if (json !== undefined) {
    const changed = corrupt(json, want, stream, faker);
    return changed === undefined ? undefined : { text: restringify(text, changed.value), taint: changed.taint };
  }
  const changed = corrupt(text, want, stream, faker);
  return changed === undefined ? undefined : { text: changed.value, taint: changed.taint };
}

function parseJson(text: string): object | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function sameJson(text: string, json: string): boolean {
  const parsed = parseJson(text);
  return parsed !== undefined && JSON.stringify(parsed) === json;
}

/** Serialises `value` with the indentation `original` used, so the change is one fact, not a reformat. */
function restringify(original: string, value: unknown): string {
  const indent = /\n([ \t]+)\S/.exec(original)?.[1];
  return JSON.stringify(value, null, indent);
}

function isText(item: unknown): item is TextItem {
  return isRecord(item) && item.type === 'text' && typeof item.text === 'string';
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
