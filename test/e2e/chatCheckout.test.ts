/**
 * The template in a real n8n 2.x with the packed pack installed as a community package; Meta, Stripe and
 * the model are loopback simulators. Nothing inside n8n is mocked.
 */
// The harness is plain JavaScript (it also runs `npm start` without a build step).
const { startSandbox, whatsAppWebhookBody } = require('../../tools/n8n/sandbox');
const { eventually, settledExecutionCount: settledCount } = require('../../tools/wait');

export {}; // a module: its names stay its own

/* eslint-disable @typescript-eslint/no-explicit-any */
type Sandbox = any;
let sandbox: Sandbox;
let nextUser = 0;

function newCustomer(channel: 'whatsapp' | 'instagram'): string {
	nextUser += 1;
	return channel === 'whatsapp' ? `49151000${String(nextUser).padStart(5, '0')}` : `70000000000${String(nextUser).padStart(5, '0')}`;
}

const settledExecutionCount = (): Promise<number> => settledCount(sandbox.api, sandbox.workflowIds);

const sessionRequests = () => sandbox.stripe.requests.filter((r: any) => r.method === 'POST' && r.path === '/v1/checkout/sessions' && r.status === 200);
const sessionRequestFor = (messageId: string) => sessionRequests().filter((r: any) => r.params.metadata?.chat_message_id === messageId);
const orderFor = async (predicate: (row: any) => boolean) => (await sandbox.orders()).filter(predicate);

/** A customer writes; returns the checkout session the workflow created for that message, and its link message. */
async function orderViaChat(channel: 'whatsapp' | 'instagram', text: string, user = newCustomer(channel)) {
	const delivery = await sandbox.customerSays(channel, text, { from: user });
	expect(delivery.status).toBe(200);
	const [link] = await sandbox.graph.waitForSends(1, { to: user, timeoutMs: 30_000 });
	const [request] = sessionRequestFor(delivery.messageId);
	return { user, delivery, link, request };
}

function sessionIdFromLink(link: any): string {
	const url: string = link.urls[0];
	return url.slice(url.lastIndexOf('/') + 1);
}

beforeAll(async () => {
	sandbox = await startSandbox({ log: (line: string) => process.stdout.write(`[sandbox] ${line}\n`) });
}, 1_500_000); // a first run installs n8n (3–6 min here; longer on a slow network)

afterAll(async () => {
	await sandbox?.stop();
});

