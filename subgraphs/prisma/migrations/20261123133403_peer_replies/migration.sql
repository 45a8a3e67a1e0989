-- AlterTable
ALTER TABLE "incoming_assignment" ADD COLUMN     "agreement_id" TEXT;

-- AlterTable
ALTER TABLE "peer_message" ADD COLUMN     "reply" TEXT;
