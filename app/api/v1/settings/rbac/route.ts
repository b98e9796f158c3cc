import { accessContracts } from '@/lib/schemas/contracts/access';
import { applyRbacConfig } from '@/lib/server/access/apply-rbac-config';
import { getRbacConfig } from '@/lib/server/access/get-rbac-config';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';
import { documentBody } from '../../projects/_lib/document-body';

const C = accessContracts['/api/v1/settings/rbac'];

export const GET = route({ contract: C.get }, async ({ principal }) => getRbacConfig(deps(), principal));

/** Argo CD's argocd-rbac-cm ConfigMap, unchanged (JSON or YAML); needs `rbac, update, *`. */
export const PUT = route({ contract: C.put }, async ({ req, principal }) =>
  applyRbacConfig(deps(), principal, await documentBody(req)),
);