describe('one-off sale, WhatsApp', () => {
	let user: string;
	let messageId: string;
	let sessionId: string;
	let completedEventId: string;

	it('DM → exactly the expected Stripe session → a link button to the same user', async () => {
		const order = await orderViaChat('whatsapp', 'Hi! I want to book the Deluxe Suite for June 15-17');
		user = order.user;
		messageId = order.delivery.messageId;
		const requests = sessionRequestFor(messageId);
		expect(requests).toHaveLength(1);
		const { params, idempotencyKey } = requests[0];
		expect(params.mode).toBe('payment');
		expect(params.line_items).toHaveLength(1);
		expect(params.line_items[0]).toMatchObject({
			quantity: '2',
			price_data: { currency: 'usd', unit_amount: '19900', product_data: { name: 'Grand Hotel Deluxe Room, 1 room × 2 nights' } },
		});
		const chatMetadata = {
			chat_channel: 'whatsapp',
			chat_account_id: sandbox.accounts.phoneNumberId,
			chat_user_id: user,
			chat_message_id: messageId,
		};
		expect(params.metadata).toMatchObject(chatMetadata);
		expect(params.payment_intent_data.metadata).toMatchObject(chatMetadata);
		expect(idempotencyKey).toMatch(/^cc1-[0-9a-f]{64}$/);

		const link = order.link;
		expect(link.channel).toBe('whatsapp');
		expect(link.accountId).toBe(sandbox.accounts.phoneNumberId);
		expect(link.body.type).toBe('interactive');
		expect(link.body.interactive.type).toBe('cta_url');
		expect(link.body.interactive.body.text).toContain('Here is your secure checkout link');
		sessionId = sessionIdFromLink(link);
		expect(link.body.interactive.action.parameters.url).toBe(`${sandbox.stripe.url}/pay/${sessionId}`);

		const rows = await orderFor((r) => r.sessionId === sessionId);
		expect(rows).toEqual([
			expect.objectContaining({ status: 'open', channel: 'whatsapp', userId: user, productKey: 'deluxe-room', quantity: 1, nights: 2, amountTotal: 39800, currency: 'usd' }),
		]);
		expect(JSON.stringify(rows)).not.toMatch(/card|last4|pm_/i);
	});

	it('signed checkout.session.completed → row paid → one confirmation to the same user', async () => {
		const paid = await sandbox.stripe.pay(sessionId);
		const completed = paid.events.find((e: any) => e.type === 'checkout.session.completed');
		completedEventId = completed.id;
		expect(completed.status).toBe(200);
		await eventually('row paid', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'paid'))[0]);
		const sends = await sandbox.graph.waitForSends(2, { to: user });
		expect(sends).toHaveLength(2);
		expect(sends[1].channel).toBe('whatsapp');
		expect(sends[1].text).toContain('Payment received');
		expect(sends[1].text).toContain('398.00 USD');
	});

	it('redelivered DM and redelivered (also concurrent) Stripe events double nothing', async () => {
		const sessionsBefore = sessionRequests().length;
		const again = await sandbox.postMeta('whatsapp', whatsAppWebhookBody({ from: user, text: 'Hi! I want to book the Deluxe Suite for June 15-17', messageId, name: 'Ada' }));
		expect(again.status).toBe(200);
		const deliveries = await Promise.all([1, 2, 3].map(() => sandbox.stripe.redeliver(completedEventId)));
		expect(deliveries.map((d: any) => d.status)).toEqual([200, 200, 200]);
		await settledExecutionCount();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(sessionRequests()).toHaveLength(sessionsBefore);
		expect(sandbox.graph.sentTo(user)).toHaveLength(2);
		expect(await orderFor((r) => r.userId === user)).toHaveLength(1);
	});

	it('a DM redelivered after n8n restarted starts no run', async () => {
		await sandbox.restartN8n();
		const before = await settledExecutionCount();
		const again = await sandbox.postMeta('whatsapp', whatsAppWebhookBody({ from: user, text: 'Hi! I want to book the Deluxe Suite for June 15-17', messageId, name: 'Ada' }));
		expect(again.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await settledExecutionCount()).toBe(before);
		expect(sandbox.graph.sentTo(user)).toHaveLength(2);
	});
});

describe('one-off sale, Instagram', () => {
	it('DM → session with the Instagram chat reference → button template → paid → confirmation on Instagram', async () => {
		const order = await orderViaChat('instagram', 'hello, can I book the deluxe room from June 15 to June 17?');
		const [request] = sessionRequestFor(order.delivery.messageId);
		expect(request.params.line_items[0]).toMatchObject({ quantity: '2', price_data: { unit_amount: '19900', currency: 'usd' } });
		expect(request.params.metadata).toMatchObject({ chat_channel: 'instagram', chat_account_id: sandbox.accounts.instagramAccountId, chat_user_id: order.user });
		expect(order.link.channel).toBe('instagram');
		expect(order.link.body.recipient).toEqual({ id: order.user });
		const payload = order.link.body.message.attachment.payload;
		expect(payload.template_type).toBe('button');
		expect(payload.buttons[0]).toMatchObject({ type: 'web_url', title: 'Pay securely' });
		const sessionId = sessionIdFromLink(order.link);

		await sandbox.stripe.pay(sessionId);
		await eventually('row paid', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'paid'))[0]);
		const sends = await sandbox.graph.waitForSends(2, { to: order.user });
		expect(sends[1].channel).toBe('instagram');
		expect(sends[1].text).toContain('Payment received');
	});
});

