/** The shapes checkout creation passes between its modules: the node's raw input and what is built from it. */
import type Stripe from 'stripe';

import type { ChatReference } from '../../chatReference';
import type { LineItemSource } from './limits';

export interface LookupKeyLineItemInput {
	lookupKey?: unknown;
	quantity?: unknown;
}

export interface PriceLineItemInput {
	priceId?: unknown;
	quantity?: unknown;
}

export interface InlineLineItemInput {
	name?: unknown;
	description?: unknown;
	imageUrl?: unknown;
	unitAmount?: unknown;
	currency?: unknown;
	quantity?: unknown;
	interval?: unknown;
	intervalCount?: unknown;
}

export interface MetadataEntryInput {
	key?: unknown;
	value?: unknown;
}

/** The node's parameters for one item, as read from n8n (values still unvalidated). */
export interface CheckoutInput {
	mode: unknown;
	lineItemSource: unknown;
	lookupKeyItems?: LookupKeyLineItemInput[];
	priceItems?: PriceLineItemInput[];
	inlineItems?: InlineLineItemInput[];
	lineItemsJson?: unknown;
	successUrl: unknown;
	cancelUrl?: unknown;
	customerEmail?: unknown;
	clientReferenceId?: unknown;
	metadata?: MetadataEntryInput[];
	/** Empty or 0: Stripe's default of 24 hours. */
	expiresInMinutes?: unknown;
	allowPromotionCodes?: unknown;
	collectPhoneNumber?: unknown;
	locale?: unknown;
	paymentMethodTypes?: unknown;
	/** Empty: derived (see idempotency.ts). */
	idempotencyKey?: unknown;
}

/** A price found by its lookup key: what the builder needs, taken from Stripe, never from the chat. */
export interface ResolvedPrice {
	id: string;
	lookupKey: string;
	currency: string;
	unitAmount: number | null;
	recurring: { interval: string; intervalCount: number } | null;
	productName?: string;
	productActive?: boolean;
}

/** One line of the order as the node reports it (IDs and amounts only, never payment details). */
export interface LineItemSummary {
	source: LineItemSource;
	quantity: number;
	priceId?: string;
	lookupKey?: string;
	name?: string;
	/** Minor units per unit, when known before Stripe answers (lookup keys, inline, JSON price_data). */
	unitAmount?: number;
	currency?: string;
	interval?: string;
	/** Minor units for the line, from Stripe's answer. */
	amountTotal?: number;
}

/** One line item as sent to Stripe, with its summary. */
export interface BuiltLineItem {
	lineItem: Stripe.Checkout.SessionCreateParams.LineItem;
	summary: LineItemSummary;
	/** undefined when only Stripe knows (a price ID). */
	recurring?: boolean;
}

export type IdempotencyKeySource = 'parameter' | 'message' | 'execution' | 'none';

export interface BuiltCheckoutSession {
	params: Stripe.Checkout.SessionCreateParams;
	idempotencyKey?: string;
	idempotencyKeySource: IdempotencyKeySource;
	lineItems: LineItemSummary[];
	chatRef?: ChatReference;
	messageId?: string;
}

export interface BuildContext {
	nowMs: number;
	pricesByLookupKey?: ReadonlyMap<string, ResolvedPrice>;
	/** n8n's execution id and the item's index: the idempotency seed when the item has no message id. */
	executionId?: string;
	itemIndex: number;
}
