// @ts-check
'use strict';
/**
 * The after-sale half of the Stripe simulator (stripe-sim.js wires it in): the Customer Portal and refunds,
 * each sending the signed events Stripe sends.
 *
 * - `POST /v1/billing_portal/sessions` for a known customer (Stripe's errors for an unknown customer or
 *   configuration, and, after `setPortalConfigured(false)`, its "No configuration provided and your test mode
 *   default configuration has not been created" 400). The session's `url` is a portal page on this server
 *   (`/portal/:id`) where the customer's own subscriptions can be cancelled at the period end or at once,
 *   kept after all, switched to another plan (`setPortalPlans`), and the card updated:
 *   `customer.subscription.updated` (with `cancel_at_period_end` or the new price, and `previous_attributes`),
 *   `customer.subscription.deleted`, or `payment_method.attached` + `customer.updated`.
 * - `POST /v1/refunds` (by payment_intent or charge, full or partial) and `refund(sessionId, { amount })`, and
 *   refund buttons on the session page: `charge.refunded` with the charge's amounts and `previous_attributes`.
 *   The charge of a paid one-off session is made when first needed, with the payment intent's metadata (Stripe
 *   copies it onto the charge). Subscription payments are not refunded here.
 *
 * No card data anywhere: payment methods carry no card details.
 */
const { randomId, escapeHtml, sendHtml, sendJson, readBody, isLoopbackUrl } = require('../http');

/** The id of the portal configuration Stripe makes when its settings are saved once. */
const DEFAULT_PORTAL_CONFIGURATION = 'bpc_1SIMdefaultportal';

/**
 * @typedef {object} AfterSaleCore  What stripe-sim.js shares with its after-sale part.
 * @property {() => number} nowSec
 * @property {() => string} baseUrl
 * @property {string} accountName
 * @property {(type: string, object: Record<string, any>, ctx?: { requestId?: string | null, idempotencyKey?: string | null, previousAttributes?: Record<string, any> }) => import('./index').EventRecord} createEvent
 * @property {(records: import('./index').EventRecord[], opts?: import('./index').DeliveryOptions) => Promise<void>} deliverAll
 * @property {(param: string, message: string, code?: string, status?: number) => Error} invalid
 * @property {(param: string) => Error} missingParam
 * @property {(amount: number, currency: string) => string} formatAmount
 * @property {(currency: string) => number} currencyDigits  Decimal places of the currency's minor unit (0, 2 or 3).
 * @property {(spec: import('./index').PriceSpec) => Record<string, any>} addPrice
 * @property {(subscriptionId: string, opts?: import('./index').DeliveryOptions) => Promise<import('./index').ActionResult>} cancelSubscription
 * @property {(sessionId: string) => Record<string, any> | null} publicSession
 * @property {Map<string, Record<string, any>>} sessions
 * @property {Map<string, Record<string, any>>} subscriptions
 * @property {Map<string, Record<string, any>>} paymentIntents
 * @property {Map<string, Record<string, any>>} customers
 * @property {Map<string, Record<string, any>>} prices
 * @property {Map<string, Record<string, any>>} products
 */

/**
 * @typedef {import('./index').ActionResult & { refund: Record<string, any> }} RefundResult
 */

const clone = (/** @type {any} */ v) => JSON.parse(JSON.stringify(v));

