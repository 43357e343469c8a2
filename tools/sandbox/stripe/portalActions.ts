/**
 * What a subscriber does in the Customer Portal, each sending the events Stripe sends: cancel at the period end
 * or at once, keep the subscription after all, switch plan (`customer.subscription.updated` with
 * `previous_attributes`, or `.deleted`), and add a card (`payment_method.attached` + `customer.updated`; the
 * payment method carries no card details).
 */
import { randomId } from '../http';
import { clone, type SimContext } from './context';
import { deliverAll } from './delivery';
import { createEvent } from './events';
import { cancelSubscription } from './subscriptions';
import type { ActionResult, DeliveryOptions, StripeObject } from './types';

function mustActiveSub(ctx: SimContext, subId: string): StripeObject {
	const sub = ctx.subscriptions.get(subId);
	if (!sub) throw new Error(`stripe-sim: no such subscription ${subId}`);
	if (sub.status === 'canceled') throw new Error(`stripe-sim: subscription ${subId} is already canceled`);
	return sub;
}

const cancellationFields = (sub: StripeObject) => ({
	cancel_at: sub.cancel_at ?? null,
	cancel_at_period_end: sub.cancel_at_period_end === true,
	canceled_at: sub.canceled_at ?? null,
	cancellation_details: clone(sub.cancellation_details ?? { comment: null, feedback: null, reason: null }),
});

async function subscriptionUpdated(ctx: SimContext, sub: StripeObject, previous: StripeObject, opts: DeliveryOptions): Promise<ActionResult> {
	const recs = [createEvent(ctx, 'customer.subscription.updated', sub, { previousAttributes: previous })];
	await deliverAll(ctx, recs, opts);
	return { session: null, events: recs };
}

/** The subscriber cancels in the portal: at the end of the paid period (an update), or at once (deleted). */
export async function portalCancel(ctx: SimContext, subId: string, opts: DeliveryOptions & { atPeriodEnd?: boolean } = {}): Promise<ActionResult> {
	const { atPeriodEnd = true, ...delivery } = opts;
	const sub = mustActiveSub(ctx, subId);
	if (!atPeriodEnd) return await cancelSubscription(ctx, subId, delivery);
	if (sub.cancel_at_period_end) throw new Error(`stripe-sim: subscription ${subId} is already set to cancel at the period end`);
	const previous = cancellationFields(sub);
	sub.cancel_at_period_end = true;
	sub.cancel_at = sub.items.data[0]?.current_period_end ?? ctx.nowSec();
	sub.canceled_at = ctx.nowSec();
	sub.cancellation_details = { comment: null, feedback: null, reason: 'cancellation_requested' };
	return await subscriptionUpdated(ctx, sub, previous, delivery);
}

/** The subscriber withdraws a cancellation scheduled for the period end ("Renew subscription"). */
export async function portalKeepSubscription(ctx: SimContext, subId: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const sub = mustActiveSub(ctx, subId);
	if (!sub.cancel_at_period_end && !sub.cancel_at) throw new Error(`stripe-sim: subscription ${subId} has no cancellation to withdraw`);
	const previous = cancellationFields(sub);
	sub.cancel_at_period_end = false;
	sub.cancel_at = null;
	sub.canceled_at = null;
	sub.cancellation_details = { comment: null, feedback: null, reason: null };
	return await subscriptionUpdated(ctx, sub, previous, opts);
}

/** The subscriber switches to another recurring price (of `setPortalPlans`, or any known one). */
export async function portalChangePlan(ctx: SimContext, subId: string, priceId: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const sub = mustActiveSub(ctx, subId);
	const price = ctx.prices.get(priceId);
	if (!price || !price.recurring) throw new Error(`stripe-sim: ${priceId} is not a recurring price of this sandbox`);
	if (price.currency !== sub.currency) throw new Error(`stripe-sim: ${priceId} is in ${price.currency}, the subscription in ${sub.currency}`);
	const item = sub.items.data[0];
	if (!item) throw new Error(`stripe-sim: subscription ${subId} has no item`);
	if (item.price.id === priceId) throw new Error(`stripe-sim: subscription ${subId} already has price ${priceId}`);
	const previous = { items: clone(sub.items) };
	item.price = clone(price);
	return await subscriptionUpdated(ctx, sub, previous, opts);
}

/**
 * The customer adds a new card in the portal: payment_method.attached, then customer.updated with it as the
 * default for invoices.
 */
export async function portalUpdateCard(ctx: SimContext, customerId: string, opts: DeliveryOptions = {}): Promise<ActionResult> {
	const customer = ctx.customers.get(customerId);
	if (!customer) throw new Error(`stripe-sim: no such customer ${customerId}`);
	const paymentMethod = {
		id: randomId('pm_1SIM', 20),
		object: 'payment_method',
		billing_details: { address: null, email: customer.email ?? null, name: null, phone: null },
		created: ctx.nowSec(),
		customer: customer.id,
		livemode: false,
		metadata: {},
		type: 'card',
	};
	const before = clone(customer.invoice_settings ?? { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null });
	customer.invoice_settings = { ...before, default_payment_method: paymentMethod.id };
	const recs = [
		createEvent(ctx, 'payment_method.attached', paymentMethod),
		createEvent(ctx, 'customer.updated', customer, { previousAttributes: { invoice_settings: before } }),
	];
	await deliverAll(ctx, recs, opts);
	return { session: null, events: recs };
}
