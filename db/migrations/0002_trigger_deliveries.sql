CREATE TABLE "trigger_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event" text,
	"outcome" text NOT NULL,
	"http_status" integer NOT NULL,
	"reason" text,
	"run_name" text,
	"delivery_id" text
);
--> statement-breakpoint
CREATE INDEX "trigger_deliveries_trigger_idx" ON "trigger_deliveries" USING btree ("trigger","received_at");