import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_JSON_DEPTH, unstorableText } from '../http/bodyParsers.js';

/**
 * String arguments and variables that PostgreSQL cannot store as they are (a NUL character, a lone
 * UTF-16 surrogate), and variables nested deeper than JSON bodies may be, are refused as
 * BAD_USER_INPUT before anything runs, with where they are: the same rules JSON bodies follow
 * (src/http/bodyParsers.ts). Each is checked once, where it arrives: a POST's variables by the
 * JSON body parser, a GET's here (onParams), a graphql-ws message's by mountGraphQL's onSubscribe
 * (refuseVariables), and string literals of the document by this validation rule.
 */
export function useStorableStrings(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(storableLiteralsRule);
    },
    onParams({ request, params }) {
      if (request.method !== 'GET') return;
      const refused = refuseVariables(params.variables);
      if (refused) throw refused;
    },
  };
}

const storableLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    const problem = unstorableText(node.value);
    if (problem) context.reportError(new GraphQLError(`This string ${problem}.`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

/** The error for variables that break these rules, or null (graphql-ws answers it as the operation's error). */
export function refuseVariables(variables: unknown): GraphQLError | null {
  try {
    checkVariables(variables);
    return null;
  } catch (err) {
    if (err instanceof GraphQLError) return err;
    throw err;
  }
}

function checkVariables(variables: unknown): void {
  const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } } });
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) throw refuse(`Variable ${path} ${problem}.`);
      return;
    }
    if (!value || typeof value !== 'object') return;
    if (depth > MAX_JSON_DEPTH) throw refuse(`Variable ${path.replace(/[.[].*$/, '')} is nested more than ${MAX_JSON_DEPTH} levels deep; send a flatter value.`);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    else for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`, depth + 1);
  };
  if (variables && typeof variables === 'object') for (const [name, value] of Object.entries(variables)) walk(value, `$${name}`, 1);
}
