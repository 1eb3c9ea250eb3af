import { assertMessageIdPayload } from './assertMessageIdPayload.js';

/** A send job's payload: `{ messageId, sender?, attemptsBefore? }` (sender and attemptsBefore come with pacing; older jobs have only messageId). */
export function sendJobPayload(task: string, payload: unknown): { messageId: string; sender: string | null; attemptsBefore: number } {
  const { messageId } = assertMessageIdPayload(task, payload);
  const p = payload as { sender?: unknown; attemptsBefore?: unknown };
  const sender = typeof p.sender === 'string' && p.sender.length <= 300 ? p.sender : null;
  const attemptsBefore = typeof p.attemptsBefore === 'number' && Number.isInteger(p.attemptsBefore) && p.attemptsBefore > 0 ? p.attemptsBefore : 0;
  return { messageId, sender, attemptsBefore };
}