/** @param {AfterSaleCore} core @param {{ portalConfigured?: boolean }} [options] */
function createAfterSale(core, options = {}) {
	let portalConfigured = options.portalConfigured ?? true;
	/** @type {Map<string, Record<string, any>>} */
	const portalSessions = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const charges = new Map();
	/** @type {Map<string, Record<string, any>>} */
	const refunds = new Map();
	/** @type {string[]} */
	let portalPlanIds = [];

	// ---------------------------------------------------------------------------------------------
	// Refunds

	/** The charge behind a succeeded payment intent, made when first needed. @param {Record<string, any>} pi */
	function chargeOf(pi) {
		if (pi.latest_charge && charges.has(pi.latest_charge)) return /** @type {Record<string, any>} */ (charges.get(pi.latest_charge));
		const session = [...core.sessions.values()].find((s) => s.payment_intent === pi.id);
		const charge = {
			id: randomId('ch_3SIM', 20),
			object: 'charge',
			amount: pi.amount,
			amount_captured: pi.amount,
			amount_refunded: 0,
			billing_details: { address: null, email: session?.customer_details?.email ?? null, name: null, phone: null },
			captured: true,
			created: pi.created,
			currency: pi.currency,
			customer: pi.customer ?? null,
			description: null,
			livemode: false,
			// Stripe copies the payment intent's metadata onto the charge it creates.
			metadata: { ...(pi.metadata ?? {}) },
			paid: true,
			payment_intent: pi.id,
			payment_method: null,
			receipt_email: null,
			refunded: false,
			status: 'succeeded',
		};
		charges.set(charge.id, charge);
		pi.latest_charge = charge.id;
		return charge;
	}

	/** @param {unknown} value @param {string} param */
	function positiveAmount(value, param) {
		const text = String(value ?? '').trim();
		if (!/^\d+$/.test(text) || Number(text) < 1) throw core.invalid(param, `Invalid positive integer: ${text}`, 'parameter_invalid_integer');
		return Number(text);
	}

	/**
	 * @param {Record<string, any>} charge
	 * @param {{ amount?: number, reason?: string, metadata?: Record<string, string> }} ask
	 * @param {import('./index').DeliveryOptions} [opts]
	 * @param {{ requestId?: string | null, idempotencyKey?: string | null }} [ctx]
	 */
	async function refundCharge(charge, ask, opts = {}, ctx = {}) {
		const remaining = charge.amount - charge.amount_refunded;
		if (remaining <= 0) throw core.invalid('charge', `Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
		const amount = ask.amount ?? remaining;
		if (amount > remaining) {
			throw core.invalid('amount', `Refund amount (${core.formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${core.formatAmount(remaining, charge.currency)})`);
		}
		const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
		charge.amount_refunded += amount;
		charge.refunded = charge.amount_refunded >= charge.amount;
		const refund = {
			id: randomId('re_3SIM', 20),
			object: 'refund',
			amount,
			charge: charge.id,
			created: core.nowSec(),
			currency: charge.currency,
			metadata: { ...(ask.metadata ?? {}) },
			payment_intent: charge.payment_intent,
			reason: ask.reason ?? null,
			status: 'succeeded',
		};
		refunds.set(refund.id, refund);
		const recs = [core.createEvent('charge.refunded', charge, { ...ctx, previousAttributes: previous })];
		await core.deliverAll(recs, opts);
		return { refund, events: recs };
	}

	/**
	 * Refunds a paid one-off Checkout Session, in full or `amount` minor units of it.
	 * @param {string} sessionId
	 * @param {import('./index').DeliveryOptions & { amount?: number, reason?: string }} [opts]
	 * @returns {Promise<RefundResult>}
	 */
	async function refund(sessionId, opts = {}) {
		const s = core.sessions.get(sessionId);
		if (!s) throw new Error(`stripe-sim: no such checkout session ${sessionId}`);
		if (s.mode !== 'payment') throw new Error(`stripe-sim: refunds are simulated for one-off payments; session ${sessionId} is ${s.mode} mode`);
		const pi = s.payment_intent ? core.paymentIntents.get(s.payment_intent) : undefined;
		if (!pi || pi.status !== 'succeeded') throw new Error(`stripe-sim: session ${sessionId} has no successful payment to refund`);
		const { amount, reason, ...delivery } = opts;
		try {
			const done = await refundCharge(chargeOf(pi), { amount, reason }, delivery);
			return { session: core.publicSession(sessionId), events: done.events, refund: done.refund };
		} catch (err) {
			throw new Error(`stripe-sim: ${err instanceof Error ? err.message : String(err)}`);
		}
	}

	/** @param {Record<string, any>} params @param {{ requestId?: string | null, idempotencyKey?: string | null }} ctx */
	async function createRefund(params, ctx) {
		if ((params.payment_intent === undefined) === (params.charge === undefined)) {
			throw core.invalid('', 'You must pass either `payment_intent` or `charge` (not both).', 'parameter_missing');
		}
		/** @type {Record<string, any> | undefined} */
		let charge;
		if (params.charge !== undefined) {
			charge = charges.get(String(params.charge));
			if (!charge) throw core.invalid('charge', `No such charge: '${params.charge}'`, 'resource_missing');
		} else {
			const pi = core.paymentIntents.get(String(params.payment_intent));
			if (!pi) throw core.invalid('payment_intent', `No such payment_intent: '${params.payment_intent}'`, 'resource_missing');
			if (pi.status !== 'succeeded') throw core.invalid('payment_intent', 'This PaymentIntent does not have a successful charge to refund.');
			charge = chargeOf(pi);
		}
		const reasons = ['duplicate', 'fraudulent', 'requested_by_customer'];
		if (params.reason !== undefined && !reasons.includes(params.reason)) {
			throw core.invalid('reason', `Invalid reason: must be one of ${reasons.join(', ')}`, 'parameter_invalid_string');
		}
		const amount = params.amount === undefined ? undefined : positiveAmount(params.amount, 'amount');
		const metadata = params.metadata && typeof params.metadata === 'object' ? params.metadata : undefined;
		return (await refundCharge(charge, { amount, reason: params.reason, metadata }, {}, ctx)).refund;
	}

	// ---------------------------------------------------------------------------------------------
	// Customer Portal

	/** @param {Record<string, any>} params @param {string} baseUrl */
	function createPortalSession(params, baseUrl) {
		if (params.customer === undefined || params.customer === '') throw core.missingParam('customer');
		const customer = core.customers.get(String(params.customer));
		if (!customer) throw core.invalid('customer', `No such customer: '${params.customer}'`, 'resource_missing');
		if (params.configuration !== undefined && params.configuration !== DEFAULT_PORTAL_CONFIGURATION) {
			throw core.invalid('configuration', `No such configuration: '${params.configuration}'`, 'resource_missing');
		}
		if (params.configuration === undefined && !portalConfigured) {
			throw core.invalid(
				'',
				'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.',
			);
		}
		if (params.return_url !== undefined) {
			try {
				new URL(String(params.return_url));
			} catch {
				throw core.invalid('return_url', 'Not a valid URL', 'url_invalid');
			}
		}
		const id = randomId('bps_1SIM', 20);
		const session = {
			id,
			object: 'billing_portal.session',
			configuration: DEFAULT_PORTAL_CONFIGURATION,
			created: core.nowSec(),
			customer: customer.id,
			flow: null,
			livemode: false,
			locale: params.locale ?? null,
			on_behalf_of: null,
			return_url: params.return_url ?? null,
			url: `${baseUrl}/portal/${id}`,
		};
		portalSessions.set(id, session);
		return session;
	}

	/** @param {string} subId */
	function mustSub(subId) {
		const sub = core.subscriptions.get(subId);
		if (!sub) throw new Error(`stripe-sim: no such subscription ${subId}`);
		if (sub.status === 'canceled') throw new Error(`stripe-sim: subscription ${subId} is already canceled`);
		return sub;
	}

	const cancellationFields = (/** @type {Record<string, any>} */ sub) => ({
		cancel_at: sub.cancel_at ?? null,
		cancel_at_period_end: sub.cancel_at_period_end === true,
		canceled_at: sub.canceled_at ?? null,
		cancellation_details: clone(sub.cancellation_details ?? { comment: null, feedback: null, reason: null }),
	});

	/**
	 * @param {Record<string, any>} sub
	 * @param {Record<string, any>} previous
	 * @param {import('./index').DeliveryOptions} opts
	 */
	async function subscriptionUpdated(sub, previous, opts) {
		const recs = [core.createEvent('customer.subscription.updated', sub, { previousAttributes: previous })];
		await core.deliverAll(recs, opts);
		return { session: null, events: recs };
	}

	/**
	 * The subscriber cancels in the portal: at the end of the paid period (an update), or at once (deleted).
	 * @param {string} subId
	 * @param {import('./index').DeliveryOptions & { atPeriodEnd?: boolean }} [opts]
	 * @returns {Promise<import('./index').ActionResult>}
	 */
	async function portalCancel(subId, opts = {}) {
		const { atPeriodEnd = true, ...delivery } = opts;
		const sub = mustSub(subId);
		if (!atPeriodEnd) return await core.cancelSubscription(subId, delivery);
		if (sub.cancel_at_period_end) throw new Error(`stripe-sim: subscription ${subId} is already set to cancel at the period end`);
		const previous = cancellationFields(sub);
		sub.cancel_at_period_end = true;
		sub.cancel_at = sub.items.data[0]?.current_period_end ?? core.nowSec();
		sub.canceled_at = core.nowSec();
		sub.cancellation_details = { comment: null, feedback: null, reason: 'cancellation_requested' };
		return await subscriptionUpdated(sub, previous, delivery);
	}

	/**
	 * The subscriber withdraws a cancellation scheduled for the period end ("Renew subscription").
	 * @param {string} subId
	 * @param {import('./index').DeliveryOptions} [opts]
	 * @returns {Promise<import('./index').ActionResult>}
	 */
	async function portalKeepSubscription(subId, opts = {}) {
		const sub = mustSub(subId);
		if (!sub.cancel_at_period_end && !sub.cancel_at) throw new Error(`stripe-sim: subscription ${subId} has no cancellation to withdraw`);
		const previous = cancellationFields(sub);
		sub.cancel_at_period_end = false;
		sub.cancel_at = null;
		sub.canceled_at = null;
		sub.cancellation_details = { comment: null, feedback: null, reason: null };
		return await subscriptionUpdated(sub, previous, opts);
	}

	/**
	 * The subscriber switches to another recurring price (of `setPortalPlans`, or any known one).
	 * @param {string} subId
	 * @param {string} priceId
	 * @param {import('./index').DeliveryOptions} [opts]
	 * @returns {Promise<import('./index').ActionResult>}
	 */
	async function portalChangePlan(subId, priceId, opts = {}) {
		const sub = mustSub(subId);
		const price = core.prices.get(priceId);
		if (!price || !price.recurring) throw new Error(`stripe-sim: ${priceId} is not a recurring price of this sandbox`);
		if (price.currency !== sub.currency) throw new Error(`stripe-sim: ${priceId} is in ${price.currency}, the subscription in ${sub.currency}`);
		const item = sub.items.data[0];
		if (!item) throw new Error(`stripe-sim: subscription ${subId} has no item`);
		if (item.price.id === priceId) throw new Error(`stripe-sim: subscription ${subId} already has price ${priceId}`);
		const previous = { items: clone(sub.items) };
		item.price = clone(price);
		return await subscriptionUpdated(sub, previous, opts);
	}

	/**
	 * The customer adds a new card in the portal: payment_method.attached, then customer.updated with it as
	 * the default for invoices. The payment method carries no card details.
	 * @param {string} customerId
	 * @param {import('./index').DeliveryOptions} [opts]
	 * @returns {Promise<import('./index').ActionResult>}
	 */
	async function portalUpdateCard(customerId, opts = {}) {
		const customer = core.customers.get(customerId);
		if (!customer) throw new Error(`stripe-sim: no such customer ${customerId}`);
		const paymentMethod = {
			id: randomId('pm_1SIM', 20),
			object: 'payment_method',
			billing_details: { address: null, email: customer.email ?? null, name: null, phone: null },
			created: core.nowSec(),
			customer: customer.id,
			livemode: false,
			metadata: {},
			type: 'card',
		};
		const before = clone(customer.invoice_settings ?? { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null });
		customer.invoice_settings = { ...before, default_payment_method: paymentMethod.id };
		const recs = [
			core.createEvent('payment_method.attached', paymentMethod),
			core.createEvent('customer.updated', customer, { previousAttributes: { invoice_settings: before } }),
		];
		await core.deliverAll(recs, opts);
		return { session: null, events: recs };
	}

	// ---------------------------------------------------------------------------------------------
	// API routes: { status, body } for the paths this part answers, undefined for the others

	/**
	 * @param {string} method
	 * @param {string[]} segs  after 'v1'
	 * @param {Record<string, any>} params
	 * @param {{ baseUrl: string, requestId: string, idempotencyKey: string | null }} ctx
	 * @returns {Promise<{ status: number, body: unknown } | undefined>}
	 */
	async function route(method, segs, params, ctx) {
		const [a, b, c] = segs;
		if (a === 'billing_portal' && b === 'sessions' && segs.length === 2 && method === 'POST') {
			return { status: 200, body: clone(createPortalSession(params, ctx.baseUrl)) };
		}
		if (a === 'refunds' && segs.length === 1 && method === 'POST') return { status: 200, body: clone(await createRefund(params, ctx)) };
		if (a === 'refunds' && segs.length === 2 && method === 'GET') {
			const r = refunds.get(b);
			if (!r) throw core.invalid('refund', `No such refund: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(r) };
		}
		if (a === 'charges' && segs.length === 2 && method === 'GET') {
			const ch = charges.get(b);
			if (!ch) throw core.invalid('charge', `No such charge: '${b}'`, 'resource_missing', 404);
			return { status: 200, body: clone(ch) };
		}
		void c;
		return undefined;
	}

	// ---------------------------------------------------------------------------------------------
	// The portal page, and the refund part of the session page

	/** @param {Record<string, any>} sub */
	function planLine(sub) {
		const item = sub.items.data[0];
		if (!item) return '—';
		const name = core.products.get(item.price.product)?.name ?? item.price.id;
		const every = item.price.recurring ? ` / ${item.price.recurring.interval}` : '';
		return `${name} × ${item.quantity} · ${core.formatAmount(Number(item.price.unit_amount), item.price.currency)}${every}`;
	}

	const day = (/** @type {number | null | undefined} */ seconds) => (seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : '—');

	/** @param {Record<string, any>} portal @param {string} [notice] */
	function portalHtml(portal, notice) {
		const customer = core.customers.get(portal.customer);
		const subs = [...core.subscriptions.values()].filter((sub) => sub.customer === portal.customer && sub.status !== 'canceled');
		const button = (/** @type {string} */ action, /** @type {string} */ label, /** @type {string} */ id) =>
			`<form method="post" action="/portal/${escapeHtml(portal.id)}/${action}"><button type="submit" id="${escapeHtml(id)}">${escapeHtml(label)}</button></form>`;
		const rows = subs
			.map((sub) => {
				const scheduled = sub.cancel_at_period_end || sub.cancel_at;
				const plans = portalPlanIds
					.map((id) => core.prices.get(id))
					.filter((p) => p && p.currency === sub.currency && p.id !== sub.items.data[0]?.price.id)
					.map((p) => button(`switch/${sub.id}/${p?.id}`, `Switch to ${core.products.get(p?.product)?.name ?? p?.id}`, `switch-${p?.id}`))
					.join('');
				const actions = scheduled
					? button(`keep/${sub.id}`, "Don't cancel", `keep-${sub.id}`)
					: `${button(`cancel/${sub.id}`, 'Cancel at period end', `cancel-${sub.id}`)}${button(`cancel-now/${sub.id}`, 'Cancel now', `cancel-now-${sub.id}`)}`;
				const state = scheduled ? `cancels on ${day(sub.cancel_at)}` : `renews on ${day(sub.items.data[0]?.current_period_end)}`;
				return `<div class="sub" id="sub-${escapeHtml(sub.id)}"><p><b>${escapeHtml(planLine(sub))}</b><br><span class="muted">${escapeHtml(sub.status)} · ${escapeHtml(state)}</span></p>${actions}${plans}</div>`;
			})
			.join('');
		const back = portal.return_url
			? `<p>${isLoopbackUrl(portal.return_url) ? `<a href="${escapeHtml(portal.return_url)}">Return to ${escapeHtml(core.accountName)}</a>` : `Return link: <code>${escapeHtml(portal.return_url)}</code>`}</p>`
			: '';
		return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(core.accountName)} – Sandbox customer portal</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0;padding:24px}
