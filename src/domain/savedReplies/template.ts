// The template language of saved replies: one small strict parser, used when a reply is saved, when
// it is previewed (renderTemplate) and when it is sent. Not Handlebars or Mustache on purpose: a
// general engine accepts helpers, partials, sections and any variable name, and renders a variable
// it does not know as an empty string, silently; here a variable outside the whitelist, or anything
// else between the braces, is an error when the reply is saved, and a missing value is reported.
//
// The language:
// - `{{client.first_name}}`: one of TEMPLATE_VARIABLES (spaces inside the braces are allowed);
// - `{{client.first_name | "there"}}`: a fallback, a double-quoted string, used when the value is
//   missing (null or blank); inside it `\"` is a quote and `\\` a backslash (no other escape, no
//   line break, at most FALLBACK_MAX characters);
// - `\{{` is a literal `{{` (the backslash is dropped); any other backslash, single brace or `}}` is
//   literal text;
// - anything else between `{{` and `}}`, or a `{{` never closed, is an error with its position.

import type { FieldIssue } from '../errors.js';

/** The variables a template may use, and nothing else. */
export const TEMPLATE_VARIABLES = ['client.first_name', 'client.last_name', 'location.name', 'location.phone', 'staff.first_name', 'business.name'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const FALLBACK_MAX = 100;

export type TemplatePart = { text: string } | { variable: TemplateVariable; fallback: string | null; position: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** The variables used, each once, in order of first use. */
  variables: TemplateVariable[];
}

/** A template that cannot be parsed: what is wrong, and where (0-based offset, 1-based line and column). */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly reason: 'unknown_variable' | 'bad_fallback' | 'unclosed_tag' | 'bad_tag',
    readonly detail: string,
    readonly position: number,
    readonly line: number,
    readonly column: number,
    /** The unknown variable's name, for unknown_variable. */
    readonly variable: string | null,
  ) {
    super(`${detail} (line ${line}, column ${column})`);
  }
}

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

function lineAndColumn(source: string, position: number): { line: number; column: number } {
  const before = source.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Parses a template; throws TemplateSyntaxError at the first problem. */
export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const variables: TemplateVariable[] = [];
  let text = '';
  let i = 0;
  const fail = (reason: TemplateSyntaxError['reason'], detail: string, at: number, variable: string | null = null): never => {
    const { line, column } = lineAndColumn(source, at);
    throw new TemplateSyntaxError(reason, detail, at, line, column, variable);
  };
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      text += source[i];
      i += 1;
      continue;
    }
    const start = i;
    const close = source.indexOf('}}', i + 2);
    if (close < 0) fail('unclosed_tag', '"{{" is never closed by "}}" (write \\{{ for a literal "{{")', start);
    const inner = source.slice(i + 2, close);
    // The variable: a name of letters, digits, dots and underscores; then optionally | "fallback".
    const m = /^\s*([^\s|]*)\s*/.exec(inner)!;
    const name = m[1]!;
    if (name === '') fail('bad_tag', `"{{${clip(inner)}}}" names no variable; use one of ${TEMPLATE_VARIABLES.join(', ')}`, start);
    if (!isVariable(name)) fail('unknown_variable', `Unknown variable "${clip(name)}"; use one of ${TEMPLATE_VARIABLES.join(', ')}`, start + 2 + inner.indexOf(name), name);
    let rest = inner.slice(m[0].length);
    let fallback: string | null = null;
    if (rest.startsWith('|')) {
      const at = start + 2 + m[0].length;
      rest = rest.slice(1).trimStart();
      const parsed = /^"((?:[^"\\\n\r]|\\["\\])*)"\s*$/.exec(rest);
      if (!parsed) fail('bad_fallback', `The fallback of {{${name}}} must be one double-quoted string, e.g. {{${name} | "there"}} (escape " as \\" and \\ as \\\\)`, at);
      fallback = parsed![1]!.replace(/\\(["\\])/g, '$1');
      if (fallback.length > FALLBACK_MAX) fail('bad_fallback', `The fallback of {{${name}}} is longer than ${FALLBACK_MAX} characters`, at);
    } else if (rest !== '') {
      fail('bad_tag', `Unexpected "${clip(rest)}" after {{${name}}}: only a fallback may follow, as in {{${name} | "text"}}`, start + 2 + m[0].length);
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable: name as TemplateVariable, fallback, position: start });
    if (!variables.includes(name as TemplateVariable)) variables.push(name as TemplateVariable);
    i = close + 2;
  }
  if (text) parts.push({ text });
  return { parts, variables };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>;

export interface MissingVariable {
  variable: TemplateVariable;
  /** true: its fallback was used; false: it had none and rendered empty. */
  usedFallback: boolean;
}

export interface RenderedTemplate {
  text: string;
  /** Variables whose value was missing (null or blank), each once. */
  missing: MissingVariable[];
}

/** Renders a parsed template with these values; a missing value takes its fallback, else renders empty (see `missing`). */
export function renderTemplate(template: ParsedTemplate, values: TemplateValues): RenderedTemplate {
  let text = '';
  const missing: MissingVariable[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const value = values[part.variable];
    if (value != null && value.trim() !== '') {
      text += value;
      continue;
    }
    if (part.fallback !== null) text += part.fallback;
    if (!missing.some((m) => m.variable === part.variable && m.usedFallback === (part.fallback !== null))) missing.push({ variable: part.variable, usedFallback: part.fallback !== null });
  }
  return { text, missing };
}

/** A template field parsed, or its problem as a FieldIssue naming the field, the variable and the position. */
export function parseTemplateField(source: string, loc: (string | number)[]): { template: ParsedTemplate } | { issue: FieldIssue } {
  try {
    return { template: parseTemplate(source) };
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    return {
      issue: {
        type: err.reason === 'unknown_variable' ? 'template_unknown_variable' : 'template_syntax',
        loc,
        msg: `${err.detail} at line ${err.line}, column ${err.column} (offset ${err.position})`,
        input: err.variable ?? source.slice(err.position, err.position + 40),
      },
    };
  }
}
