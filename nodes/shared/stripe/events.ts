/**
 * Normalises a verified Stripe Event into one flat, stable shape for the workflow: which order (chat
 * reference rebuilt from Stripe metadata), which Stripe objects, how much, and whether money is in (`paid`).
 *
 * Only named fields are copied: never payment_method_details, card brands, last4, fingerprints or
 * addresses. `raw` is Stripe's own event, kept for advanced use, with every card detail removed (a charge's
 * payment_method_details carries brand, last4, expiry and fingerprint; Stripe never sends full numbers or
 * CVCs); operators can also leave `raw` out altogether.
 *
 * Field locations vary by the webhook endpoint's API version (for example an invoice's subscription moved
 * from `invoice.subscription` to `invoice.parent.subscription_details.subscription` in 2025-03-31, and a
 * subscription's `current_period_end` moved onto its items), so both places are read.
 */
import type Stripe from 'stripe';

import type { ChatReference } from '../chatReference';
import { STRIPE_METADATA_KEYS, chatReferenceFromStripeMetadata } from '../chatReference';
import type { JsonRecord as Json } from '../json';
import { asObject } from '../json';
import type { AfterSaleFields } from './afterSaleFacts';
import { afterSaleFieldsOf } from './afterSaleFacts';
import type { OrderStatus } from './orderStatus';
import { noticeKeyOf, orderStatusOf } from './orderStatus';

/** Event types whose arrival means the money is in (see `paid`). */
export const PAID_EVENT_TYPES: ReadonlySet<string> = new Set([
	'checkout.session.completed',
	'checkout.session.async_payment_succeeded',
	'invoice.paid',
]);

/** Also the after-sale fields (refund amounts, a subscription's plan and change): see afterSaleFacts.ts. */
export interface NormalisedStripeEvent extends AfterSaleFields {
	[key: string]: unknown;
	eventId: string;
	type: string;
	/** When Stripe created the event (ISO 8601). */
	created: string | null;
	livemode: boolean;
	objectId: string | null;
	objectType: string | null;
	sessionId: string | null;
	status: string | null;
	paymentStatus: string | null;
	/** Minor units: session amount_total, invoice total, charge or payment intent amount. */
	amountTotal: number | null;
	currency: string | null;
	/** Minor units refunded so far (charges). */
	amountRefunded: number | null;
	customerId: string | null;
	customerEmail: string | null;
	subscriptionId: string | null;
	paymentIntentId: string | null;
	invoiceId: string | null;
	clientReferenceId: string | null;
	metadata: Record<string, string>;
	chatRef: ChatReference | null;
	/** The inbound chat message that started the order (`chat_message_id` metadata). */
	messageId: string | null;
	/** True only when money is in: a completed session that is paid (or needs no payment), a delayed
	 * payment that succeeded, or a paid invoice. */
	paid: boolean;
	/** What the event means for the order: the state its row moves to (see orderStatus.ts), or null. */
	orderStatus: OrderStatus | null;
	/** What the customer is to be told, as a key (see noticeKeyOf): the same on every delivery of the event. */
	noticeKey: string | null;
	/** End of the paid-for period (ISO 8601), for invoices and subscriptions. */
	periodEnd: string | null;
	/** The same as a date (YYYY-MM-DD, UTC), for messages to the customer. */
	periodEndDate: string | null;
	raw?: Stripe.Event;
}


function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

