// A small, strict XML parser for TwiML answers (no XML package is installed): the declaration,
// elements, double- or single-quoted attributes, text and the five predefined entities. Anything
// else (unclosed or mismatched tags, a raw `<` or `&` in text, trailing content) throws, so a
// malformed answer fails the test instead of passing a substring check.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const num = /^#(x[0-9a-f]+|\d+)$/i.exec(name);
    if (num) return String.fromCodePoint(num[1]!.startsWith('x') || num[1]!.startsWith('X') ? parseInt(num[1]!.slice(1), 16) : Number(num[1]));
    throw new Error(`unknown entity &${name}; in ${where}`);
  });
}

export function parseXml(input: string): XmlElement {
  let i = 0;
  const s = input;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at offset ${i}: ${JSON.stringify(s.slice(i, i + 40))}`);
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  if (s.startsWith('<?xml')) {
    const end = s.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    if (!/^<\?xml\s+version="1\.0"(\s+encoding="UTF-8")?\s*\?>$/.test(s.slice(0, end + 2))) fail('unexpected XML declaration');
    i = end + 2;
  }
  skipSpace();
  const NAME = /^[A-Za-z_][\w.-]*/;

  const element = (): XmlElement => {
    if (s[i] !== '<') fail('expected <');
    i++;
    const name = NAME.exec(s.slice(i))?.[0] ?? fail('expected an element name');
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (s.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (s[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const attr = NAME.exec(s.slice(i))?.[0] ?? fail('expected an attribute name');
      i += attr.length;
      if (s[i] !== '=') fail('expected =');
      i++;
      const quote = s[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = s.indexOf(quote!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = s.slice(i + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      attrs[attr] = decode(raw, `attribute ${attr}`);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= s.length) fail(`unclosed <${name}>`);
      if (s.startsWith('</', i)) {
        i += 2;
        const close = NAME.exec(s.slice(i))?.[0] ?? fail('expected a closing name');
        if (close !== name) fail(`</${close}> closes <${name}>`);
        i += close.length;
        skipSpace();
        if (s[i] !== '>') fail('expected >');
        i++;
        return { name, attrs, children, text: children.length ? text.trim() : text };
      }
      if (s[i] === '<') {
        children.push(element());
        continue;
      }
      const next = s.indexOf('<', i);
      const raw = s.slice(i, next < 0 ? s.length : next);
      text += decode(raw, `<${name}> text`);
      i += raw.length;
    }
  };
  const root = element();
  skipSpace();
  if (i !== s.length) fail('content after the root element');
  return root;
}

/** Element names of the children, e.g. ['Dial'] or ['Say', 'Record', 'Say', 'Hangup']. */
export const verbs = (e: XmlElement) => e.children.map((c) => c.name);
