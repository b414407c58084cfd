/** Waits on the inventory screen shared by the browser suites. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Until the search spinner is gone and the grid is no longer busy: the rows on screen are final. */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.search__spinner, [role="grid"][aria-busy="true"]').count()).toBe(0);
}

/** Opens the inventory with no remembered layout (columns, sort, filters) and waits for its rows. */
export async function openFreshInventory(h: { page: Page; origin: string }): Promise<void> {
  await h.page.evaluate(() => localStorage.clear());
  await h.page.goto(`${h.origin}/index.html#/inventory`);
  await h.page.waitForSelector('[data-row-id]', { timeout: 20_000 });
}
