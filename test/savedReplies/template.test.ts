// The template parser and renderer on their own: the whitelist, fallbacks and their escapes, the
// literal `\{{`, positions of errors (offset, line, column), and what rendering reports as missing.
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateSyntaxError } from '../../src/domain/savedReplies/template.js';

const fails = (source: string) => {
  try {
    parseTemplate(source);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) return { reason: err.reason, position: err.position, line: err.line, column: err.column, variable: err.variable };
    throw err;
  }
  throw new Error(`parsed: ${source}`);
};

describe('parseTemplate', () => {
  it('reads text and whitelisted variables, with spaces inside the braces and fallbacks', () => {
    const t = parseTemplate('Hi {{ client.first_name | "there" }}, {{staff.first_name}}{{client.first_name}}!');
    expect(t.parts).toEqual([
      { text: 'Hi ' },
      { variable: 'client.first_name', fallback: 'there', position: 3 },
      { text: ', ' },
      { variable: 'staff.first_name', fallback: null, position: 38 },
      { variable: 'client.first_name', fallback: null, position: 58 },
      { text: '!' },
    ]);
    expect(t.variables).toEqual(['client.first_name', 'staff.first_name']);
  });

  it('keeps single braces, lone "}}" and other backslashes as text; \\{{ is a literal {{', () => {
    expect(parseTemplate('a { b } c }} d \\n \\{{client.first_name}}').parts).toEqual([{ text: 'a { b } c }} d \\n {{client.first_name}}' }]);
  });

  it('unescapes \\" and \\\\ in a fallback, and allows an empty one', () => {
    expect(parseTemplate('{{client.first_name | "a \\"b\\" \\\\ c"}}').parts[0]).toMatchObject({ fallback: 'a "b" \\ c' });
    expect(parseTemplate('{{client.last_name | ""}}').parts[0]).toMatchObject({ fallback: '' });
  });

  it('refuses unknown variables, helpers, partials and sections, naming the variable and where', () => {
    expect(fails('Hello\n  {{client.nickname}}')).toEqual({ reason: 'unknown_variable', position: 10, line: 2, column: 5, variable: 'client.nickname' });
    expect(fails('{{#if client.first_name}}x{{/if}}')).toMatchObject({ reason: 'unknown_variable', variable: '#if' });
    expect(fails('{{> header}}')).toMatchObject({ reason: 'unknown_variable', variable: '>' });
    expect(fails('{{client.first-name}}')).toMatchObject({ reason: 'unknown_variable', variable: 'client.first-name' });
    expect(fails('{{CLIENT.FIRST_NAME}}')).toMatchObject({ reason: 'unknown_variable' });
    expect(fails('{{{client.first_name}}}')).toMatchObject({ reason: 'unknown_variable', variable: '{client.first_name' });
  });

  it('refuses malformed tags and fallbacks with their position', () => {
    expect(fails('ok {{client.first_name')).toEqual({ reason: 'unclosed_tag', position: 3, line: 1, column: 4, variable: null });
    expect(fails('{{ }}')).toMatchObject({ reason: 'bad_tag', position: 0 });
    expect(fails('{{client.first_name there}}')).toMatchObject({ reason: 'bad_tag' });
    expect(fails('{{client.first_name | there}}')).toMatchObject({ reason: 'bad_fallback', position: 20 });
    expect(fails("{{client.first_name | 'there'}}")).toMatchObject({ reason: 'bad_fallback' });
    expect(fails('{{client.first_name | "a" | "b"}}')).toMatchObject({ reason: 'bad_fallback' });
    expect(fails('{{client.first_name | "unterminated}}')).toMatchObject({ reason: 'bad_fallback' });
    expect(fails('{{client.first_name | "a\\nb"}}')).toMatchObject({ reason: 'bad_fallback' });
    expect(fails(`{{client.first_name | "${'x'.repeat(101)}"}}`)).toMatchObject({ reason: 'bad_fallback' });
  });
});

describe('renderTemplate', () => {
  it('substitutes values, uses fallbacks for missing (null or blank) ones and reports each once', () => {
    const t = parseTemplate('{{client.first_name | "there"}} {{client.last_name}} {{client.first_name | "friend"}} {{client.last_name}} {{business.name}}');
    expect(renderTemplate(t, { 'client.first_name': '  ', 'client.last_name': null, 'business.name': 'Spa' })).toEqual({
      text: 'there  friend  Spa',
      missing: [
        { variable: 'client.first_name', usedFallback: true },
        { variable: 'client.last_name', usedFallback: false },
      ],
    });
    expect(renderTemplate(t, { 'client.first_name': 'Rosa', 'client.last_name': 'M', 'business.name': 'Spa' })).toEqual({ text: 'Rosa M Rosa M Spa', missing: [] });
  });

  it('never interprets a value as a template', () => {
    const t = parseTemplate('Hi {{client.first_name}}');
    expect(renderTemplate(t, { 'client.first_name': '{{business.name}}' }).text).toBe('Hi {{business.name}}');
  });
});
