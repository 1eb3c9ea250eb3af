const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The { businessId, campaignId } every campaign job carries, checked. */
export function campaignPayload(task: string, payload: unknown): { businessId: string; campaignId: string } {
  const { businessId, campaignId } = (payload ?? {}) as { businessId?: unknown; campaignId?: unknown };
  if (typeof businessId !== 'string' || typeof campaignId !== 'string' || !UUID.test(campaignId)) {
    throw new Error(`internal error: ${task} expects a payload { "businessId": "<id>", "campaignId": "<uuid>" }, got ${JSON.stringify(payload)}`);
  }
  return { businessId, campaignId };
}
