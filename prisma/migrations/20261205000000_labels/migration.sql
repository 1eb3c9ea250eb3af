-- Labels (src/domain/labels): a business's labels, and labels on conversations in a table of their
-- own (conversations' rows are rewritten by every message: no column or index is added there).
-- Also the index behind the `mentions` view: notes that mention staff.

CREATE TABLE "labels" (
    "id" UUID NOT NULL DEFAULT omega_uuid_v7(),
    "business_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    -- "#rrggbb", lower case.
    "color" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labels_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "labels_business_id_name_idx" ON "labels"("business_id", "name");
-- A name is unique per business whatever its case (Prisma cannot declare an expression index).
CREATE UNIQUE INDEX "labels_business_id_lower_name_key" ON "labels"("business_id", lower("name"));
ALTER TABLE "labels" ADD CONSTRAINT "labels_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "conversation_labels" (
    "conversation_id" UUID NOT NULL,
    "label_id" UUID NOT NULL,
    "business_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_labels_pkey" PRIMARY KEY ("conversation_id", "label_id")
);
-- The list filter and the facets: a label's conversations.
CREATE INDEX "conversation_labels_business_id_label_id_conversation_id_idx" ON "conversation_labels"("business_id", "label_id", "conversation_id");
CREATE INDEX "conversation_labels_label_id_idx" ON "conversation_labels"("label_id");
ALTER TABLE "conversation_labels" ADD CONSTRAINT "conversation_labels_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "businesses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "conversation_labels" ADD CONSTRAINT "conversation_labels_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "conversation_labels" ADD CONSTRAINT "conversation_labels_label_id_fkey" FOREIGN KEY ("label_id") REFERENCES "labels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The mentions view: notes that mention someone, by staff member (GIN on the uuid array), small
-- (only such notes are in it). Declared in SQL only (a partial index).
CREATE INDEX "messages_note_mentions_idx" ON "messages" USING GIN ("mention_staff_ids") WHERE "channel" = 'note' AND cardinality("mention_staff_ids") > 0;
