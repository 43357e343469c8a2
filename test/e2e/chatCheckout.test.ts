/**
 * The template in a real n8n 2.x with the packed pack installed as a community package; Meta, Stripe and
 * the model are loopback simulators. Nothing inside n8n is mocked. The sale itself is the suite every n8n line
 * runs (harness/saleSuite.ts); this file adds what 2.x is tested for beyond it.
 */
import { customerIds, type Sandbox, sandboxForFile } from './harness/sandboxForFile';
import { describeSaleSuite, type SaleLine, saleHelpers } from './harness/saleSuite';
import { whatsAppWebhookBody } from '../../tools/n8n/sandbox';
import { eventually } from '../../tools/wait';

let sandbox: Sandbox;
sandboxForFile((started) => (sandbox = started));
const newCustomer = customerIds({ whatsapp: '49151000', instagram: '70000000000' });

const line: SaleLine = {
	on: '',
	sandbox: () => sandbox,
	newCustomer,
	replyTimeoutMs: 30_000,
	moreOnWhatsAppSale: (sale) => {
		it('a DM redelivered after n8n restarted starts no run', async () => {
			await sandbox.restartN8n();
			const before = await settledExecutionCount();
			const again = await sandbox.postMeta('whatsapp', whatsAppWebhookBody({ from: sale.user, text: 'Hi! I want to book the Deluxe Suite for June 15-17', messageId: sale.messageId, name: 'Ada' }));
			expect(again.status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			expect(await settledExecutionCount()).toBe(before);
			expect(sandbox.graph.sentTo(sale.user)).toHaveLength(2);
		});
	},
};
const { sessionRequests, orderFor, sessionIdFromLink, settledExecutionCount, orderViaChat } = saleHelpers(line);

describeSaleSuite(line);

describe('expired and failed payments, unknown products', () => {
	it('an expired session → row expired → a fresh link (a new session) in the same chat', async () => {
		const order = await orderViaChat('instagram', 'Book the deluxe room June 15-17 please');
		const firstSession = sessionIdFromLink(order.link);
		const expired = await sandbox.stripe.expire(firstSession);
		expect(expired.events[0].status).toBe(200);
		const sends = await sandbox.graph.waitForSends(2, { to: order.user });
		expect(sends[1].text).toContain('expired');
		const freshSession = sessionIdFromLink(sends[1]);
		expect(freshSession).not.toBe(firstSession);
		const rows = await orderFor((r) => r.userId === order.user);
		expect(rows.map((r) => [r.sessionId, r.status]).sort()).toEqual(
			[[firstSession, 'expired'], [freshSession, 'open']].sort(),
		);
		await sandbox.stripe.redeliver(expired.events[0].id);
		await settledExecutionCount();
		expect(sandbox.graph.sentTo(order.user)).toHaveLength(2);
	});

	it('an asynchronous payment that fails → row failed → a message', async () => {
		const order = await orderViaChat('whatsapp', 'I want the deluxe suite for June 15-17');
		const sessionId = sessionIdFromLink(order.link);
		await sandbox.stripe.failAsync(sessionId);
		await eventually('row failed', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'failed'))[0]);
		const sends = await sandbox.graph.waitForSends(2, { to: order.user });
		expect(sends[1].text).toContain('did not go through');
	});

	it('an unknown product → the customer is asked back with what is on offer, and no session is made', async () => {
		const user = newCustomer('whatsapp');
		const sessionsBefore = sessionRequests().length;
		const delivery = await sandbox.customerSays('whatsapp', 'Do you sell bicycles?', { from: user });
		expect(delivery.status).toBe(200);
		const [reply] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 30_000 });
		// Three products on offer: a reply button each.
		expect(reply.body.type).toBe('interactive');
		expect(reply.body.interactive.type).toBe('button');
		expect(reply.body.interactive.body.text).toMatch(/Which would you like\? We offer:\n• Grand Hotel Deluxe Room: 199\.00 USD per night\n/);
		expect(reply.body.interactive.action.buttons.map((b: { reply: { id: string } }) => b.reply.id)).toEqual(['product:deluxe-room', 'product:saas-pro-monthly', 'product:welcome-basket']);
		await settledExecutionCount();
		expect(sessionRequests()).toHaveLength(sessionsBefore);
	});
});

