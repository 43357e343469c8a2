/**
 * Refunds of paid one-off payments, full or partial, by code (`refund(sessionId, { amount })`) or
 * `POST /v1/refunds` (by payment_intent or charge): `charge.refunded` with the charge's amounts and
 * `previous_attributes`. The charge of a paid one-off session is made when first needed, with the payment
 * intent's metadata (Stripe copies it onto the charge). Subscription payments are not refunded here.
 */
import { randomId } from '../http';
import { publicSession } from './sessionView';
import { clone, type SimContext } from './context';
import { deliverAll } from './delivery';
import { invalid } from './errors';
import { createEvent, type EventCause } from './events';
import { formatAmount } from './money';
import type { ApiAnswer, ApiRequestContext } from './pagination';
import type { DeliveryOptions, EventRecord, RefundResult, StripeObject } from './types';

/** The charge behind a succeeded payment intent, made when first needed. */
function chargeOf(ctx: SimContext, pi: StripeObject): StripeObject {
	const existing = pi.latest_charge ? ctx.charges.get(pi.latest_charge) : undefined;
	if (existing) return existing;
	const session = [...ctx.sessions.values()].find((s) => s.payment_intent === pi.id);
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
	ctx.charges.set(charge.id, charge);
	pi.latest_charge = charge.id;
	return charge;
}

function positiveAmount(value: unknown, param: string): number {
	const text = String(value ?? '').trim();
	if (!/^\d+$/.test(text) || Number(text) < 1) throw invalid(param, `Invalid positive integer: ${text}`, 'parameter_invalid_integer');
	return Number(text);
}

interface RefundAsk {
	amount?: number;
	reason?: string;
	metadata?: Record<string, string>;
}

async function refundCharge(
	ctx: SimContext,
	charge: StripeObject,
	ask: RefundAsk,
	opts: DeliveryOptions = {},
	cause: EventCause = {},
): Promise<{ refund: StripeObject; events: EventRecord[] }> {
	const remaining = charge.amount - charge.amount_refunded;
	if (remaining <= 0) throw invalid('charge', `Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
	const amount = ask.amount ?? remaining;
	if (amount > remaining) {
		throw invalid('amount', `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`);
	}
	const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
	charge.amount_refunded += amount;
	charge.refunded = charge.amount_refunded >= charge.amount;
	const refund = {
		id: randomId('re_3SIM', 20),
		object: 'refund',
		amount,
		charge: charge.id,
		created: ctx.nowSec(),
		currency: charge.currency,
		metadata: { ...(ask.metadata ?? {}) },
		payment_intent: charge.payment_intent,
		reason: ask.reason ?? null,
		status: 'succeeded',
	};
	ctx.refunds.set(refund.id, refund);
	const recs = [createEvent(ctx, 'charge.refunded', charge, { ...cause, previousAttributes: previous })];
	await deliverAll(ctx, recs, opts);
	return { refund, events: recs };
}

/** Refunds a paid one-off Checkout Session, in full or `amount` minor units of it. */
export async function refund(ctx: SimContext, sessionId: string, opts: DeliveryOptions & { amount?: number; reason?: string } = {}): Promise<RefundResult> {
	const s = ctx.sessions.get(sessionId);
	if (!s) throw new Error(`stripe-sim: no such checkout session ${sessionId}`);
	if (s.mode !== 'payment') throw new Error(`stripe-sim: refunds are simulated for one-off payments; session ${sessionId} is ${s.mode} mode`);
	const pi = s.payment_intent ? ctx.paymentIntents.get(s.payment_intent) : undefined;
	if (!pi || pi.status !== 'succeeded') throw new Error(`stripe-sim: session ${sessionId} has no successful payment to refund`);
	const { amount, reason, ...delivery } = opts;
	try {
		const done = await refundCharge(ctx, chargeOf(ctx, pi), { amount, reason }, delivery);
		return { session: publicSession(ctx, s), events: done.events, refund: done.refund };
	} catch (err) {
		throw new Error(`stripe-sim: ${err instanceof Error ? err.message : String(err)}`);
	}
}

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

async function createRefund(ctx: SimContext, params: StripeObject, cause: EventCause): Promise<StripeObject> {
	if ((params.payment_intent === undefined) === (params.charge === undefined)) {
		throw invalid('', 'You must pass either `payment_intent` or `charge` (not both).', 'parameter_missing');
	}
	let charge: StripeObject | undefined;
	if (params.charge !== undefined) {
		charge = ctx.charges.get(String(params.charge));
		if (!charge) throw invalid('charge', `No such charge: '${params.charge}'`, 'resource_missing');
	} else {
		const pi = ctx.paymentIntents.get(String(params.payment_intent));
		if (!pi) throw invalid('payment_intent', `No such payment_intent: '${params.payment_intent}'`, 'resource_missing');
		if (pi.status !== 'succeeded') throw invalid('payment_intent', 'This PaymentIntent does not have a successful charge to refund.');
		charge = chargeOf(ctx, pi);
	}
	if (params.reason !== undefined && !REFUND_REASONS.includes(params.reason)) {
		throw invalid('reason', `Invalid reason: must be one of ${REFUND_REASONS.join(', ')}`, 'parameter_invalid_string');
	}
	const amount = params.amount === undefined ? undefined : positiveAmount(params.amount, 'amount');
	const metadata = params.metadata && typeof params.metadata === 'object' ? params.metadata : undefined;
	return (await refundCharge(ctx, charge, { amount, reason: params.reason, metadata }, {}, cause)).refund;
}

/** POST /v1/refunds, GET /v1/refunds/:id, GET /v1/charges/:id; undefined for other paths. */
export async function refundRoute(ctx: SimContext, method: string, segs: string[], params: StripeObject, request: ApiRequestContext): Promise<ApiAnswer | undefined> {
	const [a, b] = segs;
	if (a === 'refunds' && segs.length === 1 && method === 'POST') return { status: 200, body: clone(await createRefund(ctx, params, request)) };
	if (a === 'refunds' && segs.length === 2 && method === 'GET') {
		const r = ctx.refunds.get(b);
		if (!r) throw invalid('refund', `No such refund: '${b}'`, 'resource_missing', 404);
		return { status: 200, body: clone(r) };
	}
	if (a === 'charges' && segs.length === 2 && method === 'GET') {
		const ch = ctx.charges.get(b);
		if (!ch) throw invalid('charge', `No such charge: '${b}'`, 'resource_missing', 404);
		return { status: 200, body: clone(ch) };
	}
	return undefined;
}
