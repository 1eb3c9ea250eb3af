// JSON text the fuzz sends: a value may hold RawJson pieces that are spliced in verbatim, for what
// JSON.stringify cannot produce (nesting deeper than its stack, numbers beyond a double's digits).

export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, with every RawJson written as its text. (Lone surrogates come out as \ud800 escapes.) */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0000raw:${raws.push(v.text) - 1}\u0000` : v));
  if (text === undefined) return '';
  return text.replace(/"\\u0000raw:(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

/** [[[[...]]]] nested `depth` levels, built as text (JSON.stringify of it would overflow the stack). */
export function deepArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** {"a":{"a":...0}} nested `depth` levels. */
export function deepObjectText(depth: number): string {
  return '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
}
