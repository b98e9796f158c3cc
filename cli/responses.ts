/**
 * What the CLI reads from the REST API, checked before use. A schema here only checks the answer: the
 * value the CLI gets back is the server's JSON as sent (so `-o json` prints every field, in its order).
 */
import { z } from 'zod';
import { ZPrincipal } from '../lib/schemas/errors';
import { ZCluster, ZRepository } from '../lib/schemas/gitops';
import { zItems } from '../lib/schemas/list';
import { ZPipelineRun, ZRunPage, ZTaskRun } from '../lib/schemas/pipeline-runs';
import type { TAppDiff } from '../lib/schemas/applications';
import { ZCreatedRun, ZPipelineDetail, ZPipelineSummary } from '../lib/schemas/pipelines';
import { ZApiToken, ZCreatedToken } from '../lib/schemas/tokens';

/** The answer as sent, typed by `shape` (which must not transform) once it conforms. */
export const conforming = <S extends z.ZodType>(shape: S) =>
  z.custom<z.input<S>>((value) => shape.safeParse(value).success);

/** The answer as sent, typed as `T` once the fields the CLI relies on are there (`T` is a plain type). */
const checked = <T>(shape: z.ZodType) => z.custom<T>((value) => shape.safeParse(value).success);

export const ZMeAnswer = conforming(ZPrincipal.pick({ username: true, name: true, role: true, groups: true }));
export const ZSessionTokenAnswer = conforming(ZCreatedToken.pick({ token: true }));
export const ZVersionAnswer = conforming(z.looseObject({ version: z.string() }));
export const ZTokenList = conforming(zItems(ZApiToken));
export const ZCreatedTokenAnswer = conforming(ZCreatedToken);

export const ZPipelineList = conforming(zItems(ZPipelineSummary));
export const ZPipelineDetailAnswer = conforming(ZPipelineDetail);
/** GET /api/v1/pipelines/{name} as `pipeline start` reads it: the declared params. */
export const ZPipelineParams = conforming(
  z.looseObject({
    document: z.looseObject({
      spec: z.looseObject({
        params: z
          .array(z.looseObject({ name: z.string(), type: z.string().optional(), default: z.unknown() }))
          .optional(),
      }),
    }),
  }),
);
export const ZCreatedRunAnswer = conforming(ZCreatedRun);
export const ZRunPageAnswer = conforming(ZRunPage);
export const ZPipelineRunAnswer = conforming(ZPipelineRun);
export type TPipelineRunAnswer = z.infer<typeof ZPipelineRunAnswer>;
export const ZTaskRunAnswer = conforming(ZTaskRun);
export const ZTaskRunList = conforming(zItems(ZTaskRun));
/** One SSE `chunk` event of a TaskRun's log stream. */
export const ZLogChunk = z.object({ step: z.string(), lines: z.array(z.object({ text: z.string() })) });

const ZNamed = z.looseObject({ kind: z.string(), name: z.string() });
export const ZApplyAnswer = conforming(
  z.looseObject({
    applied: z.array(ZNamed.extend({ action: z.string() })),
    runs: z.array(ZNamed.extend({ kind: z.enum(['PipelineRun', 'TaskRun']), id: z.string() })),
    /** Applied anyway; printed to stderr so scripts reading stdout are unaffected. */
    warnings: z.array(z.looseObject({ path: z.string(), message: z.string() })).optional(),
  }),
);

export const ZRepositoryAnswer = conforming(ZRepository.pick({ url: true }));
export const ZRepositoryList = conforming(zItems(ZRepository.pick({ url: true, hasCredentials: true })));
const ZClusterFields = ZCluster.pick({ name: true, server: true, serverVersion: true });
export const ZClusterAnswer = conforming(ZClusterFields);
export const ZClusterList = conforming(zItems(ZClusterFields));

export const ZAppDiffAnswer = checked<TAppDiff>(
  z.looseObject({ hasDiff: z.boolean(), items: z.array(z.looseObject({ key: z.string(), diff: z.string() })) }),
);
