ALTER TABLE "task_runs" ADD COLUMN "executor" text;--> statement-breakpoint
ALTER TABLE "task_runs" ADD COLUMN "pod_namespace" text;--> statement-breakpoint
CREATE INDEX "task_runs_running_executor_idx" ON "task_runs" USING btree ("executor") WHERE "task_runs"."state" = 'running';