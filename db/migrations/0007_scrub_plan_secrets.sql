-- Plans made before Secret references kept Secret values in step env and in secretsToMask. Finished
-- TaskRuns never run those plans again: drop every env value that was a Secret's, and the mask list.
-- (A TaskRun still pending or running at the upgrade keeps its plan until it ends; rerun it to be clean.)
UPDATE "task_runs" AS t
SET "plan" = jsonb_set(t."plan", '{steps}', COALESCE((
    SELECT jsonb_agg(
      CASE WHEN jsonb_typeof(s.step->'env') = 'object'
        THEN jsonb_set(s.step, '{env}', COALESCE((
          SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(s.step->'env') AS e
          WHERE NOT (t."plan"->'secretsToMask') ? (e.value #>> '{}')), '{}'::jsonb))
        ELSE s.step END
      ORDER BY s.ord)
    FROM jsonb_array_elements(t."plan"->'steps') WITH ORDINALITY AS s(step, ord)), '[]'::jsonb))
  || '{"secretsToMask": []}'::jsonb
WHERE jsonb_typeof(t."plan"->'secretsToMask') = 'array'
  AND jsonb_array_length(t."plan"->'secretsToMask') > 0
  AND jsonb_typeof(t."plan"->'steps') = 'array'
  AND t."state" IN ('succeeded', 'failed', 'cancelled');
