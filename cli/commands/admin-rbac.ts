import type { Command } from 'commander';
import { ZRbacConfigView } from '../../lib/schemas/rbac';
import { request } from '../client';
import { resolveTarget } from '../config';

/** `keelson admin rbac get`: the effective argocd-rbac-cm (apply a changed copy with `keelson apply -f`). */
export function registerAdminRbac(program: Command): void {
  const opts = () => program.opts<{ server?: string; token?: string; output?: string }>();
  const rbac = program
    .command('admin')
    .description('Server administration')
    .command('rbac')
    .description('The RBAC policy (argocd-rbac-cm)');
  rbac
    .command('get')
    .description('Print the effective argocd-rbac-cm ConfigMap as YAML (-o json for JSON)')
    .action(async () => {
      const view = await request(resolveTarget(opts()), 'GET', '/api/v1/settings/rbac', ZRbacConfigView);
      console.log(opts().output === 'json' ? JSON.stringify(view.configMap, null, 2) : view.yaml.trimEnd());
    });
}
