/**
 * Subscriptions a paid subscription-mode session starts, and what happens to them later: renewal, a failed
 * invoice, cancellation (by code or DELETE /v1/subscriptions/:id).
 */
import { randomId } from '../http';
import { clone, type SessionRecord, type SimContext } from './context';
import { deliverAll } from './delivery';
import { createEvent, type EventCause } from './events';
import { createInvoice } from './invoices';
import type { ActionResult, DeliveryOptions, StripeObject } from './types';

type Recurring = { interval: string; interval_count?: number } | null | undefined;

/** The end of a billing period that starts at `startSec` (a month when the price says nothing). */
export function addInterval(startSec: number, recurring: Recurring): number {
	const d = new Date(startSec * 1000);
	const n = recurring?.interval_count ?? 1;
	switch (recurring?.interval) {
		case 'day':
			d.setUTCDate(d.getUTCDate() + n);
			break;
		case 'week':
			d.setUTCDate(d.getUTCDate() + 7 * n);
			break;
		case 'year':
			d.setUTCFullYear(d.getUTCFullYear() + n);
			break;
		case 'month':
		default:
			d.setUTCMonth(d.getUTCMonth() + n);
	}
	return Math.floor(d.getTime() / 1000);
}

/** The subscription of a session being paid, and its first (paid) invoice. */
export function startSubscription(ctx: SimContext, s: SessionRecord): { subscription: StripeObject; invoice: StripeObject } {
	const start = ctx.nowSec();
	const subId = randomId('sub_1SIM', 20);
	const items = (ctx.resolvedItems.get(s.id) ?? []).map((r) => ({
		id: randomId('si_SIM', 14),
		object: 'subscription_item',
		created: start,
		current_period_end: addInterval(start, r.price.recurring),
		current_period_start: start,
		metadata: {},
		price: clone(r.price),
		quantity: r.quantity,
		subscription: subId,
	}));
	const periodEnd = items.length ? items[0].current_period_end : addInterval(start, { interval: 'month' });
	const subscription = {
		id: subId,
		object: 'subscription',
		billing_cycle_anchor: start,
		cancel_at: null,
		cancel_at_period_end: false,
		canceled_at: null,
		collection_method: 'charge_automatically',
		created: start,
		currency: s.currency,
		customer: s.customer,
		default_payment_method: null,
		description: s.subscription_data?.description ?? null,
		ended_at: null,
		items: { object: 'list', data: items, has_more: false, total_count: items.length, url: `/v1/subscription_items?subscription=${subId}` },
		latest_invoice: null,
		livemode: false,
		metadata: { ...(s.subscription_data?.metadata ?? {}) },
		start_date: start,
		status: 'active',
		trial_end: null,
		trial_start: null,
	};
	ctx.subscriptions.set(subId, subscription);
	const invoice = createInvoice(ctx, subscription, { billingReason: 'subscription_create', paid: true, periodStart: start, periodEnd });
	return { subscription, invoice };
}

function mustSub(ctx: SimContext, subId: string): StripeObject {
	const sub = ctx.subscriptions.get(subId);
	if (!sub) throw new Error(`stripe-sim: no such subscription ${subId}`);
	return sub;
}

/** The period after the current one. */
function nextPeriod(ctx: SimContext, sub: StripeObject): { start: number; end: number } {
	const first = sub.items.data[0];
	const start = first ? first.current_period_end : ctx.nowSec();
	return { start, end: addInterval(start, first ? first.price.recurring : null) };
}

async function send(ctx: SimContext, type: string, object: StripeObject, opts: DeliveryOptions, cause: EventCause = {}): Promise<ActionResult> {
	const recs = [createEvent(ctx, type, object, cause)];
	await deliverAll(ctx, recs, opts);
	return { session: null, events: recs };
}

export async function failInvoice(ctx: SimContext, subId: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const sub = mustSub(ctx, subId);
	const { start, end } = nextPeriod(ctx, sub);
	const invoice = createInvoice(ctx, sub, { billingReason: 'subscription_cycle', paid: false, periodStart: start, periodEnd: end });
	sub.status = 'past_due';
	return send(ctx, 'invoice.payment_failed', invoice, opts);
}

/** invoice.paid for the next period, which becomes the current one. */
export async function renewSubscription(ctx: SimContext, subId: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const sub = mustSub(ctx, subId);
	const { start, end } = nextPeriod(ctx, sub);
	for (const it of sub.items.data) {
		it.current_period_start = start;
		it.current_period_end = end;
	}
	sub.status = 'active';
	const invoice = createInvoice(ctx, sub, { billingReason: 'subscription_cycle', paid: true, periodStart: start, periodEnd: end });
	return send(ctx, 'invoice.paid', invoice, opts);
}

export async function cancelSubscription(ctx: SimContext, subId: string, opts: DeliveryOptions = {}, cause: EventCause = {}): Promise<ActionResult> {
	const sub = mustSub(ctx, subId);
	if (sub.status === 'canceled') throw new Error(`stripe-sim: subscription ${subId} is already canceled`);
	const t = ctx.nowSec();
	sub.status = 'canceled';
	sub.canceled_at = t;
	sub.ended_at = t;
	sub.cancellation_details = { comment: null, feedback: null, reason: 'cancellation_requested' };
	return send(ctx, 'customer.subscription.deleted', sub, opts, cause);
}
