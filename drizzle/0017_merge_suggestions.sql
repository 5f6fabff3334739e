-- Merge suggestions: pairs of contacts that are probably one person (contact_a < contact_b), why,
-- and how sure; a dismissed pair is kept so it is never suggested again.
CREATE TABLE "merge_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_a" uuid NOT NULL,
	"contact_b" uuid NOT NULL,
	"reasons" jsonb NOT NULL,
	"score" double precision NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"merge_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merge_suggestions_order" CHECK ("contact_a" < "contact_b"),
	CONSTRAINT "merge_suggestions_status" CHECK ("status" in ('open', 'accepted', 'dismissed'))
);--> statement-breakpoint
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_contact_a_fk" FOREIGN KEY ("contact_a") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_contact_b_fk" FOREIGN KEY ("contact_b") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_merge_id_fk" FOREIGN KEY ("merge_id") REFERENCES "public"."contact_merges"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_suggestions" ADD CONSTRAINT "merge_suggestions_decided_by_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merge_suggestions_pair_key" ON "merge_suggestions" USING btree ("contact_a", "contact_b");--> statement-breakpoint
CREATE INDEX "merge_suggestions_open_idx" ON "merge_suggestions" USING btree ("score") WHERE "status" = 'open';--> statement-breakpoint
CREATE INDEX "merge_suggestions_contact_b_idx" ON "merge_suggestions" USING btree ("contact_b");--> statement-breakpoint
-- Telegram contacts who shared their own phone: the few messages carrying a contact card.
CREATE INDEX "messages_shared_contact_idx" ON "messages" USING btree ((("meta" -> 'contact') ->> 'phone')) WHERE "meta" ? 'contact';--> statement-breakpoint
-- The inbox list filters by value tier (segment: contact_values_segment_idx).
CREATE INDEX "contacts_tier_filter_idx" ON "contacts" USING btree ("tier") WHERE "tier" IS NOT NULL;
