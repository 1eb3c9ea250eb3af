import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { costLimitRule } from './costLimitRule.js';
import { depthLimitRule } from './depthLimitRule.js';
import { introspectionCountRule } from './introspectionCountRule.js';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  /** Aliases per operation (graphql-armor; `__typename` is free). */
  maxAliases: number;
  /** Lexical tokens per document (graphql-armor): checked while parsing, so a huge document never becomes a huge tree. */
  maxTokens: number;
  /** Directives per operation (graphql-armor). */
  maxDirectives: number;
}

/**
 * Every limit on the shape of an operation, for GraphQL over HTTP and graphql-ws alike (both parse
 * and validate through yoga's envelop). A refused operation never starts executing:
 * - tokens while parsing (GRAPHQL_PARSE_FAILED), before a 10,000-deep document can overflow anything;
 * - depth (QUERY_TOO_DEEP) and estimated objects, page sizes included (QUERY_TOO_COSTLY): Omega's
 *   own rules, because graphql-armor's cost limit ignores `first`/`last`. Both leave introspection
 *   to graphql-js's own MaxIntrospectionDepthRule (among the specified rules yoga runs: at most
 *   three of `fields`, `interfaces`, `possibleTypes`, `inputFields` nested), rather than to an
 *   exemption of armor's, which had a published bypass;
 * - one `__schema` per operation (QUERY_TOO_COSTLY; introspectionCountRule);
 * - aliases (QUERY_TOO_MANY_ALIASES) and directives (QUERY_TOO_MANY_DIRECTIVES): graphql-armor's rules.
 */
export function useOperationLimits(limits: OperationLimits): Plugin {
  const aliases = maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: [report('QUERY_TOO_MANY_ALIASES')] });
  const introspection = introspectionCountRule();
  const directives = maxDirectivesRule({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [report('QUERY_TOO_MANY_DIRECTIVES')] });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: limits.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimitRule(limits.maxDepth));
      addValidationRule(costLimitRule(limits.maxCost));
      addValidationRule(introspection);
      addValidationRule(aliases);
      addValidationRule(directives);
    },
  };
}

/** graphql-armor's rejection, reported as a validation error of our own with a stable code. */
function report(code: string) {
  return (context: ValidationContext | null, error: GraphQLError): void => {
    context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } }));
  };
}
