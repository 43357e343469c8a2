/**
 * What the customer does on the hosted page (or a test does in code) with an open Checkout Session: pay,
 * start a delayed payment that later succeeds or fails, or let it expire; each sends Stripe's events.
 */
import { randomId } from '../http';
import { publicSession } from './sessionView';
import type { SessionRecord, SimContext } from './context';
import { deliverAll } from './delivery';
import { createEvent, type EventCause } from './events';
import { startSubscription } from './subscriptions';
import type { ActionResult, DeliveryOptions, EventRecord, StripeObject } from './types';

export type PayOptions = DeliveryOptions & { email?: string; name?: string };

function mustSession(ctx: SimContext, id: string): SessionRecord {
	const s = ctx.sessions.get(id);
	if (!s) throw new Error(`stripe-sim: no such checkout session ${id}`);
	return s;
}

function mustBeOpen(s: SessionRecord): void {
	if (s.status !== 'open') throw new Error(`stripe-sim: checkout session ${s.id} is ${s.status}, not open`);
}

function mustBePendingAsync(s: SessionRecord): void {
	if (s.status !== 'complete' || s.payment_status !== 'unpaid') {
		throw new Error(`stripe-sim: session ${s.id} has no pending async payment (status ${s.status}, payment_status ${s.payment_status})`);
	}
}

function customerDetails(ctx: SimContext, s: SessionRecord, opts: { email?: string; name?: string }) {
	const customer = s.customer ? ctx.customers.get(s.customer) : null;
	return {
		address: null,
		email: opts.email ?? s.customer_email ?? customer?.email ?? 'customer@example.com',
		name: opts.name ?? null,
		phone: null,
		tax_exempt: 'none',
		tax_ids: [],
	};
}

/** @param status succeeded | processing | requires_payment_method */
function createPaymentIntent(ctx: SimContext, s: SessionRecord, status: string): StripeObject {
	const pi = {
		id: randomId('pi_3SIM', 20),
		object: 'payment_intent',
		amount: s.amount_total,
		amount_received: status === 'succeeded' ? s.amount_total : 0,
		currency: s.currency,
		customer: s.customer,
		created: ctx.nowSec(),
		description: null,
		latest_charge: null,
		livemode: false,
		metadata: { ...(s.payment_intent_data?.metadata ?? {}) },
		payment_method: null,
		payment_method_types: s.payment_method_types,
		status,
	};
	ctx.paymentIntents.set(pi.id, pi);
	return pi;
}

export function createCustomer(ctx: SimContext, email: string): StripeObject {
	const c = { id: randomId('cus_SIM', 14), object: 'customer', created: ctx.nowSec(), email, livemode: false, metadata: {}, name: null };
	ctx.customers.set(c.id, c);
	return c;
}

async function finish(ctx: SimContext, s: SessionRecord, recs: EventRecord[], opts: DeliveryOptions): Promise<ActionResult> {
	await deliverAll(ctx, recs, opts);
	return { session: publicSession(ctx, s), events: recs };
}

/** The customer completes the page with a delayed method: complete but unpaid, its payment intent processing. */
function startAsyncPayment(ctx: SimContext, s: SessionRecord, opts: PayOptions): EventRecord {
	if (s.mode !== 'payment') throw new Error('stripe-sim: delayed payment methods are simulated for payment mode only');
	s.customer_details = customerDetails(ctx, s, opts);
	s.status = 'complete';
	s.url = null;
	s.payment_status = 'unpaid';
	s.payment_intent = createPaymentIntent(ctx, s, 'processing').id;
	return createEvent(ctx, 'checkout.session.completed', publicSession(ctx, s));
}

export async function pay(ctx: SimContext, id: string, opts: PayOptions = {}): Promise<ActionResult> {
	const s = mustSession(ctx, id);
	mustBeOpen(s);
	s.customer_details = customerDetails(ctx, s, opts);
	s.status = 'complete';
	s.url = null;
	const recs: EventRecord[] = [];
	if (s.mode === 'payment') {
		s.payment_status = 'paid';
		s.payment_intent = createPaymentIntent(ctx, s, 'succeeded').id;
		if (s.customer_creation === 'always' && !s.customer) s.customer = createCustomer(ctx, s.customer_details.email).id;
		recs.push(createEvent(ctx, 'checkout.session.completed', publicSession(ctx, s)));
	} else if (s.mode === 'setup') {
		s.payment_status = 'no_payment_required';
		s.setup_intent = randomId('seti_1SIM', 20);
		recs.push(createEvent(ctx, 'checkout.session.completed', publicSession(ctx, s)));
	} else {
		s.payment_status = 'paid';
		if (!s.customer) s.customer = createCustomer(ctx, s.customer_details.email).id;
		const { subscription, invoice } = startSubscription(ctx, s);
		s.subscription = subscription.id;
		s.invoice = invoice.id;
		recs.push(createEvent(ctx, 'checkout.session.completed', publicSession(ctx, s)));
		recs.push(createEvent(ctx, 'customer.subscription.created', subscription));
		recs.push(createEvent(ctx, 'invoice.paid', invoice));
	}
	return finish(ctx, s, recs, opts);
}

export async function payAsyncPending(ctx: SimContext, id: string, opts: PayOptions = {}): Promise<ActionResult> {
	const s = mustSession(ctx, id);
	mustBeOpen(s);
	return finish(ctx, s, [startAsyncPayment(ctx, s, opts)], opts);
}

export async function asyncSucceed(ctx: SimContext, id: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const s = mustSession(ctx, id);
	mustBePendingAsync(s);
	s.payment_status = 'paid';
	const pi = s.payment_intent ? ctx.paymentIntents.get(s.payment_intent) : null;
	if (pi) {
		pi.status = 'succeeded';
		pi.amount_received = pi.amount;
	}
	return finish(ctx, s, [createEvent(ctx, 'checkout.session.async_payment_succeeded', publicSession(ctx, s))], opts);
}

/** The delayed payment fails; an open session is first completed with one (as the page's button does). */
export async function failAsync(ctx: SimContext, id: string, opts: PayOptions = {}): Promise<ActionResult> {
	const s = mustSession(ctx, id);
	const recs: EventRecord[] = [];
	if (s.status === 'open') recs.push(startAsyncPayment(ctx, s, opts));
	else mustBePendingAsync(s);
	const pi = s.payment_intent ? ctx.paymentIntents.get(s.payment_intent) : null;
	if (pi) pi.status = 'requires_payment_method';
	recs.push(createEvent(ctx, 'checkout.session.async_payment_failed', publicSession(ctx, s)));
	return finish(ctx, s, recs, opts);
}

export async function expire(ctx: SimContext, id: string, opts: DeliveryOptions = {}, cause: EventCause = {}): Promise<ActionResult> {
	const s = mustSession(ctx, id);
	mustBeOpen(s);
	s.status = 'expired';
	s.url = null;
	return finish(ctx, s, [createEvent(ctx, 'checkout.session.expired', publicSession(ctx, s), cause)], opts);
}
