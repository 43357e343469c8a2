// @ts-check
'use strict';
/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser of its own): the browser tests and
 * `npm run screenshots` use this. CHROMIUM_PATH overrides /usr/bin/chromium. Every launch gets its own fresh
 * profile folder, removed on close, and flags that keep the browser from talking to anything but loopback pages.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
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

/** Why Chromium cannot run here, or null when it can. */
function chromiumMissing() {
	try {
		fs.accessSync(CHROMIUM, fs.constants.X_OK);
		return null;
	} catch {
		return `no Chromium at ${CHROMIUM}: install it (Debian: apt-get install -y chromium; scripts/ensure-chromium.sh does that when it can) or set CHROMIUM_PATH`;
	}
}

/**
 * @param {{ viewport?: { width: number, height: number } }} [o]
 * @returns {Promise<{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext, close: () => Promise<void> }>}
 */
async function launchChromium(o = {}) {
	const missing = chromiumMissing();
	if (missing) throw new Error(missing);
	const { chromium } = require('playwright-core');
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
	const browser = /** @type {import('playwright-core').Browser} */ (context.browser() ?? /** @type {any} */ ({}));
	return {
		browser,
		context,
		close: async () => {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

module.exports = { launchChromium, chromiumMissing, CHROMIUM, FLAGS };
