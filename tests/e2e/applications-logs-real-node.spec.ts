import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures';
import { logsApp, realNode, SHOTS } from './support/logs-app';
import { bulk, BULK_LINES, painter, PAINTER_LINES } from './support/log-workloads';

/**
 * The Logs tab with real container logs from the e2e cluster's real node: a Deployment printing ANSI colours
 * (rendered, never run as HTML), timestamps, filter, wrap, download, init and previous containers, follow, every
 * old stream aborted (within the server's 8 followed logs per person), the phone layout; and a Job's 12,000 lines
 * in a virtual list with "jump to latest".
 */
const demo = logsApp({
  app: 'logs-real',
  files: { 'deploy/painter.yaml': painter, 'deploy/bulk.yaml': bulk },
  ready: async () => undefined,
  skip: realNode
    ? undefined
    : 'the e2e cluster has no real node (this host cannot run one; see tests/cluster/README.md)',
});
type Pod = Awaited<ReturnType<typeof demo.podsOf>>[number];
const podsOf = (kind: string, group: string, name: string) => demo.podsOf(kind, group, name);
const openLogs: typeof demo.openLogs = (page, kind, name) => demo.openLogs(page, kind, name);

test.describe('on the real node', () => {
  test('coloured lines stream live, with timestamps, filter, download, previous container and closed streams', async ({
    adminPage: page,
  }) => {
    test.setTimeout(150_000);
    // `flaky` exits after 2 s; once it restarted it has a previous container.
    let seen: Pod[] = [];
    const flakyRestarts = async () => {
      seen = await podsOf('Deployment', 'apps', 'painter');
      return seen[0]?.containers.find((c) => c.name === 'flaky')?.restartCount ?? 0;
    };
    await expect
      .poll(flakyRestarts, { timeout: 90_000 })
      .toBeGreaterThan(0)
      .catch((err: Error) => {
        throw new Error(`${err.message}\npainter's pods: ${JSON.stringify(seen)}`);
      });
    const [pod] = await podsOf('Deployment', 'apps', 'painter');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const aborted: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('/logs?')) aborted.push(new URL(r.url()).searchParams.get('container') ?? '');
    });

    const panel = await openLogs(page, 'Deployment', 'painter');
    const lines = panel.getByTestId('pod-log-lines');
    await expect(panel.getByRole('combobox', { name: 'Container' })).toHaveValue('main');
    for (const l of PAINTER_LINES) await expect(lines).toContainText(l);
    await expect(panel.getByTestId('pod-log-status')).toHaveAttribute('data-phase', 'streaming');

    // ANSI colours as styles; escapes never shown; the markup in a line is text, never an element.
    await expect(lines.locator('span', { hasText: /^INFO$/ })).toHaveCSS('color', 'rgb(137, 202, 120)');
    const error = lines.locator('span', { hasText: /^ERROR$/ });
    await expect(error).toHaveCSS('color', 'rgb(239, 89, 111)');
    await expect(error).toHaveCSS('font-weight', '700');
    await expect(lines.locator('span', { hasText: /^orange-256$/ })).toHaveCSS('color', 'rgb(255, 135, 0)');
    await expect(lines.locator('span', { hasText: /^truecolor-cyan$/ })).toHaveCSS('color', 'rgb(0, 200, 255)');
    await expect(lines.locator('span', { hasText: /^ blue background $/ })).toHaveCSS(
      'background-color',
      'rgb(97, 175, 239)',
    );
    const text = await lines.innerText();
    expect(text.includes('\u001b')).toBe(false);
    expect(text).not.toMatch(/\[\d+(;\d+)*m/);
    await expect(lines.locator('img')).toHaveCount(0);
    await expect(lines.getByText('<img src=x onerror=alert(1)>', { exact: false })).toBeVisible();
    expect(dialogs).toBe(0);

    // Follow: new `tick` lines keep arriving and the newest stays in view.
    await expect(lines).toContainText('tick 3', { timeout: 15_000 });
    await expect(lines.locator('.pl-line').last()).toBeInViewport();

    // Timestamps: a column of UTC times; screenshots on desktop and phone.
    await panel.getByRole('checkbox', { name: 'Timestamps' }).check();
    await expect(lines.locator('.pl-ts').first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    await page.screenshot({ path: `${SHOTS}/pod-logs-1440.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(lines).toContainText('INFO');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await lines.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll, 'long lines scroll sideways inside the log box').toBeGreaterThan(box.client);
    await page.screenshot({ path: `${SHOTS}/pod-logs-390.png` });
    await page.getByRole('checkbox', { name: 'Wrap lines' }).check();
    expect(await lines.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${SHOTS}/pod-logs-390-wrapped.png` });
    await page.getByRole('checkbox', { name: 'Wrap lines' }).uncheck();
    await page.setViewportSize({ width: 1440, height: 900 });

    // Filter: plain text, case-insensitive, matches highlighted; the download saves what is shown.
    const filter = panel.getByLabel('Filter lines');
    await filter.fill('CACHE');
    await expect(lines.locator('.pl-line')).toHaveCount(1);
    await expect(lines.locator('mark')).toHaveText('cache');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${pod.name}-main.log`);
    expect(readFileSync(await download.path(), 'utf8')).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z WARN cache is cold\n$/);
    await filter.press('Escape');
    await expect(filter).toHaveValue('');
    await expect(panel).toBeVisible();

    // The container picker marks the init container; switching closes the old stream.
    const container = panel.getByRole('combobox', { name: 'Container' });
    await expect(container.locator('option', { hasText: 'init: setup' })).toHaveCount(1);
    await container.selectOption('setup');
    await expect(lines).toContainText('setup done');
    await expect.poll(() => aborted).toContain('main');

    // Previous container: only for one that restarted; it shows the earlier run's line.
    await container.selectOption('flaky');
    const previous = panel.getByRole('checkbox', { name: 'Previous container' });
    await expect(previous).toBeEnabled();
    await previous.check();
    // Right after a restart the kubelet may still be switching instances ("unable to retrieve container logs"):
    // the finished stream offers Reload, which asks again.
    await expect(async () => {
      const reload = panel.getByRole('button', { name: 'Reload' });
      if (!(await lines.textContent())?.includes('flaky run at') && (await reload.isVisible())) await reload.click();
      await expect(lines).toContainText(/flaky run at \d+/, { timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await container.selectOption('setup');
    await expect(previous).toBeDisabled();

    // Every change of tail or since opens a new followed stream and aborts the old one: twelve in a row stay
    // within the server's 8 followed logs per person (a leaked stream would make it answer 429).
    await container.selectOption('main');
    const mains = () => aborted.filter((c) => c === 'main').length;
    const tail = panel.getByRole('combobox', { name: 'Tail' });
    const since = panel.getByRole('combobox', { name: 'Since' });
    for (let i = 0; i < 6; i++) {
      await tail.selectOption(i % 2 ? '1000' : '100');
      await expect(lines).toContainText('tick');
      await since.selectOption(i % 2 ? '0' : '300');
      await expect(lines).toContainText('tick');
    }
    await expect.poll(mains).toBeGreaterThanOrEqual(12);
    await expect(panel.getByTestId('pod-log-status')).toHaveAttribute('data-phase', 'streaming');
    await expect(panel.getByRole('alert')).toHaveCount(0);

    // Leaving the tab, and closing the panel, close the stream.
    let before = mains();
    await panel.getByRole('tab', { name: 'Summary' }).click();
    await expect.poll(mains).toBeGreaterThan(before);
    await panel.getByRole('tab', { name: 'Logs' }).click();
    await expect(panel.getByTestId('pod-log-status')).toHaveAttribute('data-phase', 'streaming');
    before = mains();
    await panel.getByRole('button', { name: 'Close panel' }).click();
    await expect.poll(mains).toBeGreaterThan(before);
  });

  test('12,000 lines: tail 10,000 keeps the DOM small, scrolls back to the first kept line and jumps to the latest', async ({
    adminPage: page,
  }) => {
    test.setTimeout(120_000);
    await expect
      .poll(async () => (await podsOf('Job', 'batch', 'bulk'))[0]?.containers[0]?.state, { timeout: 60_000 })
      .toBe('terminated');
    const panel = await openLogs(page, 'Job', 'bulk');
    const lines = panel.getByTestId('pod-log-lines');
    await expect(lines).toHaveAttribute('data-count', '1000');
    const started = Date.now();
    await panel.getByRole('combobox', { name: 'Tail' }).selectOption('10000');
    await expect(lines).toHaveAttribute('data-count', '10000');
    await expect(lines).toContainText(`line ${BULK_LINES} of ${BULK_LINES}`);
    const ms = Date.now() - started;
    console.log(`10,000 lines streamed and shown in ${ms} ms`);
    await expect(panel.getByTestId('pod-log-status')).toHaveAttribute('data-phase', 'ended');
    const rows = await lines.locator('.pl-line').count();
    console.log(`rows in the DOM for 10,000 lines: ${rows}`);
    expect(rows).toBeLessThan(200);

    // Filtering 10,000 lines answers at typing speed.
    const filterStarted = Date.now();
    await panel.getByLabel('Filter lines').fill('line 5000 of');
    await expect(lines).toHaveAttribute('data-count', '1');
    console.log(`filter over 10,000 lines shown in ${Date.now() - filterStarted} ms`);
    await panel.getByLabel('Filter lines').fill('');
    await expect(lines).toHaveAttribute('data-count', '10000');

    await lines.evaluate((el) => (el.scrollTop = 0));
    await expect(lines.locator('.pl-line').first()).toHaveText(`line ${BULK_LINES - 9999} of ${BULK_LINES}`);
    const jump = panel.getByRole('button', { name: /Jump to latest/ });
    await jump.click();
    await expect(lines.getByText(`line ${BULK_LINES} of ${BULK_LINES}`)).toBeInViewport();
    await expect(jump).toHaveCount(0);

    await panel.getByRole('checkbox', { name: 'Wrap lines' }).check();
    await expect(panel.getByRole('note')).toContainText('showing the newest 2,000 of 10,000 lines');
    expect(await lines.locator('.pl-line').count()).toBe(2000);
  });
});
