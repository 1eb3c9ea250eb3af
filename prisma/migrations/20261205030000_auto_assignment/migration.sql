-- Auto-assignment (src/domain/assignment): per location, off by default. A new conversation's first
-- inbound message, or an inbound message that reopens a snoozed or archived one, hands an
-- unassigned conversation to the next available staff member of its location, round-robin, each
-- under the location's capacity of open assigned conversations.

-- online: may be auto-assigned; away: is not (set by the staff member's session or an API key).
CREATE TYPE "staff_availability" AS ENUM ('online', 'away');

ALTER TABLE "staff"
    ADD COLUMN "availability" "staff_availability" NOT NULL DEFAULT 'online',
    ADD COLUMN "availability_changed_at" TIMESTAMPTZ(3);

ALTER TABLE "locations"
    ADD COLUMN "auto_assign" BOOLEAN NOT NULL DEFAULT false,
    -- Most open conversations a staff member may hold (all locations counted) and still be auto-assigned here.
    ADD COLUMN "auto_assign_capacity" INTEGER NOT NULL DEFAULT 10,
    -- The round-robin's place: the staff member auto-assigned last at this location.
    ADD COLUMN "auto_assign_last_staff_id" UUID,
    ADD CONSTRAINT "locations_auto_assign_capacity_check" CHECK ("auto_assign_capacity" BETWEEN 1 AND 1000);

ALTER TABLE "locations" ADD CONSTRAINT "locations_auto_assign_last_staff_id_fkey" FOREIGN KEY ("auto_assign_last_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
