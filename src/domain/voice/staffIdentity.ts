// A staff member's identity in Twilio Voice ("client:<identity>" in call parameters). Twilio allows
// letters, digits and underscores, so the UUID's hyphens are dropped: staff_<32 hex digits>.

const IDENTITY = /^staff_([0-9a-f]{32})$/i;

export function staffIdentity(staffId: string): string {
  return `staff_${staffId.replace(/-/g, '').toLowerCase()}`;
}

/** The staff id of an identity, from `staff_<hex>` or `client:staff_<hex>`; null when it is not one. */
export function staffIdFromIdentity(value: string | null | undefined): string | null {
  const match = IDENTITY.exec((value ?? '').trim().replace(/^client:/i, ''));
  if (!match) return null;
  const h = match[1]!.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
