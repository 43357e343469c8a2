/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser of its own): the browser tests and
 * `npm run screenshots` use this. CHROMIUM_PATH overrides /usr/bin/chromium. Every launch gets its own fresh
 * profile folder, removed on close, and flags that keep the browser from talking to anything but loopback pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

export interface LaunchedChromium {
	browser: Browser;
	context: BrowserContext;
	close: () => Promise<void>;
}

/** Why Chromium cannot run here, or null when it can. */
export function chromiumMissing(): string | null {
	try {
		fs.accessSync(CHROMIUM, fs.constants.X_OK);
		return null;
	} catch {
		return `no Chromium at ${CHROMIUM}: install it (Debian: apt-get install -y chromium; scripts/ensure-chromium.sh does that when it can) or set CHROMIUM_PATH`;
	}
}

export async function launchChromium(o: { viewport?: { width: number; height: number } } = {}): Promise<LaunchedChromium> {
	const missing = chromiumMissing();
	if (missing) throw new Error(missing);
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-chromium-'));
	// A persistent context is how playwright passes a --user-data-dir: a fresh, empty one per launch.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		viewport: o.viewport ?? { width: 1280, height: 860 },
		deviceScaleFactor: 1,
		timeout: 60_000,
	});
	// A persistent context has no Browser object of its own in some playwright versions: callers use `context`.
	const browser = context.browser() ?? ({} as Browser);
	return {
		browser,
		context,
		close: async () => {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
