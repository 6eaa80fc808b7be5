// A strict little XML 1.0 reader for tests: it accepts only well-formed documents (balanced tags,
// quoted attributes, known entities, no raw `<` or `&` in text, no characters XML forbids) and
// returns the element tree with entities decoded, so tests can both check and query what a
// writer produced without a parser dependency.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<XmlElement | string>;
  /** All text inside the element, decoded. */
  readonly text: string;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decode(raw: string, where: number): string {
  if (FORBIDDEN.test(raw)) throw new Error(`XML: a character XML 1.0 forbids near offset ${where}`);
  if (raw.includes('<')) throw new Error(`XML: raw "<" in text near offset ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`XML: bare "&" near offset ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[entity] !== undefined) return named[entity];
    const code = /^#x([0-9a-f]+)$/i.exec(entity)?.[1] ?? /^#(\d+)$/.exec(entity)?.[1];
    if (code === undefined) throw new Error(`XML: unknown entity ${match} near offset ${where}`);
    return String.fromCodePoint(entity.startsWith('#x') ? Number.parseInt(code, 16) : Number(code));
  });
}

export function parseXml(text: string): XmlElement {
  let i = /^<\?xml [^?]*\?>\s*/.exec(text)?.[0].length ?? 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (m === null) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const space = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail('expected "<"');
    i++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      space();
      if (text.startsWith('/>', i)) return ((i += 2), { name: tag, attributes, children: [], text: '' });
      if (text[i] === '>') break;
      const key = name();
      if (key in attributes) fail(`duplicate attribute ${key}`);
      if (text[i] !== '=' || text[i + 1] !== '"') fail('expected ="');
      const end = text.indexOf('"', i + 2);
      if (end < 0) fail('unterminated attribute');
      attributes[key] = decode(text.slice(i + 2, end), i);
      i = end + 1;
    }
    i++;
    const children: Array<XmlElement | string> = [];
    for (;;) {
      const next = text.indexOf('<', i);
      if (next < 0) fail(`unclosed <${tag}>`);
      if (next > i) children.push(decode(text.slice(i, next), i));
      i = next;
      if (text.startsWith('</', i)) {
        i += 2;
        if (name() !== tag) fail(`mismatched </…> for <${tag}>`);
        space();
        if (text[i] !== '>') fail('expected ">"');
        i++;
        const inner = children.map((c) => (typeof c === 'string' ? c : c.text)).join('');
        return { name: tag, attributes, children, text: inner };
      }
      children.push(element());
    }
  };
  const root = element();
  space();
  if (i !== text.length) fail('content after the root element');
  return root;
}
