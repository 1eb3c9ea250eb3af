-- CreateFunction (hand-written; Prisma does not manage functions)
-- omega_uuid_v7(): a time-ordered UUID version 7 (RFC 9562), the default of every uuid id.
-- PostgreSQL 15 has no built-in uuidv7() (that arrives in PostgreSQL 18), so it is built from a
-- random version 4 UUID: its first 48 bits are replaced by the Unix time in milliseconds
-- (clock_timestamp(), so ids generated inside one transaction still advance), and the version
-- nibble is turned from 4 (0100) into 7 (0111) by setting bits 52 and 53; the variant bits (10)
-- and the remaining 74 bits stay those of gen_random_uuid(). Plain SQL, no PL/pgSQL.
CREATE OR REPLACE FUNCTION omega_uuid_v7() RETURNS uuid
LANGUAGE sql
VOLATILE
AS $$
  SELECT encode(
    set_bit(
      set_bit(
        overlay(
          uuid_send(gen_random_uuid())
          PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6
        ),
        52, 1
      ),
      53, 1
    ),
    'hex'
  )::uuid
$$;

-- CreateEnum
CREATE TYPE "conversation_status" AS ENUM ('open', 'snoozed', 'archived');

-- CreateEnum
CREATE TYPE "channel" AS ENUM ('sms', 'email', 'voice', 'note');

-- CreateEnum
CREATE TYPE "direction" AS ENUM ('inbound', 'outbound', 'internal');

-- CreateEnum
CREATE TYPE "message_status" AS ENUM ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'received', 'recorded');

