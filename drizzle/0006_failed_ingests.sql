-- Poison messages: an inbound payload that cannot be stored (or that its channel cannot read)
-- is kept here with the error, and the webhook or receiver moves on. Admins retry or discard.
-- The raw payload is bytes: it may hold what text and jsonb columns cannot (NUL).
CREATE TABLE "failed_ingests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inbox_id" uuid NOT NULL,
	"source" text NOT NULL,
	"payload" bytea NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text NOT NULL,
	"state" text DEFAULT 'failed' NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "failed_ingests_source" CHECK ("source" IN ('webhook', 'receiver')),
	CONSTRAINT "failed_ingests_state" CHECK ("state" IN ('failed', 'retried', 'discarded'))
);--> statement-breakpoint
ALTER TABLE "failed_ingests" ADD CONSTRAINT "failed_ingests_inbox_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "failed_ingests_open_idx" ON "failed_ingests" USING btree ("inbox_id", "created_at") WHERE "state" = 'failed';
