// The headless Chromium the browser tests drive: FAULTLINE_CHROMIUM if set (a system browser), else
// the one @sparticuz/chromium unpacks from the npm registry, so `npm ci && npm test` needs nothing
// else. The flags keep it offline and quiet on a closed network; they are not the package's Lambda
// defaults, which turn web security off and would weaken the XSS checks.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const skipBrowser = process.env.FAULTLINE_SKIP_BROWSER === '1';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function chromiumPath(): Promise<string> {
  const system = process.env.FAULTLINE_CHROMIUM;
  if (system !== undefined && system !== '') {
    if (!existsSync(system)) throw new Error(`[faultline] FAULTLINE_CHROMIUM is ${system}, and there is no file there. Unset it to use the bundled Chromium.`);
    return system;
  }
  const bundled = (await import('@sparticuz/chromium')).default;
  return bundled.executablePath();
}

/** A fresh browser context with its own profile; `close()` removes the profile too. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'faultline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumPath(),
    args: ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
