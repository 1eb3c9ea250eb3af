// Failures are collected, not thrown: a run reports everything it found, grouped by cause (the
// server's error, or its answer when no error was seen) so one broken mechanism shows once, with
// the routes, fields and inputs it was hit by.
import { expect, it } from 'vitest';

export interface Failure {
  /** The rule broken: "5xx", "masked error", "4xx body shape"... */
  check: string;
  /** Route (METHOD /path) or GraphQL operation. */
  target: string;
  /** Where the bad value went: body.to, query.page, variables.input.body, the whole body... */
  field: string;
  /** What was sent: "wrong type: number", "lone high surrogate", "deep object (5000)"... */
  input: string;
  status: number;
  body: string;
  /** The error the server raised or logged, when one was seen. */
  error?: string;
}

export interface FailureLog {
  add(failure: Failure): void;
  of(check: string): Failure[];
  /** The failures of one check as text, grouped by status and cause. */
  summary(check: string): string;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A failure's cause with its particulars (ids, numbers, field paths, quoted input) blanked, so alike
 * failures group: the server's error, unless the answer itself names a framework error code
 * (FST_ERR_...: then the error seen is only what preceded it), else the answer.
 */
function causeOf(f: Failure): string {
  const framework = /"code":"(FST_ERR_\w+)"(?:.*?Original error: ([^"]*))?/.exec(f.body);
  if (!framework && !f.error) {
    if (f.status < 400) return `accepted (${f.status})`;
    // The answer's shape, with its code: {"detail":"…","code":"NOT_FOUND"}.
    return oneLine(f.body)
      .replace(/("(?!code")\w+"):"(?:[^"\\]|\\.)*"/g, '$1:"…"')
      .slice(0, 160);
  }
  return oneLine(framework ? `${framework[1]} ${framework[2] ?? ''}` : f.error!)
    .replace(/ GraphQL request:.*$/, '')
    .replace(/got invalid value .*?(?= at "|;|$)/g, 'got invalid value …')
    .replace(/ at "[^"]*"/g, ' at "…"')
    .replace(/(cannot represent [\w -]*?value)(: .*?)?(?=;|$)/g, '$1 …')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\b(body|querystring|params)\/[\w/.[\]-]*/g, '$1/<field>')
    .replace(/'[^']*'/g, "'…'")
    .replace(/"(?:[^"\\]|\\.)*"/g, (q) => (/^"[a-z_]+"$/.test(q) ? q : '"…"')) // database names stay
    .replace(/(Invalid cursor|Invalid global ID|has not been implemented)\b.*$/, '$1 …')
    .replace(/\b(SM|CA|MM|RE|AC)[0-9a-f]{32}\b/g, '$1<sid>')
    .replace(/\d+/g, 'N')
    .replace(/ at (?:async )?[\w.<>$[\] ]+ \((?:\/|node:|<anonymous>).*$/, '')
    .replace(/^PrismaClient\w+: Invalid `([^`]*)` invocation:?(?: in \S+)?/, 'Prisma $1:')
    .slice(0, 200);
}

function list(values: string[], max: number): string {
  const distinct = [...new Set(values)];
  return distinct.length > max ? `${distinct.slice(0, max).join(', ')}, … (${distinct.length} in all)` : distinct.join(', ');
}

export function createFailureLog(): FailureLog {
  const failures: Failure[] = [];
  return {
    add: (failure) => void failures.push(failure),
    of: (check) => failures.filter((f) => f.check === check),
    summary(check) {
      const mine = failures.filter((f) => f.check === check);
      const groups = new Map<string, Failure[]>();
      for (const f of mine) {
        const key = `${f.status} ${causeOf(f)}`;
        groups.set(key, [...(groups.get(key) ?? []), f]);
      }
      const lines = [`${check}: ${mine.length} failure(s) in ${groups.size} group(s)`];
      for (const group of [...groups.values()].sort((x, y) => y.length - x.length)) {
        const f = group[0]!;
        lines.push(
          `- status ${f.status} x${group.length}: ${causeOf(f)}`,
          ...(f.error ? [`    error: ${clip(oneLine(f.error), 400)}`] : []),
          `    targets: ${list(
            group.map((g) => g.target),
            8,
          )}`,
          `    inputs: ${clip(
            list(
              group.map((g) => g.input),
              10,
            ),
            400,
          )}`,
          `    fields: ${clip(
            list(
              group.map((g) => g.field),
              10,
            ),
            300,
          )}`,
          `    e.g. ${f.target} ${f.field} "${clip(f.input, 80)}" -> ${clip(oneLine(f.body), 200)}`,
        );
      }
      return lines.join('\n');
    },
  };
}

/** One rule of a fuzz run as its own test: no failure of this check, else the grouped summary. */
export function fuzzRule(failures: FailureLog, name: string, check: string): void {
  it(name, () => {
    const found = failures.of(check);
    if (found.length) console.log(failures.summary(check));
    expect(found.length, failures.summary(check)).toBe(0);
  });
}
