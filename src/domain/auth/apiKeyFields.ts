/** Every column of an API key except its hash: what listings and mutations may load and show. */
export const API_KEY_PUBLIC_FIELDS = {
  id: true,
  businessId: true,
  scope: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;
