import { expect, test } from './support/fixtures';

const RUN = 'e2e-graph-resize';

// Two columns: narrower than the desktop box (centred there), wider than a phone's at zoom 1.
const DOCUMENT = `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${RUN}}
spec:
  pipelineSpec:
    tasks:
      - {name: fetch, taskSpec: {steps: [{name: s, image: alpine, script: echo fetch}]}}
      - {name: build, runAfter: [fetch], taskSpec: {steps: [{name: s, image: alpine, script: echo build}]}}
      - {name: test, runAfter: [fetch], taskSpec: {steps: [{name: s, image: alpine, script: echo test}]}}
`;

const NODES = ['fetch', 'build', 'test'];

/**
 * The run page's graph fits its box again when the window is resized: opened at 1280 (centred) and narrowed
 * to 390, every task is inside the box (it kept the desktop's offset: an empty box on a phone), and back.
 */
test('the run graph re-fits when the window goes from desktop to phone width', async ({ adminPage: page }) => {
  const applied = await page.request.post('/api/v1/apply', {
    data: DOCUMENT,
    headers: { 'content-type': 'application/yaml' },
  });
  expect(applied.status(), await applied.text()).toBe(201);
  const graph = page.getByTestId('pipeline-graph');
  // The tasks whose node lies wholly inside the graph's box.
  const inBox = async () => {
    const b = await graph.boundingBox();
    const inside: string[] = [];
    for (const name of NODES) {
      const n = await page.getByTestId(`graph-node-${name}`).boundingBox();
      if (b && n && n.x >= b.x && n.x + n.width <= b.x + b.width && n.y >= b.y && n.y + n.height <= b.y + b.height)
        inside.push(name);
    }
    return inside;
  };
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/runs/${RUN}`);
    await expect(page.getByTestId('run-status')).toContainText('Succeeded', { timeout: 60_000 });
    await expect.poll(inBox).toEqual(NODES);
    await page.screenshot({ path: 'test-results/screenshots/graph-resize-1280.png' });

    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(inBox, { timeout: 5_000 }).toEqual(NODES);
    await page.screenshot({ path: 'test-results/screenshots/graph-resize-390.png', fullPage: true });

    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(inBox, { timeout: 5_000 }).toEqual(NODES);
    await page.screenshot({ path: 'test-results/screenshots/graph-resize-back-1280.png' });
  } finally {
    // shell.spec expects empty Pipelines and Runs pages.
    await page.request.delete(`/api/v1/pipelineruns/${RUN}`);
  }
});
