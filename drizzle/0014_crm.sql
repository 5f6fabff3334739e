-- Analytical CRM: customer-value fits and per-contact predictions, contact merges (undoable),
-- merge suggestions. Orders already exist (0000); reports need them by date.
CREATE INDEX "orders_ordered_at_idx" ON "orders" USING btree ("ordered_at");--> statement-breakpoint
CREATE INDEX "orders_contact_ordered_idx" ON "orders" USING btree ("contact_id", "ordered_at");--> statement-breakpoint
-- Reports select conversations and messages by their time.
CREATE INDEX "conversations_created_idx" ON "conversations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
-- One row per successful fit: BG/NBD and Gamma-Gamma parameters, log-likelihoods, sample sizes.
CREATE TABLE "clv_fits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"as_of" date NOT NULL,
	"time_unit_days" integer NOT NULL,
	"horizon_days" integer NOT NULL,
	"customers" integer NOT NULL,
	"repeat_customers" integer NOT NULL,
	"params" jsonb NOT NULL,
	"bg_nbd_log_likelihood" double precision NOT NULL,
	"gamma_gamma_log_likelihood" double precision NOT NULL,
	"fitted_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "clv_fits_fitted_idx" ON "clv_fits" USING btree ("fitted_at");--> statement-breakpoint
-- The latest prediction per contact (replaced by each fit) and its RFM scores and segment.
CREATE TABLE "contact_values" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"fit_id" uuid,
	"as_of" date NOT NULL,
	"frequency" integer NOT NULL,
	"recency_days" integer NOT NULL,
	"age_days" integer NOT NULL,
	"days_since_last" integer,
	"monetary" double precision NOT NULL,
	"historic_value" numeric(14, 2) NOT NULL,
	"probability_alive" double precision NOT NULL,
	"expected_purchases" double precision NOT NULL,
	"horizon_days" integer NOT NULL,
	"predicted_value" numeric(14, 2) NOT NULL,
	"rfm" text NOT NULL,
	"segment" text NOT NULL,
	"fitted_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
ALTER TABLE "contact_values" ADD CONSTRAINT "contact_values_contact_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_values" ADD CONSTRAINT "contact_values_fit_id_fk" FOREIGN KEY ("fit_id") REFERENCES "public"."clv_fits"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_values_predicted_idx" ON "contact_values" USING btree ("predicted_value");--> statement-breakpoint
CREATE INDEX "contact_values_segment_idx" ON "contact_values" USING btree ("segment");--> statement-breakpoint
-- A merge keeps what it moved so it can be undone within a day.
CREATE TABLE "contact_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"moved" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone
);--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_target_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_source_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_merges" ADD CONSTRAINT "contact_merges_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_merges_target_idx" ON "contact_merges" USING btree ("target_id", "created_at");
