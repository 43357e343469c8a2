// @ts-check
'use strict';
/**
 * Self-check of the sandbox simulators: starts each one, drives it with axios / the real stripe SDK,
 * prints OK lines and stops everything. Only loopback traffic.
 *
 *   node test/sandbox/selfcheck.js
 */
const assert = require('node:assert/strict');
const http = require('node:http');
const axios = require('axios').default;
const Stripe = require('stripe');
const { startGraphSim } = require('./graph');
const { startStripeSim } = require('./stripe');
const { startLlmSim } = require('./model');

/** @param {string} msg */
const ok = (msg) => console.log(`OK  ${msg}`);

const http0 = axios.create({ validateStatus: () => true, proxy: false });

async function checkGraph() {
	const sim = await startGraphSim({ accessTokens: ['EAAG-good'] });
	try {
		const auth = { headers: { Authorization: 'Bearer EAAG-good' } };
		const phoneId = sim.whatsappNumbers[0].id;
		const igId = sim.instagramAccounts[0].id;

		let r = await http0.get(`${sim.url}/v26.0/${phoneId}`, auth);
		assert.equal(r.status, 200);
		assert.equal(r.data.id, phoneId);
		assert.ok(r.data.display_phone_number && r.data.verified_name && r.data.quality_rating);
		r = await http0.get(`${sim.url}/v26.0/me?fields=user_id,username`, auth);
		assert.deepEqual(Object.keys(r.data).sort(), ['id', 'user_id', 'username']);
		r = await http0.get(`${sim.url}/v26.0/999`, auth);
		assert.equal(r.status, 400);
		assert.equal(r.data.error.code, 100);
		r = await http0.get(`${sim.url}/v26.0/${phoneId}`, { headers: { Authorization: 'Bearer nope' } });
		assert.equal(r.status, 401);
		assert.equal(r.data.error.code, 190);
		assert.equal(r.data.error.type, 'OAuthException');
		assert.ok(r.data.error.fbtrace_id);
		ok('graph: credential look-ups (phone number, IG me, unknown id 100, bad token 401/190)');

		r = await http0.post(
			`${sim.url}/v26.0/${phoneId}/messages`,
			{ messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'text', text: { body: 'Hello', preview_url: false } },
			auth,
		);
		assert.equal(r.status, 200);
		assert.equal(r.data.messaging_product, 'whatsapp');
		assert.deepEqual(r.data.contacts, [{ input: '4915112345678', wa_id: '4915112345678' }]);
		assert.match(r.data.messages[0].id, /^wamid\.SIM/);
		r = await http0.post(
			`${sim.url}/v26.0/${phoneId}/messages`,
			{
				messaging_product: 'whatsapp',
				to: '4915112345678',
				type: 'interactive',
				interactive: { type: 'cta_url', body: { text: 'Your room is ready to pay' }, action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'http://127.0.0.1:1/pay/cs_x' } } },
			},
			auth,
		);
		assert.equal(r.status, 200);
		r = await http0.post(`${sim.url}/v26.0/me/messages`, { recipient: { id: '1789000000001' }, message: { text: 'Hi from IG' } }, auth);
		assert.equal(r.status, 200);
		assert.equal(r.data.recipient_id, '1789000000001');
		assert.match(r.data.message_id, /^m_SIM/);
		r = await http0.post(
			`${sim.url}/v26.0/${igId}/messages`,
			{
				recipient: { id: '1789000000001' },
				message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'Pay here', buttons: [{ type: 'web_url', url: 'http://127.0.0.1:1/pay/cs_y', title: 'Pay' }] } } },
			},
			auth,
		);
		assert.equal(r.status, 200);
		const sends = await sim.waitForSends(4, { timeoutMs: 2000 });
		assert.equal(sends.length, 4);
		assert.equal(sim.sentTo('4915112345678').length, 2);
		assert.equal(sim.sentTo('1789000000001').length, 2);
		assert.deepEqual(sim.sentTo('4915112345678')[1].urls, ['http://127.0.0.1:1/pay/cs_x']);
		assert.equal(sim.sent[2].channel, 'instagram');
		assert.equal(sim.sent[2].accountId, 'me');
		assert.equal(sim.sent[0].version, 'v26.0');
		assert.deepEqual(sim.sentTo('1789000000001')[1].urls, ['http://127.0.0.1:1/pay/cs_y']);
		ok('graph: WhatsApp text + CTA and Instagram text + button sends recorded (sent, sentTo, waitForSends, urls)');

		r = await http0.post(
			`${sim.url}/v26.0/${phoneId}/messages`,
			{ messaging_product: 'whatsapp', to: '1', type: 'interactive', interactive: { type: 'cta_url', body: { text: 'x' }, action: { name: 'cta_url', parameters: { display_text: 'This label is far too long', url: 'https://x.test' } } } },
			auth,
		);
		assert.equal(r.status, 400);
		assert.equal(r.data.error.code, 131009);
		r = await http0.post(`${sim.url}/v26.0/${phoneId}/messages`, { messaging_product: 'whatsapp', to: '1', type: 'text', text: { body: 'x' } }, { headers: { Authorization: 'Bearer bad' } });
		assert.equal(r.status, 401);
		assert.equal(r.data.error.code, 190);
		ok('graph: validation (cta display_text > 20 → 131009) and bad token on send → 401/190');

		sim.failNext(sim.errors.throttled());
		sim.failNext(sim.errors.outsideWindow());
		sim.failNext(sim.errors.pairRateLimit());
		sim.failNext(sim.errors.tooManyRequests(7));
		sim.failNext(sim.errors.serverError(503));
		sim.failNext(sim.errors.apiRateLimit(), 2);
		sim.failNext(sim.errors.badGateway());
		const wa = { messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'retry me' } };
		/** @type {Array<[number, number | null]>} */
		const seen = [];
		for (let i = 0; i < 8; i++) {
			r = await http0.post(`${sim.url}/v26.0/${phoneId}/messages`, wa, auth);
			seen.push([r.status, typeof r.data === 'object' ? r.data.error.code : null]);
			if (r.status === 429) assert.equal(r.headers['retry-after'], '7');
		}
		assert.deepEqual(seen, [[400, 130429], [400, 131047], [400, 131056], [429, 4], [503, 2], [400, 613], [400, 613], [502, null]]);
		assert.equal(sim.errors.throttled().body && /** @type {any} */ (sim.errors.throttled().body).error.error_data.details, 'Cloud API message throughput has been reached.');
		r = await http0.post(`${sim.url}/v26.0/${phoneId}/messages`, wa, auth);
		assert.equal(r.status, 200);
		assert.equal(sim.sentTo('4915112345678').length, 3);
		assert.ok(sim.attempts.filter((a) => a.injected).length === 8);
		ok(`graph: failNext queue answered ${seen.map(([s, c]) => `${s}/${c ?? 'html'}`).join(', ')} then 200`);

		sim.reset();
		assert.equal(sim.sent.length + sim.attempts.length + sim.requests.length + sim.pendingFailures(), 0);
		await assert.rejects(sim.waitForSends(1, { timeoutMs: 100 }), /timed out/);
		ok('graph: reset and bounded waitForSends timeout');
	} finally {
		await sim.stop();
	}
}

