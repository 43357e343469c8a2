/**
 * The Stripe simulator driven by the real stripe SDK, as the pack and the e2e tests drive it: if it answered
 * or signed differently from Stripe, a test built on it could pass against something Stripe never sends.
 * (Moved from the hand-run tools/sandbox/selfcheck.js, which nothing ran.)
 */
import Stripe from 'stripe';

import type { StripeSim } from '../../tools/sandbox/stripe';
import { useStripeSimWithReceiver } from '../support/stripeSimFixture';
import type { ReceivedRequest } from '../support/webhookReceiver';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY = 'sk_test_stripesim';
const WHSEC = 'whsec_stripesim';
const PRICES = [
	{ id: 'price_room', lookup_key: 'deluxe-room', unit_amount: 18000, currency: 'eur', product_name: 'Deluxe room' },
	{ id: 'price_pro', lookup_key: 'saas-pro-monthly', unit_amount: 2900, currency: 'usd', product_name: 'SaaS Pro', recurring: { interval: 'month' as const, interval_count: 1 } },
];
const ROOM_ONLY = { mode: 'payment' as const, line_items: [{ price: 'price_room', quantity: 1 }] };

describe('stripe-sim through the real stripe SDK', () => {
	const fixture = useStripeSimWithReceiver({ secretKeys: [KEY], webhookSecret: WHSEC, prices: PRICES });
	let sim: StripeSim;
	let got: ReceivedRequest[];
	let stripe: Stripe;
	beforeEach(() => {
		({ sim, received: got } = fixture);
		stripe = new Stripe(KEY, { ...sim.clientOptions, maxNetworkRetries: 0 });
	});

	const verify = (body: string, signature: unknown) => Stripe.webhooks.constructEvent(body, String(signature), WHSEC);
	const typesReceived = (from = 0) => got.slice(from).map((g) => JSON.parse(g.body).type as string);
	const postPage = (path: string, accept = 'text/html') => fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept }, body: '' });

	const orderParams = (): Stripe.Checkout.SessionCreateParams => ({
		mode: 'payment',
		line_items: [
			{ price_data: { currency: 'eur', unit_amount: 18000, product_data: { name: 'Deluxe room, 15–17 June' } }, quantity: 2 },
			{ price: 'price_room', quantity: 1 },
		],
		metadata: { conversationId: 'wa:4915112345678', orderRef: 'ord_1' },
		client_reference_id: 'ord_1',
		customer_email: 'anna@example.com',
		payment_intent_data: { metadata: { orderRef: 'ord_1' } },
		success_url: 'https://example.com/thanks?session_id={CHECKOUT_SESSION_ID}',
		expires_at: Math.floor(Date.now() / 1000) + 3600,
	});

	it('authenticates like Stripe: a wrong key is a StripeAuthenticationError with the key masked; balance and account answer', async () => {
		const wrong = new Stripe('sk_test_wrongkey1234', { ...sim.clientOptions, maxNetworkRetries: 0 });
		const error: any = await wrong.balance.retrieve().catch((e: unknown) => e);
		expect(error).toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
		expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
		expect(error.requestId).toMatch(/^req_/);
		expect((await stripe.balance.retrieve()).object).toBe('balance');
		expect((await stripe.accounts.retrieveCurrent()).object).toBe('account');
	});

	it('lists prices by lookup_keys with the product expanded, and retrieves one unexpanded', async () => {
		const prices = await stripe.prices.list({ lookup_keys: ['deluxe-room', 'saas-pro-monthly'], active: true, expand: ['data.product'] });
		expect(prices.data).toHaveLength(2);
		expect(prices.data.find((p) => p.lookup_key === 'deluxe-room')).toMatchObject({ unit_amount: 18000, product: { name: 'Deluxe room' } });
		const pro = await stripe.prices.retrieve('price_pro');
		expect(pro.recurring?.interval).toBe('month');
		expect(typeof pro.product).toBe('string');
	});

	it('creates a session from price_data and a price, keeps what was asked, and replays or refuses a reused Idempotency-Key', async () => {
		const params = orderParams();
		const session = await stripe.checkout.sessions.create(params, { idempotencyKey: 'order-ord_1' });
		expect(session).toMatchObject({ amount_total: 54000, currency: 'eur', status: 'open', url: `${sim.url}/pay/${session.id}`, metadata: { conversationId: 'wa:4915112345678' } });
		expect(session.id).toMatch(/^cs_test_/);
		const stored = sim.sessions.get(session.id);
		expect(stored?.line_items).toHaveLength(2);
		expect(stored?.line_items[0].price_data.product_data.name).toBe('Deluxe room, 15–17 June');
		expect(stored?.payment_intent_data?.metadata.orderRef).toBe('ord_1');

		const again = await stripe.checkout.sessions.create(params, { idempotencyKey: 'order-ord_1' });
		expect(again.id).toBe(session.id);
		expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
		await expect(stripe.checkout.sessions.create({ ...params, client_reference_id: 'other' }, { idempotencyKey: 'order-ord_1' })).rejects.toMatchObject({
			type: 'StripeIdempotencyError',
			statusCode: 400,
		});
		const first = sim.requests.find((r) => r.path === '/v1/checkout/sessions' && r.idempotencyKey === 'order-ord_1');
		expect(first?.form).toContain('line_items[0][price_data][product_data][name]=');
		expect(first?.params.line_items[0].quantity).toBe('2');
	});

	it("refuses a bad session with Stripe's code and param", async () => {
		await expect(stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_nope', quantity: 1 }] })).rejects.toMatchObject({
			code: 'resource_missing',
			param: 'line_items[0][price]',
			statusCode: 400,
		});
		await expect(stripe.checkout.sessions.create({ line_items: [{ price: 'price_room', quantity: 1 }] } as any)).rejects.toMatchObject({ code: 'parameter_missing', param: 'mode' });
		await expect(
			stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price_data: { currency: 'eur', unit_amount: 12.5, product_data: { name: 'x' } }, quantity: 1 }] }),
		).rejects.toMatchObject({ code: 'parameter_invalid_integer', param: 'line_items[0][price_data][unit_amount]' });
		await expect(stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_pro', quantity: 1 }] })).rejects.toMatchObject({
			type: 'StripeInvalidRequestError',
			message: expect.stringMatching(/recurring price/),
		});
		await expect(stripe.checkout.sessions.create({ ...ROOM_ONLY, expires_at: Math.floor(Date.now() / 1000) + 60 })).rejects.toMatchObject({ param: 'expires_at' });
	});

	it('failNext: a 500 the SDK retries with the same Idempotency-Key and then succeeds; a 429 is a StripeRateLimitError', async () => {
		sim.failNext(sim.errors.apiError());
		const retrying = new Stripe(KEY, { ...sim.clientOptions, maxNetworkRetries: 2 });
		await retrying.checkout.sessions.create(ROOM_ONLY);
		const posts = sim.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST');
		expect(posts.map((r) => [r.injected, r.status])).toEqual([
			[true, 500],
			[false, 200],
		]);
		expect(posts[0].idempotencyKey).toBeTruthy();
		expect(posts[1].idempotencyKey).toBe(posts[0].idempotencyKey);
		sim.failNext({ status: 429 });
		await expect(stripe.balance.retrieve()).rejects.toMatchObject({ type: 'StripeRateLimitError' });
	});

	it('hosted page: items and total, pay / expire / fail-async forms, no external assets', async () => {
		const session = await stripe.checkout.sessions.create(orderParams());
		const page = await fetch(String(session.url));
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Deluxe room, 15–17 June');
		expect(html).toMatch(/action="\/pay\/cs_test_[^"]+\/pay"/);
		expect(html).toContain('/expire"');
		expect(html).toContain('/fail-async"');
		expect(html).toContain('540.00 EUR');
		expect(html).not.toMatch(/<script|<link|src="http/);
	});

	it("the page's Pay sends checkout.session.completed as Stripe does: signed, pretty-printed, paid, no requested line items", async () => {
		const session = await stripe.checkout.sessions.create(orderParams());
		const paid = await postPage(`/pay/${session.id}/pay`);
		expect(paid.status).toBe(200);
		expect(await paid.text()).toContain('Payment succeeded');
		expect(got).toHaveLength(1);
		const event = verify(got[0].body, got[0].headers['stripe-signature']);
		expect(event.type).toBe('checkout.session.completed');
		const object = event.data.object as any;
		expect(object).toMatchObject({ payment_status: 'paid', customer_details: { email: 'anna@example.com' }, url: null, metadata: { orderRef: 'ord_1' } });
		expect(object.payment_intent).toMatch(/^pi_/);
		expect(object.line_items).toBeUndefined();
		expect(String(got[0].headers['content-type'])).toMatch(/^application\/json/);
		expect(got[0].body).toBe(JSON.stringify(JSON.parse(got[0].body), null, 2));
		expect(sim.events[0].status).toBe(200);
		await expect(sim.pay(session.id)).rejects.toThrow(/not open/);
	});

	it('redeliver sends the same body freshly signed; signedRequest makes tampered, stale and wrong-secret requests the SDK rejects', async () => {
		const session = await stripe.checkout.sessions.create(ROOM_ONLY);
		await sim.pay(session.id);
		const [first] = got;
		// A second later, so the fresh signature has another timestamp.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect((await sim.redeliver(sim.events[0].id)).status).toBe(200);
		expect(got[1].body).toBe(first.body);
		expect(got[1].headers['stripe-signature']).not.toBe(first.headers['stripe-signature']);
		expect(verify(got[1].body, got[1].headers['stripe-signature']).id).toBe(sim.events[0].id);

		const good = sim.signedRequest(sim.events[0].event);
		expect(verify(good.body, good.headers['Stripe-Signature']).id).toBe(sim.events[0].id);
		expect(() => verify(good.body.replace('"paid"', '"unpaid"'), good.headers['Stripe-Signature'])).toThrow(/No signatures found/);
		const stale = sim.signedRequest(sim.events[0].event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect(() => verify(stale.body, stale.headers['Stripe-Signature'])).toThrow(/Timestamp outside the tolerance zone/);
		const wrong = sim.signedRequest(sim.events[0].event, { secret: 'whsec_other' });
		expect(() => verify(wrong.body, wrong.headers['Stripe-Signature'])).toThrow(/No signatures found/);
	});

	it('delayed payments and expiry: fail-async, pending then succeeded, expiry by the page and the API', async () => {
		const failing = await stripe.checkout.sessions.create(ROOM_ONLY);
		const failJson = await postPage(`/pay/${failing.id}/fail-async`, 'application/json');
		expect(((await failJson.json()) as any).events.map((e: any) => e.status)).toEqual([200, 200]);
		expect(typesReceived()).toEqual(['checkout.session.completed', 'checkout.session.async_payment_failed']);
		expect(JSON.parse(got[0].body).data.object.payment_status).toBe('unpaid');

		const pending = await stripe.checkout.sessions.create(ROOM_ONLY);
		await sim.payAsyncPending(pending.id);
		await sim.asyncSucceed(pending.id);
		expect(typesReceived(2)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

		const byPage = await stripe.checkout.sessions.create(ROOM_ONLY);
		await postPage(`/pay/${byPage.id}/expire`);
		expect(JSON.parse(got[4].body)).toMatchObject({ type: 'checkout.session.expired', data: { object: { status: 'expired', url: null } } });
		const byApi = await stripe.checkout.sessions.create(ROOM_ONLY);
		expect((await stripe.checkout.sessions.expire(byApi.id)).status).toBe('expired');
		expect(String(JSON.parse(got[5].body).request.id)).toMatch(/^req_/);

		const fetched = await stripe.checkout.sessions.retrieve(failing.id, { expand: ['line_items'] });
		expect(fetched.line_items?.data[0].quantity).toBe(1);
	});

	it('a subscription: completed, customer.subscription.created and invoice.paid carrying the metadata; then a failed invoice and a cancellation', async () => {
		const session = await stripe.checkout.sessions.create({
			mode: 'subscription',
			line_items: [{ price: 'price_pro', quantity: 3 }],
			subscription_data: { metadata: { conversationId: 'ig:1789000000001' } },
			metadata: { conversationId: 'ig:1789000000001' },
		});
		expect(session.amount_total).toBe(8700);
		const paid = await sim.pay(session.id);
		const expected = ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid'];
		expect(paid.events.map((e) => e.type)).toEqual(expected);
		expect(got.map((g) => verify(g.body, g.headers['stripe-signature']).type)).toEqual(expected);
		const [completed, created, invoice] = got.map((g) => JSON.parse(g.body).data.object);
		expect(completed.subscription).toMatch(/^sub_/);
		expect(completed.customer).toMatch(/^cus_/);
		expect(created.metadata.conversationId).toBe('ig:1789000000001');
		expect(invoice).toMatchObject({
			subscription: completed.subscription,
			amount_paid: 8700,
			currency: 'usd',
			parent: { subscription_details: { metadata: { conversationId: 'ig:1789000000001' } } },
			subscription_details: { metadata: { conversationId: 'ig:1789000000001' } },
		});
		expect(invoice.lines.data[0].period.end).toBeGreaterThan(invoice.lines.data[0].period.start);

		await sim.failInvoice(completed.subscription);
		await sim.cancelSubscription(completed.subscription);
		expect(typesReceived(3)).toEqual(['invoice.payment_failed', 'customer.subscription.deleted']);
		expect(JSON.parse(got[4].body).data.object.status).toBe('canceled');
	});

	it('delivers in reverse order with duplicates when asked', async () => {
		const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_pro', quantity: 1 }] });
		await sim.pay(session.id, { order: 'reverse', duplicates: 1 });
		expect(typesReceived()).toEqual([
			'invoice.paid',
			'invoice.paid',
			'customer.subscription.created',
			'customer.subscription.created',
			'checkout.session.completed',
			'checkout.session.completed',
		]);
	});

	it('refuses a webhook URL that is not loopback, and puts no card data in any event or session', async () => {
		expect(() => sim.setWebhookUrl('http://192.0.2.1/hook')).toThrow(/loopback/);
		const subscription = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_pro', quantity: 1 }] });
		await sim.pay(subscription.id);
		await sim.pay((await stripe.checkout.sessions.create(orderParams())).id);
		expect(sim.events.length).toBeGreaterThanOrEqual(4);
		const everything = JSON.stringify({ events: sim.events.map((e) => e.event), sessions: [...sim.sessions.values()] });
		expect(everything).not.toMatch(/"(card|card_number|cvc|cvv|exp_month|exp_year|last4|fingerprint)"\s*:|4242424242424242/);
	});
});
