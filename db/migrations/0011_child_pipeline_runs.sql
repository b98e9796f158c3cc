ALTER TABLE "pipeline_runs" ADD COLUMN "parent_run_id" uuid;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ADD COLUMN "parent_task" text;--> statement-breakpoint
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_parent_run_id_pipeline_runs_id_fk" FOREIGN KEY ("parent_run_id") REFERENCES "public"."pipeline_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pipeline_runs_parent_idx" ON "pipeline_runs" USING btree ("parent_run_id");