.card{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 4px}.muted{color:#697386;font-size:13px}.sub{border-top:1px solid #e3e8ee;padding:8px 0}
form{display:inline-block;margin:4px 8px 4px 0}button{border:0;border-radius:6px;padding:8px 14px;font-size:14px;cursor:pointer;background:#e3e8ee}
.notice{background:#eef9f1;border:1px solid #b7e4c7;border-radius:6px;padding:8px 12px;margin:12px 0}
.test{background:#ffde92;color:#663c00;font-size:12px;padding:2px 6px;border-radius:4px}
</style></head>
<body><div class="card">
<p><span class="test">TEST MODE</span> <span class="muted">Sandbox customer portal – no card data</span></p>
<h1>${escapeHtml(core.accountName)}</h1>
<p class="muted">Customer <code id="customer-id">${escapeHtml(portal.customer)}</code>${customer?.email ? ` · ${escapeHtml(customer.email)}` : ''}</p>
${notice ? `<div class="notice" id="notice">${escapeHtml(notice)}</div>` : ''}
<h2>Subscriptions</h2>
${rows || '<p id="no-subscriptions">No active subscription.</p>'}
<h2>Payment method</h2>
<p class="muted">${customer?.invoice_settings?.default_payment_method ? `Default: <code>${escapeHtml(customer.invoice_settings.default_payment_method)}</code>` : 'None on file'}</p>
${button('update-card', 'Update card', 'update-card')}
${back}
</div></body></html>`;
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {string[]} segs  after 'portal'
	 */
	async function handlePortalPage(req, res, segs) {
		const method = (req.method ?? 'GET').toUpperCase();
		const wantsJson = /application\/json/.test(String(req.headers.accept ?? ''));
		const portal = portalSessions.get(segs[0] ?? '');
		if (!portal) return sendHtml(res, 404, '<!doctype html><html><body><h1>Portal session not found</h1></body></html>');
		if (segs.length === 1 && method === 'GET') return sendHtml(res, 200, portalHtml(portal));
		if (method !== 'POST') return sendHtml(res, 405, '<!doctype html><html><body><h1>Method not allowed</h1></body></html>', { Allow: 'POST' });
		await readBody(req);
		const [, action, subId, priceId] = segs;
		/** The page acts on its own customer's subscriptions only. */
		const own = () => {
			const sub = core.subscriptions.get(subId ?? '');
			if (!sub || sub.customer !== portal.customer) throw Object.assign(new Error('not a subscription of this customer'), { status: 403 });
			return sub.id;
		};
		/** @type {Record<string, [() => Promise<import('./index').ActionResult>, string]>} */
		const actions = {
			cancel: [() => portalCancel(own()), 'Your subscription will be cancelled at the end of the period.'],
			'cancel-now': [() => portalCancel(own(), { atPeriodEnd: false }), 'Your subscription is cancelled.'],
			keep: [() => portalKeepSubscription(own()), 'Your subscription will continue.'],
			switch: [() => portalChangePlan(own(), priceId ?? ''), 'Your plan is changed.'],
			'update-card': [() => portalUpdateCard(portal.customer), 'Your card is updated.'],
		};
		const chosen = action ? actions[action] : undefined;
		if (!chosen) return sendHtml(res, 404, '<!doctype html><html><body><h1>Unknown action</h1></body></html>');
		try {
			const result = await chosen[0]();
			if (wantsJson) return sendJson(res, 200, { events: result.events.map((e) => ({ id: e.id, type: e.type, status: e.status })) });
			return sendHtml(res, 200, portalHtml(portal, chosen[1]));
		} catch (err) {
			const status = /** @type {{ status?: number }} */ (err).status ?? 409;
			const message = err instanceof Error ? err.message : String(err);
			if (wantsJson) return sendJson(res, status, { error: { message } });
			return sendHtml(res, status, portalHtml(portal, message));
		}
	}

	/** The refund part of a session page: what is refunded, and the buttons. @param {Record<string, any>} s */
	function refundHtml(s) {
		if (s.mode !== 'payment' || s.status !== 'complete' || s.payment_status !== 'paid') return '';
		const pi = s.payment_intent ? core.paymentIntents.get(s.payment_intent) : undefined;
		const charge = pi?.latest_charge ? charges.get(pi.latest_charge) : undefined;
		const refunded = charge?.amount_refunded ?? 0;
		const total = Number(s.amount_total ?? 0);
		const line = refunded > 0 ? `<p class="muted" id="refunded">Refunded ${escapeHtml(core.formatAmount(refunded, s.currency))} of ${escapeHtml(core.formatAmount(total, s.currency))}</p>` : '';
		if (refunded >= total) return line;
		return `${line}<form method="post" action="/pay/${escapeHtml(s.id)}/refund"><button type="submit" class="expire" id="btn-refund">Refund in full</button></form>
<form method="post" action="/pay/${escapeHtml(s.id)}/refund"><input name="amount" id="refund-amount" size="8" placeholder="e.g. 10.00" aria-label="Amount to refund (${escapeHtml(String(s.currency).toUpperCase())})"> <button type="submit" class="expire" id="btn-refund-part">Refund part</button></form>`;
	}

	/**
	 * The minor units an amount typed on the page means (major units, the currency's decimals); undefined for
	 * an empty field (refund in full).
	 * @param {string} body  The form body.
	 * @param {string} currency
	 */
	function amountFromForm(body, currency) {
		const text = (new URLSearchParams(body).get('amount') ?? '').trim();
		if (text === '') return undefined;
		const digits = core.currencyDigits(currency);
		const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
		if (!match || (match[2]?.length ?? 0) > digits) throw new Error(`"${text}" is not an amount in ${currency.toUpperCase()}`);
		return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
	}

	return {
		portalSessions,
		charges,
		refunds,
		route,
		handlePortalPage,
		refundHtml,
		amountFromForm,
		refund,
		portalCancel,
		portalKeepSubscription,
		portalChangePlan,
		portalUpdateCard,
		/** @param {boolean} configured */
		setPortalConfigured: (configured) => {
			portalConfigured = configured;
		},
		/** @param {import('./index').PriceSpec[]} specs */
		setPortalPlans: (specs) => {
			portalPlanIds = specs.map((spec) => {
				if (!spec.recurring) throw new Error(`setPortalPlans: ${spec.id} needs recurring { interval }`);
				return core.addPrice(spec).id;
			});
			return portalPlanIds.map((id) => clone(core.prices.get(id)));
		},
		reset: () => {
			portalSessions.clear();
			charges.clear();
			refunds.clear();
		},
	};
}

module.exports = { createAfterSale, DEFAULT_PORTAL_CONFIGURATION };
