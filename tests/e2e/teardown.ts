// Removes the relay data folder that playwright.config.ts made for this run.
import { rmSync } from 'node:fs';

export default function teardown() {
  const dir = process.env.CHARTER_E2E_DATA;
  if (dir && process.env.CHARTER_E2E_DATA_MADE === '1') {
    rmSync(dir, { recursive: true, force: true });
  }
}
