/** What the node emits for a created session: IDs, amounts and the chat reference; no customer details. */
import type Stripe from 'stripe';

import type { ChatReference } from '../../chatReference';
import { formatMinorUnits } from '../amounts';
import type { BuiltCheckoutSession, LineItemSummary } from './types';

export interface CheckoutSessionOutput {
	[key: string]: unknown;
	sessionId: string;
	url: string | null;
	expiresAt: string | null;
	amountTotal: number | null;
	amountTotalDecimal: string | null;
	currency: string | null;
	mode: string;
	status: string | null;
	paymentStatus: string;
	livemode: boolean;
	chatRef: ChatReference | null;
	messageId: string | null;
	clientReferenceId: string | null;
	idempotencyKey: string | null;
	lineItems: LineItemSummary[];
}

function isoFromUnixSeconds(seconds: unknown): string | null {
	return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;
}

/** Our summaries, completed from Stripe's answer when it lists the same number of lines. */
function lineItemsFromAnswer(session: Stripe.Checkout.Session, summaries: LineItemSummary[]): LineItemSummary[] {
	const stripeLines = session.line_items?.data ?? [];
	return summaries.map((summary, index): LineItemSummary => {
		const line = stripeLines.length === summaries.length ? stripeLines[index] : undefined;
		if (!line) return { ...summary };
		const price = line.price ?? undefined;
		return {
			...summary,
			quantity: line.quantity ?? summary.quantity,
			...(price?.id && { priceId: price.id }),
			...(price?.lookup_key && { lookupKey: price.lookup_key }),
			...(summary.name === undefined && line.description ? { name: line.description } : {}),
			...(typeof price?.unit_amount === 'number' && { unitAmount: price.unit_amount }),
			currency: line.currency ?? summary.currency,
			amountTotal: line.amount_total,
		};
	});
}

export function checkoutSessionOutput(session: Stripe.Checkout.Session, built: BuiltCheckoutSession): CheckoutSessionOutput {
	const amountTotal = session.amount_total ?? null;
	const currency = session.currency ?? null;
	return {
		sessionId: session.id,
		url: session.url ?? null,
		expiresAt: isoFromUnixSeconds(session.expires_at),
		amountTotal,
		amountTotalDecimal: amountTotal !== null && currency ? formatMinorUnits(amountTotal, currency) : null,
		currency,
		mode: session.mode,
		status: session.status ?? null,
		paymentStatus: session.payment_status,
		livemode: session.livemode,
		chatRef: built.chatRef ?? null,
		messageId: built.messageId ?? null,
		clientReferenceId: session.client_reference_id ?? null,
		idempotencyKey: built.idempotencyKey ?? null,
		lineItems: lineItemsFromAnswer(session, built.lineItems),
	};
}
