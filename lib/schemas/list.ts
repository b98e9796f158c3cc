import { z } from 'zod';

/** The `{ items: [...] }` envelope every list endpoint of the REST API answers with. */
export const zItems = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