function integer(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** An expandable reference: the ID whether Stripe sent the ID or the expanded object. */
function idOf(value: unknown): string | null {
	if (typeof value === 'string') return value || null;
	return text(asObject(value)?.id);
}

function iso(seconds: unknown): string | null {
	const value = integer(seconds);
	return value === null ? null : new Date(value * 1000).toISOString();
}

function stringMetadata(value: unknown): Record<string, string> {
	const object = asObject(value);
	if (!object) return {};
	const result: Record<string, string> = {};
	for (const [key, entry] of Object.entries(object)) {
		if (typeof entry === 'string') result[key] = entry;
	}
	return result;
}

function listData(value: unknown): Json[] {
	const data = asObject(value)?.data;
	return Array.isArray(data) ? data.map(asObject).filter((entry): entry is Json => entry !== undefined) : [];
}

function latest(values: Array<number | null>): number | null {
	const known = values.filter((value): value is number => value !== null);
	return known.length === 0 ? null : Math.max(...known);
}

/** What each kind of Stripe object contributes to the normalised event. */
interface ObjectFacts
	extends Pick<
		NormalisedStripeEvent,
		| 'sessionId'
		| 'status'
		| 'paymentStatus'
		| 'amountTotal'
		| 'currency'
		| 'amountRefunded'
		| 'customerId'
		| 'customerEmail'
		| 'subscriptionId'
		| 'paymentIntentId'
		| 'invoiceId'
		| 'clientReferenceId'
	> {
	/** Unix seconds here; ISO 8601 in the normalised event. */
	periodEnd: number | null;
	/** Where the chat reference may be, most specific first. */
	metadataSources: Array<Record<string, string>>;
	/** The object's own metadata; wins over the sources when merged into `metadata`. */
	ownMetadata: Record<string, string>;
}

function emptyFacts(object: Json): ObjectFacts {
	const ownMetadata = stringMetadata(object.metadata);
	return {
		sessionId: null,
		status: text(object.status),
		paymentStatus: null,
		amountTotal: null,
		currency: text(object.currency),
		amountRefunded: null,
		customerId: idOf(object.customer),
		customerEmail: null,
		subscriptionId: null,
		paymentIntentId: null,
		invoiceId: null,
		clientReferenceId: null,
		periodEnd: null,
		metadataSources: [ownMetadata],
		ownMetadata,
	};
}

function checkoutSessionFacts(session: Json): ObjectFacts {
	const facts = emptyFacts(session);
	return {
		...facts,
		sessionId: text(session.id),
		paymentStatus: text(session.payment_status),
		amountTotal: integer(session.amount_total),
		customerEmail: text(asObject(session.customer_details)?.email) ?? text(session.customer_email),
		subscriptionId: idOf(session.subscription),
		paymentIntentId: idOf(session.payment_intent),
		invoiceId: idOf(session.invoice),
		clientReferenceId: text(session.client_reference_id),
	};
}

function invoiceFacts(invoice: Json): ObjectFacts {
	const facts = emptyFacts(invoice);
	const parentDetails = asObject(asObject(invoice.parent)?.subscription_details);
	const legacyDetails = asObject(invoice.subscription_details);
	const lines = listData(invoice.lines);
	const payments = listData(invoice.payments);
	const linePeriodEnds = lines.map((line) => integer(asObject(line.period)?.end));
	return {
		...facts,
		amountTotal: integer(invoice.total),
		customerEmail: text(invoice.customer_email),
		subscriptionId: idOf(parentDetails?.subscription) ?? idOf(invoice.subscription),
		paymentIntentId:
			idOf(invoice.payment_intent) ??
			payments.map((payment) => idOf(asObject(payment.payment)?.payment_intent)).find((id) => id !== null) ??
			null,
		invoiceId: text(invoice.id),
		periodEnd: latest(linePeriodEnds) ?? integer(invoice.period_end),
		metadataSources: [
			stringMetadata(parentDetails?.metadata),
			stringMetadata(legacyDetails?.metadata),
			...lines.map((line) => stringMetadata(line.metadata)),
			facts.ownMetadata,
		],
	};
}

function subscriptionFacts(subscription: Json): ObjectFacts {
	const facts = emptyFacts(subscription);
	const items = listData(subscription.items);
	return {
		...facts,
		subscriptionId: text(subscription.id),
		invoiceId: idOf(subscription.latest_invoice),
		periodEnd:
			integer(subscription.current_period_end) ??
			latest(items.map((item) => integer(item.current_period_end))),
	};
}

function chargeFacts(charge: Json): ObjectFacts {
	const facts = emptyFacts(charge);
	return {
		...facts,
		// Stripe copies the payment intent's metadata (where Stripe Checkout put the chat reference) onto the
		// charge it creates; an expanded payment intent is read too.
		metadataSources: [facts.ownMetadata, stringMetadata(asObject(charge.payment_intent)?.metadata)],
		amountTotal: integer(charge.amount),
		amountRefunded: integer(charge.amount_refunded),
		customerEmail: text(asObject(charge.billing_details)?.email) ?? text(charge.receipt_email),
		paymentIntentId: idOf(charge.payment_intent),
		invoiceId: idOf(charge.invoice),
	};
}

function paymentIntentFacts(intent: Json): ObjectFacts {
	const facts = emptyFacts(intent);
	return {
		...facts,
		amountTotal: integer(intent.amount),
		customerEmail: text(intent.receipt_email),
		paymentIntentId: text(intent.id),
	};
}

function customerFacts(customer: Json): ObjectFacts {
	return { ...emptyFacts(customer), customerId: text(customer.id), customerEmail: text(customer.email) };
}

function factsOf(object: Json): ObjectFacts {
	switch (object.object) {
		case 'checkout.session':
			return checkoutSessionFacts(object);
		case 'invoice':
			return invoiceFacts(object);
		case 'subscription':
			return subscriptionFacts(object);
		case 'charge':
			return chargeFacts(object);
		case 'payment_intent':
			return paymentIntentFacts(object);
		case 'customer':
			return customerFacts(object);
		default:
			return emptyFacts(object);
	}
}

/** Whether money is in: only the three events that say so, and a completed session only once it is paid. */
export function isPaidEvent(type: string, paymentStatus: string | null): boolean {
	if (!PAID_EVENT_TYPES.has(type)) return false;
	if (type === 'checkout.session.completed') {
		return paymentStatus === 'paid' || paymentStatus === 'no_payment_required';
	}
	return true;
}

/**
 * Fields of Stripe objects that describe a payment card (brand, last 4, expiry, fingerprint, BIN, wallet
 * and 3-D Secure details). They are removed from `raw` wherever they appear, so no card data reaches
 * n8n's execution data; every ID stays.
 */
const CARD_DETAIL_KEYS = new Set(['payment_method_details', 'card', 'card_present', 'last4', 'dynamic_last4', 'fingerprint', 'exp_month', 'exp_year', 'iin', 'bin', 'three_d_secure', 'wallet']);

function withoutCardDetails(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutCardDetails);
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(
		Object.entries(value as Record<string, unknown>)
			.filter(([key]) => !CARD_DETAIL_KEYS.has(key))
			.map(([key, entry]) => [key, withoutCardDetails(entry)]),
	);
}

