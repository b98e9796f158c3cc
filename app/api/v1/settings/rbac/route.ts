import { applyRbacConfig } from '@/lib/server/access/apply-rbac-config';
import { getRbacConfig } from '@/lib/server/access/get-rbac-config';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';
import { documentBody } from '../../projects/_lib/document-body';

export const GET = route({}, async ({ principal }) => getRbacConfig(deps(), principal));

/** Argo CD's argocd-rbac-cm ConfigMap, unchanged (JSON or YAML); needs `rbac, update, *`. */
export const PUT = route({}, async ({ req, principal }) => applyRbacConfig(deps(), principal, await documentBody(req)));
