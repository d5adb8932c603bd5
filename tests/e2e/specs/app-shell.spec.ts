// The app's own files: fetched from the network once, then from the browser's cache.
import { expect, test } from '@playwright/test';

test('the favicon is fetched from the network once, however many pages are visited', async ({ page, context }) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const fetched: string[] = [];
  cdp.on('Network.responseReceived', (event) => {
    const { url, fromDiskCache, fromServiceWorker, fromPrefetchCache } = event.response;
    if (url.includes('/favicon-') && !fromDiskCache && !fromServiceWorker && !fromPrefetchCache) {
      fetched.push(url);
    }
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Open a sample workspace' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  const sections = page.getByRole('navigation', { name: 'Workspace sections' });
  for (const name of ['Objectives', 'People and roles', 'Resources', 'Policies', 'Training', 'Commitment', 'Overview']) {
    await sections.getByRole('link', { name }).click();
    await expect(sections.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  expect(fetched).toHaveLength(1);
  // Content-hashed, so it is kept for a year without asking again.
  const response = await page.request.get(fetched[0]);
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});
