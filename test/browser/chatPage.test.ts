/**
 * The sandbox's chat page in a real Chromium (Debian's, driven by playwright-core) against a real n8n 2.x with
 * the packed pack and the template; Meta, Stripe and the model are the loopback simulators. The browser is the
 * customer's phone: it types, taps and pays, and everything it sees came through n8n.
 */
import type { Page } from 'playwright-core';
import { finishedRunItems } from '../e2e/harness/runItems';
import { chromiumMissing, launchChromium, type LaunchedChromium } from './chromium';
import type { N8nJson, WorkflowNode } from '../../tools/n8n/api';
import { type Sandbox, startSandbox } from '../../tools/n8n/sandbox';
import { eventually } from '../../tools/wait';
import { type ChatPage, startChatPage } from '../../tools/sandbox/chat/server';

const missing = chromiumMissing();
if (missing) process.stdout.write(`\n[browser tests] SKIPPED: ${missing}\n\n`);
const describeWithChromium = missing ? describe.skip : describe;

/** The little of the page's DOM the callbacks below read (they run in Chromium; this project's TypeScript has no DOM lib). */
interface PageElement {
	href: string;
	textContent: string | null;
	dataset: Record<string, string | undefined>;
}
interface PageGlobals {
	document: { querySelector: (selector: string) => PageElement | null; querySelectorAll: (selector: string) => { length: number } };
	location: { href: string };
}

let sandbox: Sandbox;
let chat: ChatPage;
let browser: LaunchedChromium;
let nextCustomer = 0;

/** A made-up customer id of Meta's shape, unique in this run. */
function newCustomer(channel: 'whatsapp' | 'instagram'): string {
	nextCustomer += 1;
	return channel === 'whatsapp' ? `49152${String(Date.now()).slice(-6)}${String(nextCustomer).padStart(2, '0')}` : `71${String(Date.now()).slice(-10)}${String(nextCustomer).padStart(4, '0')}`;
}

/** A tab with the chat page open as this customer, once its live stream is connected. */
async function openChat(channel: 'whatsapp' | 'instagram', customer?: string, name = 'Ada'): Promise<Page> {
	const page = await browser.context.newPage();
	const query = customer ? `?${new URLSearchParams({ channel, customer, name })}` : `?channel=${channel}`;
	await page.goto(`${chat.url}${query}`);
	await page.waitForSelector('body[data-connected="true"]', { timeout: 15_000 });
	return page;
}

const bubbles = (page: Page, from: 'shop' | 'customer') => page.locator(`[data-testid="bubble"][data-from="${from}"]`);

async function type(page: Page, text: string) {
	await page.fill('#text', text);
	await page.press('#text', 'Enter');
}

/** Waits until the tab shows at least n bubbles from one side; returns their texts. */
async function waitForBubbles(page: Page, from: 'shop' | 'customer', n: number): Promise<string[]> {
	await bubbles(page, from).nth(n - 1).waitFor({ timeout: 60_000 });
	return bubbles(page, from).allTextContents();
}

/** The trigger item of this customer's message in a finished run of the template (newest first), once there is one. */
async function triggerItemOf(node: 'WhatsApp Trigger' | 'Instagram Trigger', customer: string, what: string): Promise<N8nJson> {
	const [item] = await eventually(what, async () => {
		const found = await finishedRunItems(sandbox, sandbox.workflowId, node, (i) => i.chatRef?.userId === customer, 30);
		return found.length > 0 ? found : undefined;
	}, 60_000);
	return item;
}

/**
 * A small workflow beside the template: an n8n Webhook, then one real Send Chat Message node per message shape
 * it can send on the channel, to the customer named in the webhook body — so the page shows the exact bodies the
 * node builds, as the Graph simulator received them.
 */
