import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Tracer } from './tracer.js';

/**
 * A span per GraphQL operation (OpenTelemetry on): `graphql <type> <name>`, with
 * graphql.operation.name and graphql.operation.type, an error status when the result has errors.
 * yoga executes with graphql-tools' executor, not graphql-js's execute, so OpenTelemetry's GraphQL
 * instrumentation sees parse and validate only; this covers execution (subscriptions: until their
 * source stream is set up). The operation's resolvers' pg statements and HTTP calls are its children.
 */
export function useOperationTracing(tracer: Tracer): Plugin {
  const begin = (document: DocumentNode, operationName: string | null | undefined) => {
    const op = getOperationAST(document, operationName);
    const name = (op?.name?.value ?? 'anonymous').slice(0, 100);
    const type = op?.operation ?? 'unknown';
    return tracer.startSpan(`graphql ${type} ${name}`, { 'graphql.operation.name': name, 'graphql.operation.type': type });
  };
  return {
    onExecute({ args }) {
      const span = begin(args.document as DocumentNode, args.operationName as string | null | undefined);
      return {
        onExecuteDone({ result }) {
          span.end(!isAsyncIterable(result) && (result.errors?.length ?? 0) > 0);
        },
      };
    },
    onSubscribe({ args }) {
      const span = begin(args.document as DocumentNode, args.operationName as string | null | undefined);
      return {
        onSubscribeResult({ result }) {
          span.end(!isAsyncIterable(result) && (result.errors?.length ?? 0) > 0);
        },
        onSubscribeError() {
          span.end(true);
        },
      };
    },
  };
}
