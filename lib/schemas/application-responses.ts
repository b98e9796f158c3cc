import { z } from 'zod';
import type {
  TApplication,
  TApplicationList,
  THistoryEntry,
  TOperationState,
  TResourceDetail,
  TResourceStatus,
  TResourceTree,
} from './applications';

/**
 * Application answers as the UI reads them. The status shapes are plain types written by the
 * controller; the UI checks the fields it relies on and keeps the rest as sent.
 */
const checked = <T>(schema: z.ZodType) => z.custom<T>((value) => schema.safeParse(value).success);
const ZSummary = z.looseObject({
  name: z.string(),
  sync: z.string(),
  health: z.string(),
  repoURL: z.string(),
  cluster: z.string(),
  namespace: z.string(),
});
export const ZApplicationList = checked<TApplicationList>(
  z.looseObject({ items: z.array(ZSummary), total: z.number(), facets: z.looseObject({}) }),
);
export const ZApplication = checked<TApplication>(
  z.looseObject({
    metadata: z.looseObject({ name: z.string() }),
    spec: z.looseObject({ source: z.looseObject({}), destination: z.looseObject({}) }),
    status: z.looseObject({
      sync: z.looseObject({}),
      health: z.looseObject({}),
      resources: z.array(z.looseObject({})),
      conditions: z.array(z.looseObject({})),
    }),
  }),
);
export const ZOperationState = checked<TOperationState>(z.looseObject({ id: z.string(), phase: z.string() }));
export const ZHistoryList = checked<{ items: THistoryEntry[] }>(
  z.looseObject({ items: z.array(z.looseObject({ id: z.number(), revision: z.string() })) }),
);
export const ZResourceTree = checked<TResourceTree>(
  z.looseObject({ nodes: z.array(z.looseObject({ key: z.string(), kind: z.string(), parents: z.array(z.string()) })) }),
);
export const ZResourceDetail = checked<TResourceDetail>(
  z.looseObject({ key: z.string(), diff: z.string(), events: z.array(z.looseObject({})) }),
);
export type TResourceDiff = TResourceStatus & { diff: string };
const ZDiffItem = z.looseObject({ kind: z.string(), name: z.string(), diff: z.string() });
/** The contract says `resources`; the route answers `items` (with name, revision, hasDiff): accept both. */
export const ZResourceDiffs = checked<{ resources?: TResourceDiff[]; items?: TResourceDiff[] }>(
  z.looseObject({ resources: z.array(ZDiffItem).optional(), items: z.array(ZDiffItem).optional() }),
);
