import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => principal);