function shapesWorkflow(channel: 'whatsapp' | 'instagram', credential: { id: string; name: string }, path: string) {
	const to = "={{ $('Webhook').item.json.body.to }}";
	const shapes: Array<[string, Record<string, unknown>]> = [
		['Text', { messageType: 'text', text: 'Welcome to *Grand Hotel*! Rooms: https://grand-hotel.example/rooms' }],
		['Link button', { messageType: 'link', text: 'Your booking page', url: 'http://127.0.0.1:9/booking/42', buttonLabel: 'Open booking' }],
		['Link as plain text', { messageType: 'link', text: 'Or copy this link:', url: 'http://127.0.0.1:9/booking/43', linkAsPlainText: true }],
		['Reply buttons', { messageType: 'buttons', text: 'Which room would you like?', buttons: { button: [{ title: 'Deluxe Room', id: 'room:deluxe' }, { title: 'Standard Room', id: 'room:standard' }] } }],
	];
	if (channel === 'whatsapp') shapes.push(['Template', { messageType: 'template', templateName: 'booking_reminder', templateLanguage: 'en_US', templateParameters: { parameter: [{ text: 'Ada' }, { text: 'June 15' }] } }]);
	const credentialType = channel === 'whatsapp' ? 'chatCheckoutWhatsAppApi' : 'chatCheckoutInstagramApi';
	const nodes: WorkflowNode[] = [
		{ id: 'webhook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: path, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived' } },
		...shapes.map(([name, parameters], i) => ({
			id: `send-${i}`,
			name,
			type: 'n8n-nodes-chat-checkout.sendChatMessage',
			typeVersion: 1,
			position: [220 * (i + 1), 0],
			credentials: { [credentialType]: credential },
			parameters: { destination: 'explicit', channel, recipientId: to, ...parameters },
		})),
	];
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	nodes.slice(0, -1).forEach((node, i) => {
		connections[node.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	});
	return { name: `Chat page shapes (${channel})`, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Publishes the shapes workflow for a channel once; returns its webhook URL. */
const shapeUrls: Record<string, string> = {};
async function shapesUrl(channel: 'whatsapp' | 'instagram'): Promise<string> {
	if (shapeUrls[channel]) return shapeUrls[channel];
	const template = await sandbox.api.getWorkflow(sandbox.workflowId);
	const type = channel === 'whatsapp' ? 'chatCheckoutWhatsAppApi' : 'chatCheckoutInstagramApi';
	const credential = template.nodes.find((n: WorkflowNode) => n.credentials?.[type]).credentials[type];
	const path = `chat-page-shapes-${channel}`;
	const id = await sandbox.api.importWorkflow(shapesWorkflow(channel, credential, path));
	await sandbox.api.publishWorkflow(id);
	shapeUrls[channel] = sandbox.n8n.webhookUrl(path);
	return shapeUrls[channel];
}

/** The shop sends the customer every shape, through the real Send Chat Message node. */
async function sendEveryShape(channel: 'whatsapp' | 'instagram', customer: string, count: number) {
	const response = await fetch(await shapesUrl(channel), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: customer }) });
	expect(response.status).toBe(200);
	return sandbox.graph.waitForSends(count, { to: customer, timeoutMs: 60_000 });
}

beforeAll(async () => {
	if (missing) return;
	sandbox = await startSandbox({ log: (line: string) => process.stdout.write(`[sandbox] ${line}\n`) });
	chat = await startChatPage({ sandbox });
	sandbox.stripe.setChatPageUrl(chat.url);
	browser = await launchChromium();
}, 1_500_000); // a first run installs n8n (3–6 min here)

afterAll(async () => {
	await browser?.close();
	await chat?.stop();
	await sandbox?.stop();
});

