import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { unstorableText } from '../http/bodyParsers.js';

/**
 * String arguments and variables that PostgreSQL cannot store as they are (a NUL character, a lone
 * UTF-16 surrogate) are refused as BAD_USER_INPUT before anything runs, with where they are: the
 * same rule JSON bodies follow (src/http/bodyParsers.ts). JSON bodies over HTTP are checked as they
 * are parsed; this covers string literals in the document, and variables of GET requests and graphql-ws.
 */
export function useStorableStrings(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(storableLiteralsRule);
    },
    onExecute({ args }) {
      checkVariables(args.variableValues);
    },
    onSubscribe({ args }) {
      checkVariables(args.variableValues);
    },
  };
}

const storableLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    const problem = unstorableText(node.value);
    if (problem) context.reportError(new GraphQLError(`This string ${problem}.`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

function checkVariables(variables: unknown): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) throw new GraphQLError(`Variable ${path} ${problem}.`, { extensions: { code: 'BAD_USER_INPUT', http: { spec: true, status: 400 } } });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
    }
  };
  if (variables && typeof variables === 'object') for (const [name, value] of Object.entries(variables)) walk(value, `$${name}`);
}
