import type { Command } from 'commander';
import { ZCanIAnswer } from '../../lib/schemas/access';
import { request } from '../client';
import type { Target } from '../config';
import { conforming } from '../responses';

const ZCanIReply = conforming(ZCanIAnswer);

/**
 * `keelson account can-i ACTION RESOURCE [OBJECT]`, as `argocd account can-i sync applications 'default/*'`:
 * prints `yes` or `no` and exits 0 either way (a failed request is an error, exit 1).
 */
export function registerAccountCanI(account: Command, target: () => Target): void {
  account
    .command('can-i <action> <resource> [object]')
    .description("Can I do ACTION on RESOURCE (OBJECT: '<project>/<name>' for project resources, default *)? yes or no")
    .addHelpText(
      'after',
      `
Examples:
  keelson account can-i sync applications 'default/*'
  keelson account can-i create pipelineruns team-a/build
  keelson account can-i update accounts alice`,
    )
    .action(async (action: string, resource: string, object: string | undefined) => {
      const query = new URLSearchParams({ resource, action, object: object ?? '*' });
      const reply = await request(target(), 'GET', `/api/v1/account/can-i?${query}`, ZCanIReply);
      console.log(reply.answer);
    });
}