describeWithChromium('the chat page in Chromium', () => {
	it('a customer orders, taps Pay, pays on the checkout page and sees the confirmation; the side panel shows the order and its runs', async () => {
		const customer = newCustomer('whatsapp');
		const page = await openChat('whatsapp', customer, 'Ada');
		expect(await page.locator('#me').textContent()).toContain(customer);

		await type(page, 'I want to book the Deluxe Suite for June 15-17');
		const [said] = await waitForBubbles(page, 'customer', 1);
		expect(said).toContain('I want to book the Deluxe Suite for June 15-17');
		expect(await page.locator('.delivery-error').count()).toBe(0); // n8n answered the signed webhook 200

		await waitForBubbles(page, 'shop', 1);
		const [linkSend] = sandbox.graph.sentTo(customer);
		const checkoutUrl: string = linkSend.body.interactive.action.parameters.url;
		const payButton = bubbles(page, 'shop').first().locator('[data-testid="link-button"]');
		expect(await payButton.getAttribute('href')).toBe(checkoutUrl);
		expect(await payButton.textContent()).toContain(linkSend.body.interactive.action.parameters.display_text);
		expect(await bubbles(page, 'shop').first().textContent()).toContain(linkSend.body.interactive.body.text);

		// The Pay button opens the checkout in a new tab, as a phone opens the browser.
		const [checkout] = await Promise.all([browser.context.waitForEvent('page'), payButton.click()]);
		await checkout.waitForLoadState();
		expect(checkout.url()).toBe(checkoutUrl);
		await checkout.click('#btn-pay');
		await checkout.waitForSelector('#notice');
		expect(await checkout.textContent('#notice')).toContain('Payment succeeded');

		// The shop's confirmation arrives in the chat as Stripe's signed event makes n8n send it.
		const shopTexts = await waitForBubbles(page, 'shop', 2);
		const confirmation = sandbox.graph.sentTo(customer)[1];
		expect(shopTexts[1]).toContain(confirmation.body.text.body);
		expect(confirmation.body.text.body).toMatch(/payment received/i);

		// Return to merchant → the success page → back to this customer's chat.
		await checkout.click('p.ret a');
		expect(await checkout.textContent('#headline')).toBe('Thank you — payment received');
		await checkout.click('#back-to-chat');
		await checkout.waitForSelector('body[data-connected="true"]');
		expect(new URL(checkout.url()).searchParams.get('customer')).toBe(customer);
		expect(await bubbles(checkout, 'shop').count()).toBe(2);
		await checkout.close();

		// Beside the chat: the order row as n8n's data table holds it, and this customer's runs in the editor.
		const sessionId = checkoutUrl.slice(checkoutUrl.lastIndexOf('/') + 1);
		const row = page.locator(`[data-testid="order-row"][data-session="${sessionId}"]`);
		await page.waitForFunction((id) => {
			const el = (globalThis as unknown as PageGlobals).document.querySelector(`[data-testid="order-row"][data-session="${id}"] .status`);
			return el && el.textContent === 'paid';
		}, sessionId, { timeout: 30_000 });
		expect(await row.textContent()).toContain('398.00 USD');
		const [stored] = (await sandbox.orders()).filter((r) => r.sessionId === sessionId);
		expect(stored).toMatchObject({ status: 'paid', userId: customer, channel: 'whatsapp' });

		await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid="execution"]').length >= 2, undefined, { timeout: 30_000 });
		const links = await page.locator('[data-testid="execution"] a').evaluateAll((as) => as.map((a: PageElement) => a.href));
		// The DM's run (conversation workflow) and the payment's (payments workflow), each linked into its workflow.
		const known = new Set<string>();
		for (const id of Object.values(sandbox.workflowIds as Record<string, string>)) {
			for (const e of await sandbox.api.listExecutions(id)) known.add(`${id}/executions/${e.id}`);
		}
		const linkedWorkflows = new Set<string>();
		for (const href of links) {
			const match = new RegExp(`^${sandbox.n8n.baseUrl}workflow/(\\w+)/executions/(\\w+)$`).exec(href);
			expect(match).not.toBeNull();
			const [, workflowId, executionId] = match as RegExpExecArray;
			expect(known.has(`${workflowId}/executions/${executionId}`)).toBe(true);
			linkedWorkflows.add(workflowId);
		}
		expect([...linkedWorkflows].sort()).toEqual(Object.values(sandbox.workflowIds as Record<string, string>).sort());
		await page.close();
	});

	it('two tabs are two customers: each sees only its own conversation and orders', async () => {
		// Tabs opened without a customer make up their own (kept in the tab's sessionStorage).
		const first = await openChat('whatsapp');
		const second = await openChat('whatsapp');
		const idOf = async (page: Page) => new URL(page.url()).searchParams.get('customer') as string;
		const [a, b] = [await idOf(first), await idOf(second)];
		expect(a).toMatch(/^\d{13}$/);
		expect(b).toMatch(/^\d{13}$/);
		expect(a).not.toBe(b);

		await type(first, 'I want to book the Deluxe Suite for June 15-17');
		await type(second, 'I would like to subscribe to the Pro plan');
		const firstShop = await waitForBubbles(first, 'shop', 1);
		const secondShop = await waitForBubbles(second, 'shop', 1);
		expect(firstShop.join('\n')).toContain('Deluxe');
		expect(firstShop.join('\n')).not.toContain('Pro plan');
		expect(secondShop.join('\n')).toContain('Pro plan');
		expect(secondShop.join('\n')).not.toContain('Deluxe');
		expect(await bubbles(first, 'customer').allTextContents()).toEqual([expect.stringContaining('Deluxe Suite')]);
		expect(await bubbles(second, 'customer').allTextContents()).toEqual([expect.stringContaining('Pro plan')]);
		// What each tab shows is what the shop sent to that customer, and nothing else.
		expect(sandbox.graph.sentTo(a)).toHaveLength(1);
		expect(sandbox.graph.sentTo(b)).toHaveLength(1);

		await first.waitForSelector('[data-testid="order-row"]', { timeout: 30_000 });
		await second.waitForSelector('[data-testid="order-row"]', { timeout: 30_000 });
		expect(await first.locator('[data-testid="order-row"]').allTextContents()).toEqual([expect.stringContaining('Deluxe')]);
		expect(await second.locator('[data-testid="order-row"]').allTextContents()).toEqual([expect.stringContaining('Pro plan')]);

		// "New customer" starts another conversation in the same tab.
		await first.click('#new-customer');
		await first.waitForFunction((old) => new URL((globalThis as unknown as PageGlobals).location.href).searchParams.get('customer') !== old, a);
		expect(await idOf(first)).not.toBe(a);
		await first.waitForSelector('body[data-connected="true"]');
		expect(await bubbles(first, 'shop').count()).toBe(0);
		await first.close();
		await second.close();
	});

	it('WhatsApp: every shape Send Chat Message sends renders, and a tapped reply button reaches n8n as Meta\'s signed button_reply', async () => {
		const customer = newCustomer('whatsapp');
		const page = await openChat('whatsapp', customer, 'Chloe');
		const sends = await sendEveryShape('whatsapp', customer, 5);
		await waitForBubbles(page, 'shop', 5);
		const shop = bubbles(page, 'shop');
		expect(await shop.evaluateAll((els) => els.map((e: PageElement) => e.dataset.kind))).toEqual(['text', 'interactive:cta_url', 'text', 'interactive:button', 'template']);

		expect(await shop.nth(0).locator('b').textContent()).toBe('Grand Hotel'); // *bold* as WhatsApp shows it
		expect(await shop.nth(0).locator('a.inline-link').getAttribute('href')).toBe('https://grand-hotel.example/rooms');
		expect(await shop.nth(1).locator('[data-testid="link-button"]').getAttribute('href')).toBe(sends[1].body.interactive.action.parameters.url);
		expect(await shop.nth(1).locator('[data-testid="link-button"]').textContent()).toContain('Open booking');
		expect(await shop.nth(2).locator('a.inline-link').getAttribute('href')).toBe('http://127.0.0.1:9/booking/43');
		expect(await shop.nth(3).locator('[data-testid="reply-button"]').allTextContents()).toEqual(['Deluxe Room', 'Standard Room']);
		const template = await shop.nth(4).textContent();
		expect(template).toContain('booking_reminder');
		expect(template).toContain('{{1}} Ada');
		expect(template).toContain('{{2}} June 15');

		const buttonsMessageId: string = sends[3].messageId!;
		await shop.nth(3).locator('[data-testid="reply-button"]', { hasText: 'Deluxe Room' }).click();
		await waitForBubbles(page, 'customer', 1);
		expect(await bubbles(page, 'customer').first().textContent()).toContain('Deluxe Room');
		expect(await page.locator('.delivery-error').count()).toBe(0);

		// n8n's WhatsApp Trigger verified the signature and read the tap as Meta sends it.
		const item = await triggerItemOf('WhatsApp Trigger', customer, 'the tap in a run of the template');
		expect(item.reply).toEqual({ kind: 'button', payload: 'room:deluxe', title: 'Deluxe Room' });
		expect(item.type).toBe('interactive');
		expect(item.raw.context.id).toBe(buttonsMessageId);
		await page.close();
	});

	it('Instagram: every shape renders; quick replies sit under the latest message and a tap reaches n8n as quick_reply.payload', async () => {
		const customer = newCustomer('instagram');
		const page = await openChat('instagram', customer);
		const sends = await sendEveryShape('instagram', customer, 4);
		await waitForBubbles(page, 'shop', 4);
		const shop = bubbles(page, 'shop');
		expect(await shop.evaluateAll((els) => els.map((e: PageElement) => e.dataset.kind))).toEqual(['text', 'button_template', 'text', 'quick_replies']);
		expect(await shop.nth(1).locator('[data-testid="link-button"]').getAttribute('href')).toBe(sends[1].body.message.attachment.payload.buttons[0].url);
		expect(await shop.nth(2).locator('a.inline-link').getAttribute('href')).toBe('http://127.0.0.1:9/booking/43');
		expect(await shop.nth(3).locator('[data-testid="quick-reply"]').allTextContents()).toEqual(['Deluxe Room', 'Standard Room']);

		await shop.nth(3).locator('[data-testid="quick-reply"]', { hasText: 'Standard Room' }).click();
		await waitForBubbles(page, 'customer', 1);
		// Instagram drops quick replies once the customer answers.
		expect(await page.locator('[data-testid="quick-reply"]').count()).toBe(0);

		const item = await triggerItemOf('Instagram Trigger', customer, 'the quick reply in a run of the template');
		expect(item.reply).toEqual({ kind: 'quick_reply', payload: 'room:standard', title: 'Standard Room' });
		expect(item.text).toBe('Standard Room');
		await page.close();
	});

	it('the shop\'s own buttons: "hi" gets the offer as reply buttons, a tap orders that product, paying confirms it', async () => {
		const customer = newCustomer('whatsapp');
		const page = await openChat('whatsapp', customer, 'Dana');
		await type(page, 'hi');
		await waitForBubbles(page, 'shop', 1);
		const offer = bubbles(page, 'shop').first();
		expect(await offer.evaluate((e: PageElement) => e.dataset.kind)).toBe('interactive:button');
		expect(await offer.textContent()).toContain('Here is what we offer');
		expect(await offer.locator('[data-testid="reply-button"]').allTextContents()).toEqual(['Grand Hotel Deluxe …', 'Pro plan (monthly)', 'Welcome basket']);

		await offer.locator('[data-testid="reply-button"]', { hasText: 'Welcome basket' }).click();
		const shopTexts = await waitForBubbles(page, 'shop', 2);
		expect(shopTexts[1]).toContain('Here is your secure checkout link for Welcome basket: 25.00 USD.');
		const [checkout] = await Promise.all([browser.context.waitForEvent('page'), bubbles(page, 'shop').nth(1).locator('[data-testid="link-button"]').click()]);
		await checkout.waitForLoadState();
		await checkout.click('#btn-pay');
		await checkout.waitForSelector('#notice');
		const afterPaying = await waitForBubbles(page, 'shop', 3);
		expect(afterPaying[2]).toMatch(/Payment received \(25\.00 USD\)/);
		await checkout.close();
		await page.close();
	});

	it('the checkout\'s cancel link and the Stripe sandbox root say what happened and lead back to the chat', async () => {
		const customer = newCustomer('instagram');
		const page = await openChat('instagram', customer);
		await type(page, 'Hello! I would like to subscribe to the Pro plan');
		await waitForBubbles(page, 'shop', 1);
		const [checkout] = await Promise.all([browser.context.waitForEvent('page'), bubbles(page, 'shop').first().locator('[data-testid="link-button"]').click()]);
		await checkout.waitForLoadState();
		const sessionId = checkout.url().slice(checkout.url().lastIndexOf('/') + 1);
		await checkout.click('p.ret a'); // "Cancel and return to merchant"
		expect(await checkout.textContent('#headline')).toBe('Checkout cancelled');
		expect(await checkout.textContent('#detail')).toContain('Nothing was charged');
		expect(new URL(await checkout.getAttribute('#back-to-chat', 'href') as string).searchParams.get('customer')).toBe(customer);

		await checkout.goto(`${sandbox.stripe.url}/`);
		const row = checkout.locator('#sessions tr', { hasText: sessionId.slice(0, 24) });
		expect(await row.textContent()).toContain('open / unpaid');
		await row.locator(`a[href="/pay/${sessionId}"]`).click();
		expect(checkout.url()).toBe(`${sandbox.stripe.url}/pay/${sessionId}`);
		await checkout.close();
		await page.close();
	});
});
