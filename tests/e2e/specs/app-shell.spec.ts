// The app's own files: fetched from the network once, then from the browser's cache.
import { expect, test } from '@playwright/test';
import { createWorkspace } from './support';

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

/** WCAG relative luminance of an `rgb(r, g, b)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('"Not set" reads at 4.5:1 and the focus ring stands out at 3:1 or more', async ({ page }) => {
  await createWorkspace(page, 'Contrast Ltd');
  await page.getByRole('button', { name: 'Add objective', exact: true }).click();
  const form = page.getByRole('form', { name: 'New objective' });
  await form.getByLabel('Title', { exact: true }).fill('Something to measure');
  await form.getByRole('button', { name: 'Save objective' }).click();
  const unset = page.getByText('Not set').first();
  await expect(unset).toBeVisible();
  const text = await unset.evaluate((el) => getComputedStyle(el).color);
  // The first background behind the text that is not transparent.
  const card = await unset.evaluate((el) => {
    for (let at: Element | null = el; at; at = at.parentElement) {
      const colour = getComputedStyle(at).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
        return colour;
      }
    }
    return 'rgb(255, 255, 255)';
  });
  expect(contrast(text, card)).toBeGreaterThanOrEqual(4.5);
  // Keyboard focus on a button of the page.
  const edit = page.getByRole('button', { name: 'Edit Something to measure', exact: true });
  await edit.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const ring = await edit.evaluate((el) => getComputedStyle(el).outlineColor);
  const page_ = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(contrast(ring, page_)).toBeGreaterThanOrEqual(3);
});
