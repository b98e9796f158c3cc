import { z } from 'zod';

/** One permission question, as `argocd account can-i ACTION RESOURCE OBJECT` asks it. */
export const ZCanICheck = z.strictObject({
  resource: z.string().min(1).max(64),
  action: z.string().min(1).max(256),
  object: z.string().max(512).default('*'),
});
export type TCanICheck = z.input<typeof ZCanICheck>;

export const ZCanIAnswer = z.object({ allowed: z.boolean(), answer: z.enum(['yes', 'no']) });
export type TCanIAnswer = z.infer<typeof ZCanIAnswer>;

/** Several questions at once, for a page's buttons: answers in the same order. */
export const ZCanIBatch = z.strictObject({ checks: z.array(ZCanICheck).min(1).max(200) });
export const ZCanIResults = z.object({ results: z.array(z.boolean()) });
export type TCanIResults = z.infer<typeof ZCanIResults>;
