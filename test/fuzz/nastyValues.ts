// The hostile values every field gets: wrong JSON types, edge-case strings (Unicode that breaks
// encoders, databases and renderers), huge and deep values, and numbers a double cannot hold.
import { deepArrayText, deepObjectText, RawJson } from './jsonText.js';

export const DEEP = 5_000;
export const MEGABYTE = 1024 * 1024;

/** Strings that trip encoders, databases, renderers and length checks. */
export const NASTY_STRINGS: Record<string, string> = {
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': '\udfff',
  'reversed surrogate pair': '\udc00\ud800',
  'NUL byte': 'a\u0000b',
  'RTL override': '\u202egnp.exe\u202c',
  'Arabic and Hebrew': 'مرحبا שלום',
  'emoji ZWJ sequence': '👩‍👩‍👧‍👦🏳️‍🌈',
  'combining marks': `Z${'\u0301\u0336\u0353'.repeat(60)}`,
  'BOM and zero-width': '\ufeff\u200b\u200d',
  'control characters': '\u0001\u001b[31m\u007f\r\n\t',
  noncharacters: '\uffff\ufffe',
  'empty string': '',
  'whitespace only': '   ',
  'SQL and HTML': `'; DROP TABLE messages; -- <script>alert(1)</script> %s %n {{7*7}}`,
};

/** A value of each JSON type, to swap for a field's own. */
export const JSON_TYPE_SAMPLES: Record<'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object', unknown> = {
  string: 'abc',
  integer: 12345,
  number: 1.5,
  boolean: true,
  null: null,
  array: ['x', 1],
  object: { a: 1 },
};

/** Numbers in JSON text: beyond a double's digits, out of range, negative, fractional. */
export const NASTY_NUMBERS: Record<string, RawJson> = {
  'huge integer': new RawJson('99999999999999999999999'),
  'overflowing exponent': new RawJson('1e400'),
  negative: new RawJson('-1'),
  zero: new RawJson('0'),
  fractional: new RawJson('1.5'),
  'negative zero': new RawJson('-0'),
  'max int32 + 1': new RawJson('2147483648'),
};

/** The same, as they appear in a path or query string. */
export const NASTY_PARAM_NUMBERS = ['-1', '0', '1.5', '99999999999999999999999', '1e309', 'NaN', 'Infinity', '0x10', ' 1', '1 '];

/** Raw (already percent-encoded) path and query values. */
export const NASTY_ENCODED: Record<string, string> = {
  'lone surrogate (CESU-8 bytes)': '%ED%A0%80',
  'invalid UTF-8': '%C3%28%FF',
  'NUL byte': 'a%00b',
  'RTL override': encodeURIComponent('\u202egnp.exe'),
  emoji: encodeURIComponent('👩‍👩‍👧‍👦'),
  'combining marks': encodeURIComponent(`Z${'\u0301'.repeat(100)}`),
  'dot segments': '..%2F..%2Fetc',
  'broken percent escape': '%E0%A4%A',
};

export const deepArray = () => new RawJson(deepArrayText(DEEP));
export const deepObject = () => new RawJson(deepObjectText(DEEP));
export const hugeString = (length = MEGABYTE) => 'x'.repeat(length);
