-- Onboarding (step inputs, email domains, provisioned number ids), session tokens (revocation
-- notifications), the rate limiter's counters and installation secrets.

-- AlterTable
ALTER TABLE "locations" ADD COLUMN     "sms_number_sid" TEXT;

-- AlterTable
ALTER TABLE "onboarding_steps" ADD COLUMN     "input" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "email_domains" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_domain_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "records" JSONB NOT NULL DEFAULT '[]',
    "region" TEXT,
    "verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_domains_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_counters" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "previous_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_counters_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "instance_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_secrets_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "sessions_api_key_id_idx" ON "sessions"("api_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_domains_business_id_domain_key" ON "email_domains"("business_id", "domain");

-- CreateIndex
CREATE INDEX "rate_limit_counters_window_start_idx" ON "rate_limit_counters"("window_start");

-- AddForeignKey
ALTER TABLE "email_domains" ADD CONSTRAINT "email_domains_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Revoking (or deleting) a session or an API key NOTIFYs every gateway process on channel
-- omega_credentials_revoked with "session:<id>" or "api_key:<id>", delivered at COMMIT, so open
-- graphql-ws connections authenticated by it are closed at once wherever they are
-- (src/events/revocationBus.ts). Not expressible in Prisma's schema, kept in SQL only.
CREATE OR REPLACE FUNCTION "omega_notify_credential_revoked"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('omega_credentials_revoked', TG_ARGV[0] || ':' || OLD."id"::text);
  ELSIF OLD."revoked_at" IS NULL AND NEW."revoked_at" IS NOT NULL THEN
    PERFORM pg_notify('omega_credentials_revoked', TG_ARGV[0] || ':' || NEW."id"::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "sessions_notify_revoked"
AFTER UPDATE OF "revoked_at" OR DELETE ON "sessions"
FOR EACH ROW EXECUTE FUNCTION "omega_notify_credential_revoked"('session');

CREATE TRIGGER "api_keys_notify_revoked"
AFTER UPDATE OF "revoked_at" OR DELETE ON "api_keys"
FOR EACH ROW EXECUTE FUNCTION "omega_notify_credential_revoked"('api_key');
