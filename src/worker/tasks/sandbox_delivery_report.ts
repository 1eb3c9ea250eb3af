import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { reportSandboxDelivery } from '../../domain/sending/reportSandboxDelivery.js';
import { assertMessageIdPayload } from '../assertMessageIdPayload.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      sandbox_delivery_report: { messageId: string };
    }
  }
}

/** The sandbox providers' delivery report for one message, a moment after its send. */
export function sandbox_delivery_report(deps: Deps): Task<'sandbox_delivery_report'> {
  return async (payload, helpers) => {
    const { messageId } = assertMessageIdPayload('sandbox_delivery_report', payload);
    const result = await reportSandboxDelivery(deps, { messageId });
    helpers.logger.debug(`message ${messageId}: sandbox report ${result ? `${result.previousStatus} -> ${result.status}` : 'not applicable'}`);
  };
}
