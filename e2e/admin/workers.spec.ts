// An admin sees which engine each worker trains on: the backend, what computes (native
// TensorFlow and its version where `npm run setup:tensorflow` built it), and why it was chosen;
// /api/health names the same backend. Where a WebGPU adapter exists (CI: lavapipe) it is listed
// with its limits.
import fs from 'node:fs';
import { test, expect } from '../fixtures';

const native = fs.existsSync('node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node') || process.env.HONE_REQUIRE_NATIVE === '1';

test('the workers page and /api/health name the TensorFlow.js backend and its engine', async ({ adminPage: page }) => {
  // The worker started with the app reports its backend once its ML processors have loaded.
  await expect
    .poll(async () => ((await (await page.request.get('/api/health')).json()) as { worker: { backend: string | null } }).worker.backend, { timeout: 60_000 })
    .toBe(native ? 'tensorflow' : 'wasm');
  const health = (await (await page.request.get('/api/health')).json()) as { worker: { engine: string } };
  expect(health.worker.engine).toMatch(native ? /^TensorFlow \d+\.\d+\.\d+ native, through @tensorflow\/tfjs-node/ : /XNNPACK/);

  await page.goto('/admin/workers');
  await expect(page.getByRole('heading', { name: 'Workers' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'train' });
  await expect(row.getByText(native ? 'tensorflow' : 'wasm', { exact: true })).toBeVisible();
  await expect(row.getByText(health.worker.engine)).toBeVisible();
  if (process.env.HONE_REQUIRE_WEBGPU === '1') {
    // CI installs lavapipe: the worker reports the WebGPU adapter it found, with its limits, as a
    // software renderer that automatic selection did not take.
    await expect(row.getByText(/^llvmpipe/)).toBeVisible();
    await expect(row.getByText('software', { exact: true })).toBeVisible();
    await expect(row.getByText('not used', { exact: true })).toBeVisible();
    await expect(row.getByText(/max binding \d+ MiB/)).toBeVisible();
  }
  await page.screenshot({ path: 'test-results/workers-desktop.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/workers-phone.png', fullPage: true });
});
