// @ts-check
'use strict';
/**
 * `npm run screenshots`: boots a fresh sandbox (in a temporary folder; .sandbox/ is left alone), plays the
 * conversations in Debian's Chromium as a customer would, and saves the README's pictures into docs/images/:
 *
 *   chat-whatsapp.png    the chat page mid-conversation: order, Pay link, confirmation; the order row and runs beside it
 *   chat-instagram.png   the same on Instagram (a subscription)
 *   checkout.png         the sandbox Stripe checkout page the Pay button opens
 *   n8n-canvas.png       the template on the n8n canvas
 *   n8n-execution.png    the run that sent the Pay link, in n8n's execution view, with its link-sending node open:
 *                        what it received, its parameters, what Meta answered
 *   orders-table.png     the orders data table in n8n
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../tools/register');
const fs = require('node:fs');
const path = require('node:path');
const { startSandbox } = require('../tools/n8n/sandbox');
const { startChatPage } = require('../tools/sandbox/chat/server');
const { launchChromium } = require('../test/browser/chromium');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'images');
const OWNER = { email: 'sandbox@chat-checkout.localhost', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Passw0rd' };
const say = (/** @type {string} */ s) => process.stdout.write(`${s}\n`);

/** @param {import('playwright-core').Page} page @param {string} name */
async function shoot(page, name) {
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	say(`  saved ${path.relative(ROOT, file)}`);
}

/** @param {import('playwright-core').Page} page @param {string} text */
async function type(page, text) {
	await page.fill('#text', text);
	await page.press('#text', 'Enter');
}

/** @param {import('playwright-core').Page} page @param {number} n */
const shopBubbles = (page, n) => page.locator('[data-testid="bubble"][data-from="shop"]').nth(n - 1).waitFor({ timeout: 60_000 });

/** n8n's own pages can show one-time hints; close what is open so the picture shows the workflow. @param {import('playwright-core').Page} page */
async function quietN8n(page) {
	await page.keyboard.press('Escape').catch(() => undefined);
	for (const selector of ['[data-test-id="close-button"]', 'button[aria-label="Close this dialog"]', '.el-dialog__headerbtn', '.el-notification__closeBtn']) {
		for (const button of await page.locator(selector).all()) await button.click({ timeout: 1000 }).catch(() => undefined);
	}
}

async function main() {
	fs.mkdirSync(OUT, { recursive: true });
	say('› booting a fresh sandbox for the pictures …');
	const sandbox = await startSandbox({ owner: OWNER, log: (/** @type {string} */ line) => say(`› ${line}`) });
	const chat = await startChatPage({ sandbox });
	sandbox.stripe.setChatPageUrl(chat.url);
	const browser = await launchChromium({ viewport: { width: 1280, height: 860 } });
	try {
		const { context } = browser;
		say('› WhatsApp: Ada books a room, pays, gets her confirmation');
		const ada = '4915112345678';
		const page = await context.newPage();
		await page.goto(`${chat.url}?channel=whatsapp&customer=${ada}&name=Ada`);
		await page.waitForSelector('body[data-connected="true"]');
		await type(page, 'Hi! I want to book the Deluxe Suite for June 15-17');
		await shopBubbles(page, 1);
		const [checkout] = await Promise.all([context.waitForEvent('page'), page.locator('[data-testid="link-button"]').first().click()]);
		await checkout.waitForLoadState();
		await checkout.setViewportSize({ width: 900, height: 620 });
		await shoot(checkout, 'checkout.png');
		await checkout.click('#btn-pay');
		await checkout.waitForSelector('#notice');
		await checkout.close();
		await shopBubbles(page, 2);
		await page.waitForSelector('[data-testid="order-row"] .status.paid', { timeout: 30_000 });
		await page.waitForFunction(() => /** @type {any} */ (globalThis).document.querySelectorAll('[data-testid="execution"]').length >= 2, undefined, { timeout: 30_000 });
		await shoot(page, 'chat-whatsapp.png');

		say('› Instagram: Ben subscribes to the Pro plan');
		const ig = await context.newPage();
		await ig.goto(`${chat.url}?channel=instagram&customer=7000000000000042`);
		await ig.waitForSelector('body[data-connected="true"]');
		await type(ig, 'Hello! I would like to subscribe to the Pro plan');
		await shopBubbles(ig, 1);
		const session = sandbox.graph.sentTo('7000000000000042')[0].urls[0].split('/').pop();
		await sandbox.stripe.pay(session);
		await shopBubbles(ig, 2);
		await ig.waitForSelector('[data-testid="order-row"] .status.active', { timeout: 30_000 });
		await ig.waitForTimeout(3500); // the runs list refreshes once more after the last message
		await shoot(ig, 'chat-instagram.png');

		say('› n8n: canvas, an execution, the orders table');
		const n8n = await context.newPage();
		await n8n.setViewportSize({ width: 1440, height: 900 });
		await n8n.goto(`${sandbox.n8n.baseUrl}signin`);
		await n8n.fill('input[type="email"]', OWNER.email);
		await n8n.fill('input[type="password"]', OWNER.password);
		await n8n.press('input[type="password"]', 'Enter');
		await n8n.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
		await n8n.goto(`${sandbox.n8n.baseUrl}workflow/${sandbox.workflowId}`);
		await n8n.waitForSelector('.vue-flow__node', { timeout: 60_000 });
		await n8n.waitForTimeout(2500);
		await quietN8n(n8n);
		await n8n.keyboard.press('1').catch(() => undefined); // zoom to fit
		await n8n.waitForTimeout(1000);
		await shoot(n8n, 'n8n-canvas.png');

		const executions = await sandbox.api.listExecutions(sandbox.workflowId);
		const linkRun = executions[executions.length - 1]; // the first run: Ada's order → checkout → Pay link
		await n8n.goto(`${sandbox.n8n.baseUrl}workflow/${sandbox.workflowId}/executions/${linkRun.id}`);
		await n8n.waitForSelector('.vue-flow__node', { timeout: 60_000 });
		await n8n.waitForTimeout(2500);
		await quietN8n(n8n);
		// The node that sent the Pay link, opened: whatever the template names it, it is a Send Chat Message sending a link.
		const workflow = await sandbox.api.getWorkflow(sandbox.workflowId);
		const run = await sandbox.api.getExecution(linkRun.id);
		const sender = workflow.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-chat-checkout.sendChatMessage' && n.parameters?.messageType === 'link' && sandbox.api.nodeOutput(run, n.name).length > 0);
		if (sender) {
			await n8n.locator(`[data-test-id="canvas-node"][data-node-name="${sender.name}"]`).dblclick();
			await n8n.waitForTimeout(2500);
			await shoot(n8n, 'n8n-execution.png');
			await n8n.keyboard.press('Escape');
		} else {
			say('  (no link-sending node ran in that execution: the picture shows the whole run)');
			await shoot(n8n, 'n8n-execution.png');
		}

		const project = await sandbox.api.projectId();
		await n8n.goto(`${sandbox.n8n.baseUrl}projects/${project}/datatables/${sandbox.tableIds.chat_checkout_orders}`);
		await n8n.waitForTimeout(4000);
		await quietN8n(n8n);
		const file = path.join(OUT, 'orders-table.png');
		await n8n.screenshot({ path: file, clip: { x: 0, y: 0, width: 1440, height: 260 } });
		say(`  saved ${path.relative(ROOT, file)}`);
	} finally {
		await browser.close();
		await chat.stop();
		await sandbox.stop();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`\nscreenshots failed: ${error && error.stack ? error.stack : error}\n`);
		process.exit(1);
	},
);