describe('when the model or Stripe fails', () => {
	afterEach(() => {
		sandbox.llm.clearFailures();
		sandbox.stripe.clearFailures();
	});

	it('the model failing → the customer gets an apology, and no session is made', async () => {
		const user = newCustomer('whatsapp');
		const sessionsBefore = sessionRequests().length;
		sandbox.llm.failNext({ status: 500, body: { error: { message: 'model overloaded', type: 'server_error' } } }, 5);
		await sandbox.customerSays('whatsapp', 'I want the deluxe room June 15-17', { from: user });
		const [reply] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 30_000 });
		expect(reply.text).toContain('Sorry, something went wrong');
		expect(sessionRequests()).toHaveLength(sessionsBefore);
	});

	it('Stripe failing → the customer gets an apology instead of a link', async () => {
		const user = newCustomer('instagram');
		sandbox.stripe.failNext({ status: 500, method: 'POST', path: '/v1/checkout/sessions', error: { type: 'api_error', message: 'Stripe is having a bad day' } }, 3);
		await sandbox.customerSays('instagram', 'I want the deluxe room June 15-17', { from: user });
		const [reply] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 30_000 });
		expect(reply.text).toContain('Sorry, something went wrong');
		expect(await orderFor((r) => r.userId === user)).toHaveLength(0);
		// the node's client retried (2 network retries, same idempotency key) before giving up
		const failed = sandbox.stripe.requests.filter((r) => r.injected && r.path === '/v1/checkout/sessions');
		expect(failed).toHaveLength(3);
		expect(new Set(failed.map((r) => r.idempotencyKey)).size).toBe(1);
	});
});

describe('credential tests, run by n8n (Credentials → Test)', () => {
	async function testCredential(type: string, data: Record<string, unknown>): Promise<{ status: string; message: string }> {
		const id = await sandbox.api.createCredential(`probe ${type} ${Date.now()}`, type, data);
		return await sandbox.api.request('POST', '/credentials/test', { body: { credentials: { id, name: 'probe', type, data } } });
	}
	const whatsapp = () => ({
		accessToken: sandbox.secrets.whatsappToken, appSecret: 'x', verifyToken: 'y',
		phoneNumberId: sandbox.accounts.phoneNumberId, graphApiVersion: 'v25.0', baseUrl: sandbox.graph.url,
	});

	it('WhatsApp: passes with a good token; says what to fix for a bad token or an unknown phone number ID', async () => {
		expect(await testCredential('chatCheckoutWhatsAppApi', whatsapp())).toMatchObject({ status: 'OK' });
		const badToken = await testCredential('chatCheckoutWhatsAppApi', { ...whatsapp(), accessToken: 'EAAexpired' });
		expect(badToken.status).toBe('Error');
		expect(badToken.message).toContain('Meta rejected the access token');
		const unknownNumber = await testCredential('chatCheckoutWhatsAppApi', { ...whatsapp(), phoneNumberId: '999999999999999' });
		expect(unknownNumber.status).toBe('Error');
		expect(unknownNumber.message).toContain('Phone Number ID');
	});

	it('Instagram: passes with a good token, fails with a clear message for a bad one', async () => {
		const instagram = {
			accessToken: sandbox.secrets.instagramToken, appSecret: 'x', verifyToken: 'y',
			accountId: sandbox.accounts.instagramAccountId, graphApiVersion: 'v25.0', baseUrl: sandbox.graph.url,
		};
		expect(await testCredential('chatCheckoutInstagramApi', instagram)).toMatchObject({ status: 'OK' });
		const bad = await testCredential('chatCheckoutInstagramApi', { ...instagram, accessToken: 'IGexpired' });
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('Meta rejected the access token');
	});

	it('Stripe: passes with the key, says the key is wrong otherwise, and never echoes it', async () => {
		const stripe = { secretKey: sandbox.secrets.stripeKey, webhookSigningSecret: sandbox.secrets.stripeWebhookSecret, baseUrl: sandbox.stripe.url };
		expect(await testCredential('chatCheckoutStripeApi', stripe)).toMatchObject({ status: 'OK' });
		const wrongKey = 'sk_test_wrongwrongwrongwrong1234';
		const bad = await testCredential('chatCheckoutStripeApi', { ...stripe, secretKey: wrongKey });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/key/i);
		expect(bad.message).not.toContain(wrongKey);
	});
});

describe('the sandbox stays on loopback', () => {
	it('n8n made no outbound call that was not refused by the loopback sink (only n8n\'s own package check)', () => {
		const targets = sandbox.n8n.blockedOutbound().map((b) => b.target);
		expect(targets.every((t: string) => t.startsWith('api.n8n.io'))).toBe(true);
	});
});
