import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { relayBinary } from './target-dir.cjs';

// The relay serves the release build in ../../dist; scripts/test.sh builds both first. The relay
// is wherever Cargo's target directory is (CARGO_TARGET_DIR and build.target-dir are honoured).
const RELAY = relayBinary();
const PORT = Number(process.env.CHARTER_E2E_PORT ?? 8099);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Each run's relay keeps its sync log in a fresh folder, so runs never see each other's rooms.
if (!process.env.CHARTER_E2E_DATA) {
  process.env.CHARTER_E2E_DATA = mkdtempSync(path.join(tmpdir(), 'charter-e2e-'));
  process.env.CHARTER_E2E_DATA_MADE = '1'; // teardown.ts removes only a folder made here
}
const DATA_DIR = process.env.CHARTER_E2E_DATA;

// Debian's Chromium, installed by scripts/setup.sh: Playwright downloads no browser here.
const CHROMIUM = process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './specs',
  globalTeardown: './teardown.ts',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores, shared with the relay and the browser.
  workers: process.env.CI ? 1 : undefined,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    // The app writes dates, money and numbers as the browser's language does (src/ui/locale.rs):
    // a fixed language and time zone keep what the journeys read the same on every machine.
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `"${RELAY}" --port ${PORT} --dist ../../dist --data-dir "${DATA_DIR}"`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stderr: 'pipe',
  },
});
