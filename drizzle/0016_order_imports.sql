-- CSV order imports as background jobs: the uploaded file, its mapping, progress and per-row
-- errors (the first 1,000), and the checked rows staged until one final transaction writes them.
CREATE TABLE "order_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"content" text,
	"bytes" integer NOT NULL,
	"header" jsonb NOT NULL,
	"mapping" jsonb,
	"total_rows" integer NOT NULL,
	"rows_done" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created" integer,
	"updated" integer,
	"unchanged" integer,
	"contacts_created" integer,
	"failure" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);--> statement-breakpoint
ALTER TABLE "order_imports" ADD CONSTRAINT "order_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_imports_created_idx" ON "order_imports" USING btree ("created_at");--> statement-breakpoint
-- Unlogged, without foreign key or index: written once per row in bulk, read by its import, and
-- emptied by it. A crash empties it, which costs nothing: an interrupted import starts again from
-- the stored file.
CREATE UNLOGGED TABLE "order_import_rows" (
	"import_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"external_id" text NOT NULL,
	"contact_id" uuid,
	"identity_kind" "identity_kind",
	"identity_value" text,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"original_amount" numeric(14, 2),
	"original_currency" text,
	"ordered_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
-- (contact_id, ordered_at) serves every lookup by contact: one index less to write per order.
DROP INDEX IF EXISTS "orders_contact_idx";--> statement-breakpoint
-- An order in an accepted foreign currency is stored converted to the base currency; the amount
-- and currency the shop sent are kept beside it.
ALTER TABLE "orders" ADD COLUMN "original_amount" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "original_currency" text;