/**
 * A loopback webhook receiver that keeps raw bodies.
 * @returns {Promise<{ url: string, got: Array<{ body: string, headers: http.IncomingHttpHeaders }>, stop: () => Promise<void> }>}
 */
async function startReceiver() {
	/** @type {Array<{ body: string, headers: http.IncomingHttpHeaders }>} */
	const got = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"received":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${addr.port}/stripe`,
		got,
		stop: () => new Promise((resolve) => {
			server.close(() => resolve(undefined));
			server.closeAllConnections();
		}),
	};
}

async function checkStripe() {
	const whsec = 'whsec_selfcheck';
	const receiver = await startReceiver();
	const sim = await startStripeSim({
		secretKeys: ['sk_test_selfcheck'],
		webhookSecret: whsec,
		webhookUrl: receiver.url,
		prices: [
			{ id: 'price_room', lookup_key: 'deluxe-room', unit_amount: 18000, currency: 'eur', product_name: 'Deluxe room' },
			{ id: 'price_pro', lookup_key: 'saas-pro-monthly', unit_amount: 2900, currency: 'usd', product_name: 'SaaS Pro', recurring: { interval: 'month', interval_count: 1 } },
		],
	});
	try {
		const stripe = new Stripe('sk_test_selfcheck', { ...sim.clientOptions, maxNetworkRetries: 0 });
		/** @param {string} body @param {string} sig */
		const verify = (body, sig) => stripe.webhooks.constructEvent(body, sig, whsec);

		const bad = new Stripe('sk_test_wrongkey1234', { ...sim.clientOptions, maxNetworkRetries: 0 });
		await assert.rejects(bad.balance.retrieve(), (/** @type {any} */ e) => {
			assert.equal(e.type, 'StripeAuthenticationError');
			assert.equal(e.statusCode, 401);
			assert.match(e.message, /^Invalid API Key provided: sk_test_\*+1234$/);
			assert.match(e.requestId, /^req_/);
			return true;
		});
		const balance = await stripe.balance.retrieve();
		assert.equal(balance.object, 'balance');
		const account = await stripe.accounts.retrieve();
		assert.equal(account.object, 'account');
		ok('stripe: SDK auth (bad key → StripeAuthenticationError, masked), balance, account');

		const prices = await stripe.prices.list({ lookup_keys: ['deluxe-room', 'saas-pro-monthly'], active: true, expand: ['data.product'] });
		assert.equal(prices.data.length, 2);
		const room = prices.data.find((p) => p.lookup_key === 'deluxe-room');
		assert.ok(room && room.unit_amount === 18000 && typeof room.product === 'object' && /** @type {any} */ (room.product).name === 'Deluxe room');
		const pro = await stripe.prices.retrieve('price_pro');
		assert.equal(pro.recurring && pro.recurring.interval, 'month');
		assert.equal(typeof pro.product, 'string');
		ok('stripe: prices by lookup_keys (expand data.product) and retrieve');

		const params = /** @type {import('stripe').Stripe.Checkout.SessionCreateParams} */ ({
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
		const session = await stripe.checkout.sessions.create(params, { idempotencyKey: 'order-ord_1' });
		assert.match(session.id, /^cs_test_/);
		assert.equal(session.amount_total, 54000);
		assert.equal(session.currency, 'eur');
		assert.equal(session.status, 'open');
		assert.equal(session.url, `${sim.url}/pay/${session.id}`);
		assert.equal(session.metadata && session.metadata.conversationId, 'wa:4915112345678');
		const stored = sim.sessions.get(session.id);
		assert.ok(stored);
		assert.equal(stored.line_items.length, 2);
		assert.equal(stored.line_items[0].price_data.product_data.name, 'Deluxe room, 15–17 June');
		assert.equal(stored.payment_intent_data && stored.payment_intent_data.metadata.orderRef, 'ord_1');
		const again = await stripe.checkout.sessions.create(params, { idempotencyKey: 'order-ord_1' });
		assert.equal(again.id, session.id);
		assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
		await assert.rejects(
			stripe.checkout.sessions.create({ ...params, client_reference_id: 'other' }, { idempotencyKey: 'order-ord_1' }),
			(/** @type {any} */ e) => e.type === 'StripeIdempotencyError' && e.statusCode === 400,
		);
		const req0 = sim.requests.find((r) => r.path === '/v1/checkout/sessions' && r.idempotencyKey === 'order-ord_1');
		assert.ok(req0 && req0.form.includes('line_items[0][price_data][product_data][name]=') && req0.params.line_items[0].quantity === '2');
		ok('stripe: create session (price_data + price, metadata, expires_at), idempotent replay and mismatch error');

		await assert.rejects(
			stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_nope', quantity: 1 }] }),
			(/** @type {any} */ e) => e.code === 'resource_missing' && e.param === 'line_items[0][price]' && e.statusCode === 400,
		);
		await assert.rejects(
			stripe.checkout.sessions.create(/** @type {any} */ ({ line_items: [{ price: 'price_room', quantity: 1 }] })),
			(/** @type {any} */ e) => e.code === 'parameter_missing' && e.param === 'mode',
		);
		await assert.rejects(
			stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price_data: { currency: 'eur', unit_amount: /** @type {any} */ (12.5), product_data: { name: 'x' } }, quantity: 1 }] }),
			(/** @type {any} */ e) => e.code === 'parameter_invalid_integer' && e.param === 'line_items[0][price_data][unit_amount]',
		);
		await assert.rejects(
			stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_pro', quantity: 1 }] }),
			(/** @type {any} */ e) => e.type === 'StripeInvalidRequestError' && /recurring price/.test(e.message),
		);
		await assert.rejects(
			stripe.checkout.sessions.create({ mode: 'payment', expires_at: Math.floor(Date.now() / 1000) + 60, line_items: [{ price: 'price_room', quantity: 1 }] }),
			(/** @type {any} */ e) => e.param === 'expires_at',
		);
		ok('stripe: validation errors (resource_missing, mode missing, non-integer unit_amount, recurring in payment mode, expires_at)');

		sim.failNext(sim.errors.apiError());
		const retrying = new Stripe('sk_test_selfcheck', { ...sim.clientOptions, maxNetworkRetries: 2 });
		const viaRetry = await retrying.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_room', quantity: 1 }] });
		const keyed = sim.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST').slice(-2);
		assert.equal(keyed[0].injected, true);
		assert.equal(keyed[0].idempotencyKey, keyed[1].idempotencyKey);
		sim.failNext({ status: 429 });
		await assert.rejects(stripe.balance.retrieve(), (/** @type {any} */ e) => e.type === 'StripeRateLimitError');
		ok('stripe: failNext 500 → SDK retried with the same Idempotency-Key and succeeded; 429 → StripeRateLimitError');

		// Hosted page.
		const page = await http0.get(session.url ?? '');
		assert.equal(page.status, 200);
		assert.match(page.data, /Deluxe room, 15–17 June/);
		assert.match(page.data, /action="\/pay\/cs_test_[^"]+\/pay"/);
		assert.match(page.data, /\/expire"/);
		assert.match(page.data, /\/fail-async"/);
		assert.doesNotMatch(page.data, /<script|<link|src="http/);
		assert.match(page.data, /540\.00 EUR/);
		ok('stripe: hosted page lists items/total and has pay / expire / fail-async forms, no external assets');

		// Pay through the page's form → signed checkout.session.completed.
		receiver.got.length = 0;
		const paid = await http0.post(`${sim.url}/pay/${session.id}/pay`, '', { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' } });
		assert.equal(paid.status, 200);
		assert.match(paid.data, /Payment succeeded/);
		assert.equal(receiver.got.length, 1);
		const evt = verify(receiver.got[0].body, String(receiver.got[0].headers['stripe-signature']));
		assert.equal(evt.type, 'checkout.session.completed');
		const obj = /** @type {any} */ (evt.data.object);
		assert.equal(obj.payment_status, 'paid');
		assert.match(obj.payment_intent, /^pi_/);
		assert.equal(obj.customer_details.email, 'anna@example.com');
		assert.equal(obj.url, null);
		assert.equal(obj.line_items, undefined);
		assert.equal(obj.metadata.orderRef, 'ord_1');
		assert.match(String(receiver.got[0].headers['content-type']), /^application\/json/);
		assert.notEqual(receiver.got[0].body, JSON.stringify(JSON.parse(receiver.got[0].body)), 'body is pretty-printed like Stripe');
		assert.equal(sim.events[0].status, 200);
		await assert.rejects(sim.pay(session.id), /not open/);
		ok('stripe: page "Pay" → signed checkout.session.completed verified by stripe.webhooks.constructEvent');

		// Redelivery: same body, fresh signature.
		const first = receiver.got[0];
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const redelivery = await sim.redeliver(sim.events[0].id);
		assert.equal(redelivery.status, 200);
		assert.equal(receiver.got[1].body, first.body);
		assert.notEqual(receiver.got[1].headers['stripe-signature'], first.headers['stripe-signature']);
		verify(receiver.got[1].body, String(receiver.got[1].headers['stripe-signature']));
		// Tampering.
		const signedReq = sim.signedRequest(sim.events[0].event);
		verify(signedReq.body, signedReq.headers['Stripe-Signature']);
		assert.throws(() => verify(signedReq.body.replace('"paid"', '"unpaid"'), signedReq.headers['Stripe-Signature']), /No signatures found/);
		const old = sim.signedRequest(sim.events[0].event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		assert.throws(() => verify(old.body, old.headers['Stripe-Signature']), /Timestamp outside the tolerance zone/);
		const wrong = sim.signedRequest(sim.events[0].event, { secret: 'whsec_other' });
		assert.throws(() => verify(wrong.body, wrong.headers['Stripe-Signature']), /No signatures found/);
		ok('stripe: redeliver (identical body, new signature) and signedRequest for tamper / stale / wrong-secret tests');

		// Async failure via the page, expire via the page and via the API.
		receiver.got.length = 0;
		const s2 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_room', quantity: 1 }] });
		const failJson = await http0.post(`${sim.url}/pay/${s2.id}/fail-async`, '', { headers: { Accept: 'application/json' } });
		assert.deepEqual(failJson.data.events.map((/** @type {any} */ e) => e.status), [200, 200]);
		assert.deepEqual(receiver.got.map((g) => JSON.parse(g.body).type), ['checkout.session.completed', 'checkout.session.async_payment_failed']);
		assert.equal(JSON.parse(receiver.got[0].body).data.object.payment_status, 'unpaid');
		const s3 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_room', quantity: 1 }] });
		await sim.payAsyncPending(s3.id);
		await sim.asyncSucceed(s3.id);
		assert.deepEqual(receiver.got.slice(2).map((g) => JSON.parse(g.body).type), ['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
		const s4 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_room', quantity: 1 }] });
		await http0.post(`${sim.url}/pay/${s4.id}/expire`, '');
		const expiredEvt = JSON.parse(receiver.got[4].body);
		assert.equal(expiredEvt.type, 'checkout.session.expired');
		assert.equal(expiredEvt.data.object.status, 'expired');
		assert.equal(expiredEvt.data.object.url, null);
		const s5 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_room', quantity: 1 }] });
		const expiredByApi = await stripe.checkout.sessions.expire(s5.id);
		assert.equal(expiredByApi.status, 'expired');
		assert.match(String(JSON.parse(receiver.got[5].body).request.id), /^req_/);
		const fetched = await stripe.checkout.sessions.retrieve(s2.id, { expand: ['line_items'] });
		assert.equal(fetched.line_items && fetched.line_items.data[0].quantity, 1);
		ok('stripe: fail-async (completed unpaid → async_payment_failed), pending → async_payment_succeeded, expire (page and API), retrieve+expand');

		// Subscription.
		receiver.got.length = 0;
		const sub = await stripe.checkout.sessions.create({
			mode: 'subscription',
			line_items: [{ price: 'price_pro', quantity: 3 }],
			subscription_data: { metadata: { conversationId: 'ig:1789000000001' } },
			metadata: { conversationId: 'ig:1789000000001' },
		});
		assert.equal(sub.amount_total, 8700);
		const subPaid = await sim.pay(sub.id);
		assert.deepEqual(subPaid.events.map((e) => e.type), ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
		const types = receiver.got.map((g) => verify(g.body, String(g.headers['stripe-signature'])).type);
		assert.deepEqual(types, ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
		const completed = /** @type {any} */ (JSON.parse(receiver.got[0].body).data.object);
		assert.match(completed.subscription, /^sub_/);
		assert.match(completed.customer, /^cus_/);
		const created = JSON.parse(receiver.got[1].body).data.object;
		assert.equal(created.metadata.conversationId, 'ig:1789000000001');
		const invoice = JSON.parse(receiver.got[2].body).data.object;
		assert.equal(invoice.subscription, completed.subscription);
		assert.equal(invoice.amount_paid, 8700);
		assert.equal(invoice.currency, 'usd');
		assert.ok(invoice.lines.data[0].period.end > invoice.lines.data[0].period.start);
		assert.equal(invoice.parent.subscription_details.metadata.conversationId, 'ig:1789000000001');
		assert.equal(invoice.subscription_details.metadata.conversationId, 'ig:1789000000001');
		await sim.failInvoice(completed.subscription);
		await sim.cancelSubscription(completed.subscription);
		const tail = receiver.got.slice(3).map((g) => JSON.parse(g.body));
		assert.deepEqual(tail.map((e) => e.type), ['invoice.payment_failed', 'customer.subscription.deleted']);
		assert.equal(tail[1].data.object.status, 'canceled');
		ok('stripe: subscription pay → completed + customer.subscription.created + invoice.paid; failInvoice; cancelSubscription');

		// Delivery modes.
		receiver.got.length = 0;
		const s6 = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_pro', quantity: 1 }] });
		await sim.pay(s6.id, { order: 'reverse', duplicates: 1 });
		assert.deepEqual(receiver.got.map((g) => JSON.parse(g.body).type), ['invoice.paid', 'invoice.paid', 'customer.subscription.created', 'customer.subscription.created', 'checkout.session.completed', 'checkout.session.completed']);
		ok('stripe: delivery options (reverse order, duplicates)');

		assert.throws(() => sim.setWebhookUrl('http://192.0.2.1/hook'), /loopback/);
		const everything = JSON.stringify({ events: sim.events.map((e) => e.event), sessions: [...sim.sessions.values()] });
		assert.ok(!/"(card|card_number|cvc|cvv|exp_month|exp_year|last4|fingerprint)"\s*:|4242424242424242/.test(everything), 'card data found');
		ok('stripe: non-loopback webhook URL refused; no card data in events');
	} finally {
		await sim.stop();
		await receiver.stop();
	}
}

async function checkLlm() {
	const sim = await startLlmSim({ apiKey: 'sk-sim', now: new Date('2026-05-01T12:00:00Z') });
	try {
		const auth = { headers: { Authorization: 'Bearer sk-sim' } };
		let r = await http0.get(`${sim.baseURL}/models`, auth);
		assert.equal(r.status, 200);
		assert.ok(r.data.data.length > 0);
		r = await http0.get(`${sim.baseURL}/models`, { headers: { Authorization: 'Bearer wrong' } });
		assert.equal(r.status, 401);
		assert.equal(r.data.error.code, 'invalid_api_key');
		ok('llm: GET /v1/models and 401 on a wrong key');

		// The "Read Chat Order" protocol: context in tags of the system message, the customer's text as the user message.
		const system = [
			'You read the latest messages of a customer chatting with a shop and report what they ask for, as one JSON object.',
			'<today>2026-05-01 (Friday)</today>',
			'<catalog>',
			JSON.stringify([{ key: 'deluxe-room', name: 'Grand Hotel Deluxe Room', kind: 'per_night' }, { key: 'saas-pro-monthly', name: 'Pro plan (monthly)', kind: 'subscription' }]),
			'</catalog>',
			'<order_so_far>',
			'{}',
			'</order_so_far>',
		].join('\n');
		const text = 'Hi, I need 2 deluxe rooms June 15-17, email anna@example.com';
		const expected = { intent: 'order', productKey: 'deluxe-room', quantity: 2, nights: null, checkIn: '2026-06-15', checkOut: '2026-06-17', email: 'anna@example.com' };
		const messages = [{ role: 'system', content: system }, { role: 'user', content: text }];
		r = await http0.post(`${sim.baseURL}/chat/completions`, { model: 'gpt-4o-mini', temperature: 0, messages }, auth);
		assert.equal(r.status, 200);
		assert.equal(r.data.choices[0].message.content, JSON.stringify(expected));
		ok('llm: chat completion → the protocol object as plain JSON content');

		r = await http0.post(
			`${sim.url}/chat/completions`,
			{
				model: 'gpt-4o-mini',
				messages: [{ role: 'system', content: system }, { role: 'user', content: [{ type: 'text', text: 'pro plan please, 5 seats' }] }],
				response_format: {
					type: 'json_schema',
					json_schema: {
						name: 'extract',
						strict: true,
						schema: {
							type: 'object',
							properties: { product: { type: 'string' }, quantity: { type: 'integer' }, check_in: { type: ['string', 'null'] }, email: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
							required: ['product', 'quantity', 'check_in', 'email'],
							additionalProperties: false,
						},
					},
				},
			},
			auth,
		);
		assert.deepEqual(JSON.parse(r.data.choices[0].message.content), { product: 'saas-pro-monthly', quantity: 5, check_in: null, email: null });
		ok('llm: response_format json_schema → content shaped to the schema (aliases, nullables)');

		const tools = [
			{
				type: 'function',
				function: {
					name: 'extract',
					parameters: { type: 'object', properties: { output: { type: 'object', properties: { intent: { type: 'string' }, productKey: { type: 'string' }, checkIn: { type: 'string' }, checkOut: { type: 'string' } } } }, required: ['output'] },
				},
			},
		];
		r = await http0.post(`${sim.baseURL}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'system', content: system }, { role: 'user', content: 'deluxe 15-17 June' }], tools, tool_choice: { type: 'function', function: { name: 'extract' } } }, auth);
		const call = r.data.choices[0].message.tool_calls[0];
		assert.equal(r.data.choices[0].finish_reason, 'tool_calls');
		assert.equal(call.function.name, 'extract');
		assert.deepEqual(JSON.parse(call.function.arguments), { output: { intent: 'order', productKey: 'deluxe-room', checkIn: '2026-06-15', checkOut: '2026-06-17' } });
		ok('llm: tools → one tool call, arguments shaped (wrapped in output)');

		r = await http0.post(`${sim.baseURL}/chat/completions`, { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages, tools }, { ...auth, responseType: 'text' });
		const chunks = String(r.data).split('\n\n').filter(Boolean);
		assert.equal(chunks[chunks.length - 1], 'data: [DONE]');
		const args = chunks
			.slice(0, -1)
			.map((c) => JSON.parse(c.replace(/^data: /, '')))
			.flatMap((c) => c.choices.map((/** @type {any} */ ch) => ch.delta?.tool_calls?.[0]?.function?.arguments ?? ''))
			.join('');
		assert.equal(JSON.parse(args).output.productKey, 'deluxe-room');
		r = await http0.post(`${sim.baseURL}/chat/completions`, { model: 'gpt-4o-mini', stream: true, messages }, { ...auth, responseType: 'text' });
		const content = String(r.data)
			.split('\n\n')
			.filter((c) => c && c !== 'data: [DONE]')
			.map((c) => JSON.parse(c.replace(/^data: /, '')).choices[0].delta.content ?? '')
			.join('');
		assert.deepEqual(JSON.parse(content), expected);
		ok('llm: stream: true (SSE chunks + [DONE]) for tool calls and content');

		r = await http0.post(`${sim.baseURL}/responses`, { model: 'gpt-4.1-mini', instructions: system, input: [{ role: 'user', content: [{ type: 'input_text', text }] }] }, auth);
		assert.equal(r.data.object, 'response');
		assert.deepEqual(JSON.parse(r.data.output[0].content[0].text), expected);
		r = await http0.post(`${sim.baseURL}/responses`, { model: 'gpt-4.1-mini', stream: true, instructions: system, input: text }, { ...auth, responseType: 'text' });
		assert.match(String(r.data), /event: response\.completed/);
		ok('llm: Responses API (instructions as the system message; streaming events)');

		assert.equal(sim.requests.length, 9);
		assert.equal(sim.requests[2].reading && sim.requests[2].reading.productKey, 'deluxe-room');
	} finally {
		await sim.stop();
	}
}

async function main() {
	console.log(`sandbox self-check on Node ${process.version}`);
	await checkGraph();
	await checkStripe();
	await checkLlm();
	console.log('ALL OK');
}

main().catch((err) => {
	console.error('SELF-CHECK FAILED:', err);
	process.exitCode = 1;
});
