import type { Plugin } from 'graphql-yoga';
import { costLimitRule } from './costLimitRule.js';
import { depthLimitRule } from './depthLimitRule.js';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
}

/**
 * Adds the depth and cost rules to validation, for GraphQL over HTTP and graphql-ws alike (both
 * validate through yoga's envelop). A refused operation never starts executing.
 */
export function useOperationLimits(limits: OperationLimits): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimitRule(limits.maxDepth));
      addValidationRule(costLimitRule(limits.maxCost));
    },
  };
}
