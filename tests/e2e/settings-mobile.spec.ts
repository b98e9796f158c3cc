import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, screenshot, test } from './support/fixtures';

/** A repository with one commit, so its HEAD resolves when Settings adds it. */
function repoWithACommit(): { url: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'keelson-e2e-settings-'));
  const work = path.join(dir, 'work');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: work,
      env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: 'pipe',
    });
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  writeFileSync(path.join(work, 'README'), 'settings on a phone\n');
  git('add', 'README');
  git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'first');
  execFileSync('git', ['clone', '-q', '--bare', work, path.join(dir, 'a-repository-with-a-rather-long-name.git')]);
  return { url: `file://${path.join(dir, 'a-repository-with-a-rather-long-name.git')}`, dir };
}

/** Settings → Repositories with a row fits a phone: the table scrolls inside its card, not the page. */
test('the repositories list fits a phone', async ({ adminPage: page }, info) => {
  const repo = repoWithACommit();
  const added = await page.request.post('/api/v1/repositories', { data: { url: repo.url } });
  expect(added.status(), await added.text()).toBeLessThan(300);
  try {
    await page.goto('/settings/repositories');
    await expect(page.getByRole('table', { name: 'Repositories' })).toContainText('rather-long-name');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'settings-repositories-phone', info.project.name);
  } finally {
    await page.request.delete(`/api/v1/repositories?url=${encodeURIComponent(repo.url)}`);
    rmSync(repo.dir, { recursive: true, force: true });
  }
});
