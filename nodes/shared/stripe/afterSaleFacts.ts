/**
 * What the after-sale events say beyond the fields every event has: how much a refund gave back (as exact
 * text in the currency's minor-unit rules, for the customer's message), and what changed on a subscription
 * (a cancellation scheduled or withdrawn, a new plan), read from the event's `previous_attributes`.
 *
 * A `customer.subscription.updated` arrives for many reasons: every renewal moves the period, a new
 * subscription turns from incomplete to active, a card is attached. Only the changes a subscriber makes (or
 * is told of) count as a change here, so a workflow that tells the customer "your subscription changed"
 * never says it on a renewal; renewals and payments are reported by the invoice events.
 */
import type { JsonRecord as Json } from '../json';
import { asObject } from '../json';
import { formatMinorUnits } from './amounts';

/** What changed on a subscription that its subscriber would want to hear of, or null for none of that. */
export type SubscriptionChange = 'cancellation_scheduled' | 'cancellation_withdrawn' | 'plan_changed';

/** A subscription's plan: its first item (the chat checkout makes one-item subscriptions), IDs and amounts only. */
export interface SubscriptionPlan {
	[key: string]: unknown;
	priceId: string | null;
	lookupKey: string | null;
	productId: string | null;
	/** The price's nickname, or the product's name when Stripe sent the product expanded; else null. */
	name: string | null;
	/** Minor units per unit and interval. */
	unitAmount: number | null;
	/** The same as exact text ("29.00"). */
	unitAmountDecimal: string | null;
	currency: string | null;
	interval: string | null;
	intervalCount: number | null;
	quantity: number | null;
}

export interface AfterSaleFields {
	/** amountTotal as exact major-unit text ("39.98", "1999" for JPY), null without an amount and currency. */
	amountTotalDecimal: string | null;
	/** amountRefunded (all refunds of the charge so far) as exact text. */
	amountRefundedDecimal: string | null;
	/** What this event's refund gave back: amount_refunded minus its value before the event; null when the
	 * event does not say (no previous_attributes). */
	refundAmount: number | null;
	refundAmountDecimal: string | null;
	/** Charges: the whole amount is refunded. Null for other objects. */
	fullyRefunded: boolean | null;
	/** Subscriptions: set to end at the end of the paid period. */
	cancelAtPeriodEnd: boolean | null;
	/** Subscriptions: when a scheduled cancellation takes effect (ISO), or null. */
	cancelAt: string | null;
	subscriptionChange: SubscriptionChange | null;
	plan: SubscriptionPlan | null;
	/** The plan before this event, when the event changed it. */
	previousPlan: SubscriptionPlan | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const integer = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());

function decimal(minor: number | null, currency: string | null): string | null {
	return minor === null || currency === null ? null : formatMinorUnits(minor, currency);
}

function firstItem(subscription: Json): Json | undefined {
	const data = asObject(subscription.items)?.data;
	return Array.isArray(data) ? asObject(data[0]) : undefined;
}

/** The plan of a subscription (or of the `previous_attributes` of one), from its first item or legacy `plan`. */
export function planOf(subscription: Json): SubscriptionPlan | null {
	const item = firstItem(subscription);
	const price = asObject(item?.price) ?? asObject(item?.plan) ?? asObject(subscription.plan);
	if (!price) return null;
	const product = asObject(price.product);
	const recurring = asObject(price.recurring);
	const unitAmount = integer(price.unit_amount) ?? integer(price.amount);
	const currency = text(price.currency);
	return {
		priceId: text(price.id),
		lookupKey: text(price.lookup_key),
		productId: text(price.product) ?? text(product?.id),
		name: text(price.nickname) ?? text(product?.name),
		unitAmount,
		unitAmountDecimal: decimal(unitAmount, currency),
		currency,
		interval: text(recurring?.interval) ?? text(price.interval),
		intervalCount: integer(recurring?.interval_count) ?? integer(price.interval_count),
		quantity: integer(item?.quantity) ?? integer(subscription.quantity),
	};
}

function cancellationScheduled(subscription: Json): boolean {
	return subscription.cancel_at_period_end === true || integer(subscription.cancel_at) !== null;
}

/** The change an update made, from what the event says the subscription was before it. */
export function subscriptionChangeOf(subscription: Json, previous: Json | undefined): SubscriptionChange | null {
	if (!previous) return null;
	const before: Json = { ...subscription, ...previous };
	const scheduledNow = cancellationScheduled(subscription);
	const scheduledBefore = cancellationScheduled(before);
	if (scheduledNow && !scheduledBefore) return 'cancellation_scheduled';
	if (!scheduledNow && scheduledBefore) return 'cancellation_withdrawn';
	if (!('items' in previous) && !('plan' in previous) && !('quantity' in previous)) return null;
	// previous_attributes may hold only the fields that changed (a renewal moves an item's period and
	// nothing else): a price or quantity counts as changed only when the event names its old value.
	const now = planOf(subscription);
	const then = planOf(before);
	const priceChanged = then?.priceId != null && then.priceId !== now?.priceId;
	const quantityChanged = then?.quantity != null && then.quantity !== now?.quantity;
	return priceChanged || quantityChanged ? 'plan_changed' : null;
}

const NO_FIELDS: Omit<AfterSaleFields, 'amountTotalDecimal' | 'amountRefundedDecimal'> = {
	refundAmount: null,
	refundAmountDecimal: null,
	fullyRefunded: null,
	cancelAtPeriodEnd: null,
	cancelAt: null,
	subscriptionChange: null,
	plan: null,
	previousPlan: null,
};

/** The after-sale fields of an event's object (`previous` is the event's data.previous_attributes). */
export function afterSaleFieldsOf(
	object: Json,
	previous: Json | undefined,
	amounts: { amountTotal: number | null; amountRefunded: number | null; currency: string | null },
): AfterSaleFields {
	const fields: AfterSaleFields = {
		...NO_FIELDS,
		amountTotalDecimal: decimal(amounts.amountTotal, amounts.currency),
		amountRefundedDecimal: decimal(amounts.amountRefunded, amounts.currency),
	};
	if (object.object === 'charge') {
		const before = integer(previous?.amount_refunded);
		const refundAmount = before === null || amounts.amountRefunded === null ? null : amounts.amountRefunded - before;
		const whole = amounts.amountRefunded !== null && amounts.amountTotal !== null && amounts.amountRefunded >= amounts.amountTotal;
		return {
			...fields,
			refundAmount,
			refundAmountDecimal: decimal(refundAmount, amounts.currency),
			fullyRefunded: object.refunded === true || whole,
		};
	}
	if (object.object === 'subscription') {
		const change = subscriptionChangeOf(object, previous);
		return {
			...fields,
			cancelAtPeriodEnd: typeof object.cancel_at_period_end === 'boolean' ? object.cancel_at_period_end : null,
			cancelAt: iso(integer(object.cancel_at)),
			subscriptionChange: change,
			plan: planOf(object),
			previousPlan: change === 'plan_changed' && previous ? planOf({ ...object, ...previous }) : null,
		};
	}
	return fields;
}