describe('subscription', () => {
	it('signup → invoice.paid → active (period end) → payment failed → past due → deleted → cancelled, a message each', async () => {
		const order = await orderViaChat('whatsapp', 'I would like to subscribe to the Pro plan please');
		const [request] = sessionRequestFor(order.delivery.messageId);
		expect(request.params.mode).toBe('subscription');
		expect(request.params.line_items[0]).toMatchObject({ quantity: '1', price_data: { unit_amount: '2900', currency: 'usd', recurring: { interval: 'month' } } });
		expect(request.params.subscription_data.metadata).toMatchObject({ chat_user_id: order.user, chat_message_id: order.delivery.messageId });
		const sessionId = sessionIdFromLink(order.link);

		const paid = await sandbox.stripe.pay(sessionId);
		expect(paid.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['checkout.session.completed', 'invoice.paid']));
		const active = await eventually('row active', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'active'))[0]);
		expect(active.subscriptionId).toMatch(/^sub_/);
		expect(active.periodEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const afterActive = await sandbox.graph.waitForSends(2, { to: order.user });
		expect(afterActive[1].text).toContain('subscription is active until');

		await sandbox.stripe.failInvoice(active.subscriptionId);
		await eventually('row past_due', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'past_due'))[0]);
		await sandbox.graph.waitForSends(3, { to: order.user });

		const cancelled = await sandbox.stripe.cancelSubscription(active.subscriptionId);
		await eventually('row cancelled', async () => (await orderFor((r) => r.sessionId === sessionId && r.status === 'cancelled'))[0]);
		const sends = await sandbox.graph.waitForSends(4, { to: order.user });
		expect(sends[3].text).toContain('cancelled');

		await sandbox.stripe.redeliver(cancelled.events[0].id);
		await settledExecutionCount();
		expect(sandbox.graph.sentTo(order.user)).toHaveLength(4);
	});
});

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
		expect(rows.map((r: any) => [r.sessionId, r.status]).sort()).toEqual(
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
		expect(reply.body.interactive.action.buttons.map((b: any) => b.reply.id)).toEqual(['product:deluxe-room', 'product:saas-pro-monthly', 'product:welcome-basket']);
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
		const failed = sandbox.stripe.requests.filter((r: any) => r.injected && r.path === '/v1/checkout/sessions');
		expect(failed).toHaveLength(3);
		expect(new Set(failed.map((r: any) => r.idempotencyKey)).size).toBe(1);
	});
});

describe('signatures', () => {
	it('forged or missing signatures on all three endpoints are rejected and start nothing', async () => {
		const before = await settledExecutionCount();
		const body = whatsAppWebhookBody({ from: '4915199999999', text: 'I want the deluxe room June 15-17', messageId: 'wamid.FORGED1', name: 'Mallory' });
		expect((await sandbox.postMeta('whatsapp', body, { secret: 'not-the-app-secret' })).status).toBe(401);
		expect((await sandbox.postMeta('whatsapp', body, { signature: null })).status).toBe(401);
		expect((await sandbox.postMeta('instagram', { object: 'instagram', entry: [] }, { secret: 'not-the-app-secret' })).status).toBe(401);
		expect((await sandbox.postMeta('instagram', { object: 'instagram', entry: [] }, { signature: null })).status).toBe(401);

		const event = { id: 'evt_forged', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_test_forged', object: 'checkout.session', payment_status: 'paid', metadata: {} } } };
		const forged = sandbox.stripe.signedRequest(event, { secret: 'whsec_not_the_endpoint_secret' });
		const forgedStatus = (await fetch(sandbox.urls.stripe, { method: 'POST', headers: forged.headers, body: forged.body })).status;
		expect(forgedStatus).toBe(400);
		const unsigned = await fetch(sandbox.urls.stripe, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged.body });
		expect(unsigned.status).toBe(400);

		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await settledExecutionCount()).toBe(before);
	});

	it('Meta\'s verification handshake answers the challenge only for the right verify token', async () => {
		const url = new URL(sandbox.urls.whatsapp);
		url.search = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': sandbox.secrets.verifyToken, 'hub.challenge': '31337' }).toString();
		const ok = await fetch(url);
		expect(ok.status).toBe(200);
		expect(await ok.text()).toBe('31337');
		url.searchParams.set('hub.verify_token', 'wrong');
		expect((await fetch(url)).status).toBe(403);
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
		const targets = sandbox.n8n.blockedOutbound().map((b: any) => b.target);
		expect(targets.every((t: string) => t.startsWith('api.n8n.io'))).toBe(true);
	});
});