/** A verified event → the node's output item. `includeRaw: false` leaves Stripe's event out. */
export function normaliseStripeEvent(event: Stripe.Event, options: { includeRaw?: boolean } = {}): NormalisedStripeEvent {
	const envelope = event as unknown as Json;
	const object = asObject(asObject(envelope.data)?.object) ?? {};
	const facts = factsOf(object);
	const type = String(envelope.type ?? '');

	const sourceWithChat = facts.metadataSources.find((source) => chatReferenceFromStripeMetadata(source) !== undefined);
	const chatRef = sourceWithChat ? (chatReferenceFromStripeMetadata(sourceWithChat) ?? null) : null;
	const messageId = text(sourceWithChat?.[STRIPE_METADATA_KEYS.messageId]);
	const metadata = Object.assign({}, ...[...facts.metadataSources].reverse(), facts.ownMetadata) as Record<string, string>;
	const paid = isPaidEvent(type, facts.paymentStatus);
	const previous = asObject(asObject(envelope.data)?.previous_attributes);
	const afterSale = afterSaleFieldsOf(object, previous, facts);
	const orderStatus = orderStatusOf({ type, paid, subscriptionId: facts.subscriptionId, ...afterSale });

	return {
		eventId: String(envelope.id ?? ''),
		type,
		created: iso(envelope.created),
		livemode: envelope.livemode === true,
		objectId: text(object.id),
		objectType: text(object.object),
		sessionId: facts.sessionId,
		status: facts.status,
		paymentStatus: facts.paymentStatus,
		amountTotal: facts.amountTotal,
		currency: facts.currency,
		amountRefunded: facts.amountRefunded,
		customerId: facts.customerId,
		customerEmail: facts.customerEmail,
		subscriptionId: facts.subscriptionId,
		paymentIntentId: facts.paymentIntentId,
		invoiceId: facts.invoiceId,
		clientReferenceId: facts.clientReferenceId,
		metadata,
		chatRef,
		messageId,
		paid,
		orderStatus,
		noticeKey: noticeKeyOf(orderStatus, { amountRefunded: facts.amountRefunded, ...afterSale }),
		periodEnd: iso(facts.periodEnd),
		periodEndDate: iso(facts.periodEnd)?.slice(0, 10) ?? null,
		...afterSale,
		...(options.includeRaw !== false && { raw: withoutCardDetails(event) as Stripe.Event }),
	};
}
