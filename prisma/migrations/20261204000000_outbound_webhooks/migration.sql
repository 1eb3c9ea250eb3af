-- Outbound webhooks (src/domain/outboundWebhooks): endpoints of a business, the deliveries of
-- inbox events to them (dispatched from the inbox event log after commit, never inside the
-- transaction that wrote the event) and every attempt of a delivery. Also the horizon of each
-- business's log: the newest position pruned, below which a cursor has missed events (CURSOR_EXPIRED).

CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    -- Event types delivered; empty: every type.
    "event_types" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    -- Why it is disabled: 'manual', 'gone' (the receiver answered 410) or 'failing' (failing for N days).
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    -- whsec_ secrets, AES-256-GCM encrypted (src/domain/outboundWebhooks/secretBox.ts).
    "secret_encrypted" TEXT NOT NULL,
    "previous_secret_encrypted" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    -- The dispatcher's place in the business's event log: events after it are not yet queued here.
    "cursor_xid" xid8 NOT NULL,
    "cursor_id" BIGINT NOT NULL DEFAULT 0,
    -- Events this snapshot saw were committed before the endpoint existed: never delivered.
    "start_snapshot" pg_snapshot,
    -- First failure of the current run of failures (null after a success).
    "failing_since" TIMESTAMPTZ(3),
    -- One deliverer at a time per endpoint (order): a lease, not a lock, so no transaction stays open during HTTP.
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_endpoints_business_id_created_at_idx" ON "webhook_endpoints"("business_id", "created_at");
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "webhook_deliveries" (
    -- Queue order of an endpoint: deliveries go out one at a time, by id.
    "id" BIGSERIAL NOT NULL,
    "business_id" TEXT NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" BIGINT NOT NULL,
    -- 'pending', 'delivered' or 'failed' (its retries ran out). A disabled endpoint's pending deliveries wait.
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    -- A manual redelivery or a replay: the delivery it repeats, or why it was queued.
    "trigger" TEXT NOT NULL DEFAULT 'event',
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_deliveries_endpoint_id_id_idx" ON "webhook_deliveries"("endpoint_id", "id");
CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries"("endpoint_id", "id") WHERE "status" = 'pending';
CREATE INDEX "webhook_deliveries_event_id_idx" ON "webhook_deliveries"("event_id");
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "inbox_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "webhook_attempts" (
    "id" BIGSERIAL NOT NULL,
    "business_id" TEXT NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "delivery_id" BIGINT NOT NULL,
    -- null: no answer (timeout, refused address, connection error: see error).
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,
    -- The first KB of the answer's body.
    "response_body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_attempts_delivery_id_id_idx" ON "webhook_attempts"("delivery_id", "id");
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The newest (xid, id) position pruned from a business's event log (pruneInboxEvents).
CREATE TABLE "inbox_event_horizons" (
    "business_id" TEXT NOT NULL,
    "xid" xid8 NOT NULL,
    "event_id" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_horizons_pkey" PRIMARY KEY ("business_id")
);
ALTER TABLE "inbox_event_horizons" ADD CONSTRAINT "inbox_event_horizons_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
