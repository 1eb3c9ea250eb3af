-- Sign-in links (issue 18): a business or service key mints a single-use link for one staff member;
-- opening it (POST /auth/sign-in) starts a session and sets the omega_session cookie
-- (src/domain/auth/createSignInLink.ts, redeemSignInLink.ts). Like API keys, only the SHA-256 hash
-- of the token is stored. A link is used once: redeeming it sets used_at in one UPDATE ... WHERE
-- used_at IS NULL, and session_id names the session it started. Links die with their business,
-- staff member or the key that minted them.

CREATE TABLE "sign_in_links" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "token_hash" TEXT NOT NULL,
    "business_id" TEXT NOT NULL,
    "staff_id" UUID NOT NULL,
    -- The key that minted it: a link of a key revoked since is refused.
    "api_key_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "session_id" UUID,

    CONSTRAINT "sign_in_links_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "sign_in_links_token_hash_key" ON "sign_in_links"("token_hash");
CREATE INDEX "sign_in_links_business_id_idx" ON "sign_in_links"("business_id");
CREATE INDEX "sign_in_links_staff_id_idx" ON "sign_in_links"("staff_id");
CREATE INDEX "sign_in_links_api_key_id_idx" ON "sign_in_links"("api_key_id");
-- The hourly prune (prune_sign_in_links) deletes links a day past their expiry.
CREATE INDEX "sign_in_links_expires_at_idx" ON "sign_in_links"("expires_at");

ALTER TABLE "sign_in_links" ADD CONSTRAINT "sign_in_links_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sign_in_links" ADD CONSTRAINT "sign_in_links_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sign_in_links" ADD CONSTRAINT "sign_in_links_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sign_in_links" ADD CONSTRAINT "sign_in_links_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
