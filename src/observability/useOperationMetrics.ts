import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Metrics } from './createMetrics.js';

/** Distinct operation names kept as labels per process; later new names count as `other`. */
const MAX_OPERATION_NAMES = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * GraphQL metrics as an envelop plugin (yoga over HTTP and graphql-ws both run through it):
 * omega_graphql_operation_duration_seconds per executed operation (name, type, errored) and
 * omega_graphql_subscriptions_open. Operation names come from clients, so the label set is bounded:
 * `anonymous` without a name, `other` past the first MAX_OPERATION_NAMES names (or a name longer
 * than 64 characters). (envelop types an operation's document and name as `any`, to fit every
 * graphql version: cast here.)
 */
export function useOperationMetrics(metrics: Metrics): Plugin {
  const names = new Set<string>();
  const labels = (document: DocumentNode, operationName: string | null | undefined) => {
    const op = getOperationAST(document, operationName);
    const name = op?.name?.value;
    let label = 'anonymous';
    if (name !== undefined) {
      if (NAME.test(name) && (names.has(name) || names.size < MAX_OPERATION_NAMES)) {
        names.add(name);
        label = name;
      } else label = 'other';
    }
    return { operation_name: label, operation_type: op?.operation ?? 'unknown' };
  };
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errored = !isAsyncIterable(result) && (result.errors?.length ?? 0) > 0;
          metrics.graphqlOperationDuration.observe(
            { ...labels(args.document as DocumentNode, args.operationName as string | null | undefined), errored: String(errored) },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
    onSubscribe({ args }) {
      const started = performance.now();
      return {
        onSubscribeResult({ result }) {
          const streaming = isAsyncIterable(result);
          const errored = !streaming && (result.errors?.length ?? 0) > 0;
          metrics.graphqlOperationDuration.observe(
            { ...labels(args.document as DocumentNode, args.operationName as string | null | undefined), errored: String(errored) },
            (performance.now() - started) / 1000,
          );
          if (!streaming) return;
          metrics.subscriptionsOpen.inc();
          let open = true;
          return {
            onEnd() {
              if (!open) return;
              open = false;
              metrics.subscriptionsOpen.dec();
            },
          };
        },
      };
    },
  };
}
