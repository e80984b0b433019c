// Browser tests in Debian's Chromium (never a downloaded browser) against a Hone started by
// scripts/e2e-server.ts on its own port, database and Redis prefix.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
const prod = process.env.E2E_PROD === '1';
export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password-1' };
/** The server's HONE_MODELS_DIR (scripts/e2e-server.ts); specs write Hugging Face folders into it. */
export const E2E_MODELS_DIR = `var/e2e-${port}/models`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: `test-results/e2e-${port}`,
  timeout: prod ? 60_000 : 180_000,
  expect: { timeout: prod ? 10_000 : 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
    },
  },
  webServer: {
    command: `npx tsx scripts/e2e-server.ts`,
    url: `http://localhost:${port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      E2E_PORT: String(port),
      E2E_PROD: prod ? '1' : '0',
      HONE_ADMIN_EMAIL: E2E_ADMIN.email,
      HONE_ADMIN_PASSWORD: E2E_ADMIN.password,
    },
  },
});
