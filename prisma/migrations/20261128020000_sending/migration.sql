-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "idempotency_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "messages_business_id_idempotency_key_key" ON "messages"("business_id", "idempotency_key");
