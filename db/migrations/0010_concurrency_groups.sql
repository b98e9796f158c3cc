ALTER TABLE "pipeline_runs" ADD COLUMN "concurrency_group" text;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ADD COLUMN "concurrency_limit" integer;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ADD COLUMN "concurrency_strategy" text;--> statement-breakpoint
CREATE INDEX "pipeline_runs_concurrency_idx" ON "pipeline_runs" USING btree ("concurrency_group","created_at") WHERE "pipeline_runs"."concurrency_group" is not null and "pipeline_runs"."completed_at" is null;