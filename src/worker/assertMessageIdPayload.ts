const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job payloads carry ids only: `{ messageId }`. Anything else is an internal error naming the task and payload. */
export function assertMessageIdPayload(task: string, payload: unknown): { messageId: string } {
  const messageId = (payload as { messageId?: unknown } | null)?.messageId;
  if (typeof messageId !== 'string' || !UUID.test(messageId)) {
    throw new Error(`internal error: ${task} expects a payload { "messageId": "<uuid>" }, got ${JSON.stringify(payload)}`);
  }
  return { messageId };
}