-- CreateEnum
CREATE TYPE "voice_call_status" AS ENUM ('queued', 'initiated', 'ringing', 'in_progress', 'completed', 'busy', 'no_answer', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "api_key_scope" AS ENUM ('service', 'business');

-- CreateEnum
CREATE TYPE "step_status" AS ENUM ('pending', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "businesses" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "businesses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "locations" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "external_id" TEXT,
    "name" TEXT NOT NULL,
    "time_zone" TEXT,
    "address" TEXT,
    "sms_phone_number" TEXT,
    "messaging_service_sid" TEXT,
    "email_from" TEXT,
    "email_from_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "external_id" TEXT,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "role" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "location_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clients" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "external_id" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "phones" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "home_location_id" UUID,
    "type" TEXT,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sms_opt_out" BOOLEAN NOT NULL DEFAULT false,
    "sms_opt_out_at" TIMESTAMPTZ(3),
    "email_suppressed" BOOLEAN NOT NULL DEFAULT false,
    "email_suppressed_at" TIMESTAMPTZ(3),
    "email_suppression_reason" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "client_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,
    "status" "conversation_status" NOT NULL DEFAULT 'open',
    "snoozed_until" TIMESTAMPTZ(3),
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "assignee_id" UUID,
    "last_message_at" TIMESTAMPTZ(3),
    "last_message_preview" TEXT,
    "last_message_channel" "channel",
    "last_message_direction" "direction",
    "last_inbound_at" TIMESTAMPTZ(3),
    "last_outbound_at" TIMESTAMPTZ(3),
    "unread_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_reads" (
    "conversation_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "business_id" TEXT NOT NULL,
    "last_read_at" TIMESTAMPTZ(3),
    "last_read_message_id" UUID,
    "unread_count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_reads_pkey" PRIMARY KEY ("conversation_id","staff_id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "location_id" UUID,
    "channel" "channel" NOT NULL,
    "direction" "direction" NOT NULL,
    "status" "message_status" NOT NULL,
    "body" TEXT,
    "subject" TEXT,
    "html" TEXT,
    "from_address" TEXT,
    "to_address" TEXT,
    "media" JSONB NOT NULL DEFAULT '[]',
    "provider" TEXT,
    "provider_message_id" TEXT,
    "request_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "author_staff_id" UUID,
    "mention_staff_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "scheduled_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "seen_at" TIMESTAMPTZ(3),
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_events" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" "message_status",
    "provider" TEXT,
    "provider_event_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "voice_calls" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "conversation_id" UUID,
    "client_id" UUID,
    "location_id" UUID,
    "staff_id" UUID,
    "message_id" UUID,
    "direction" "direction" NOT NULL,
    "status" "voice_call_status" NOT NULL DEFAULT 'queued',
    "provider_call_sid" TEXT,
    "from_number" TEXT,
    "to_number" TEXT,
    "duration_seconds" INTEGER,
    "recording_url" TEXT,
    "recording_seconds" INTEGER,
    "started_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "voice_calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT,
    "scope" "api_key_scope" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "staff_id" UUID NOT NULL,
    "api_key_id" UUID,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "onboardings" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "status" "step_status" NOT NULL DEFAULT 'pending',
    "request" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "onboardings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "onboarding_steps" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "onboarding_id" UUID NOT NULL,
    "business_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "step_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "result" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_events" (
    "id" BIGSERIAL NOT NULL,
    "business_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "conversation_id" UUID,
    "message_id" UUID,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "locations_sms_phone_number_key" ON "locations"("sms_phone_number");

-- CreateIndex
CREATE INDEX "locations_messaging_service_sid_idx" ON "locations"("messaging_service_sid");

-- CreateIndex
CREATE UNIQUE INDEX "locations_business_id_external_id_key" ON "locations"("business_id", "external_id");

-- CreateIndex
CREATE INDEX "staff_business_id_last_name_first_name_idx" ON "staff"("business_id", "last_name", "first_name");

-- CreateIndex
CREATE UNIQUE INDEX "staff_business_id_external_id_key" ON "staff"("business_id", "external_id");

-- CreateIndex
CREATE INDEX "clients_business_id_last_name_first_name_idx" ON "clients"("business_id", "last_name", "first_name");

-- CreateIndex
CREATE INDEX "clients_phones_idx" ON "clients" USING GIN ("phones");

-- CreateIndex
CREATE INDEX "clients_emails_idx" ON "clients" USING GIN ("emails");

-- CreateIndex
CREATE INDEX "clients_groups_idx" ON "clients" USING GIN ("groups");

-- CreateIndex
CREATE UNIQUE INDEX "clients_business_id_external_id_key" ON "clients"("business_id", "external_id");

-- CreateIndex
CREATE INDEX "conversations_business_id_pinned_last_message_at_id_idx" ON "conversations"("business_id", "pinned" DESC, "last_message_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_business_id_status_last_message_at_id_idx" ON "conversations"("business_id", "status", "last_message_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_business_id_assignee_id_last_message_at_id_idx" ON "conversations"("business_id", "assignee_id", "last_message_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "conversations_client_id_idx" ON "conversations"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversations_business_id_client_id_location_id_key" ON "conversations"("business_id", "client_id", "location_id");

-- CreateIndex
CREATE INDEX "conversation_reads_business_id_staff_id_idx" ON "conversation_reads"("business_id", "staff_id");

-- CreateIndex
CREATE INDEX "messages_conversation_id_created_at_id_idx" ON "messages"("conversation_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "messages_business_id_request_id_idx" ON "messages"("business_id", "request_id");

-- CreateIndex
CREATE INDEX "messages_business_id_status_created_at_idx" ON "messages"("business_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_provider_provider_message_id_key" ON "messages"("provider", "provider_message_id");

-- CreateIndex
CREATE INDEX "message_events_message_id_created_at_idx" ON "message_events"("message_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_events_provider_provider_event_id_key" ON "message_events"("provider", "provider_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "voice_calls_message_id_key" ON "voice_calls"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "voice_calls_provider_call_sid_key" ON "voice_calls"("provider_call_sid");

-- CreateIndex
CREATE INDEX "voice_calls_business_id_created_at_idx" ON "voice_calls"("business_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_business_id_idx" ON "api_keys"("business_id");

-- CreateIndex
CREATE INDEX "sessions_staff_id_idx" ON "sessions"("staff_id");

-- CreateIndex
CREATE INDEX "sessions_business_id_idx" ON "sessions"("business_id");

-- CreateIndex
CREATE UNIQUE INDEX "onboardings_business_id_key" ON "onboardings"("business_id");

-- CreateIndex
CREATE UNIQUE INDEX "onboarding_steps_onboarding_id_name_key" ON "onboarding_steps"("onboarding_id", "name");

-- CreateIndex
CREATE INDEX "inbox_events_business_id_id_idx" ON "inbox_events"("business_id", "id");

-- AddForeignKey
ALTER TABLE "locations" ADD CONSTRAINT "locations_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff" ADD CONSTRAINT "staff_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_home_location_id_fkey" FOREIGN KEY ("home_location_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_staff_id_fkey" FOREIGN KEY ("author_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "onboardings" ADD CONSTRAINT "onboardings_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "onboarding_steps" ADD CONSTRAINT "onboarding_steps_onboarding_id_fkey" FOREIGN KEY ("onboarding_id") REFERENCES "onboardings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_events" ADD CONSTRAINT "inbox_events_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddCheckConstraint (hand-written)
-- A `service` API key belongs to no business and a `business` key to exactly one. The Prisma schema
-- language has no way to declare a CHECK constraint (so `prisma migrate diff` neither creates nor
-- drops it), hence it lives only here.
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scope_business_check" CHECK (("scope" = 'service' AND "business_id" IS NULL) OR ("scope" = 'business' AND "business_id" IS NOT NULL));
