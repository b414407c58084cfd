import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

/**
 * Debian's Chromium, driven by Playwright. Never `playwright install`: the
 * browser comes from apt (DEVELOPERS.md). The background-networking flags keep
 * Chromium from calling out of this offline machine.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
