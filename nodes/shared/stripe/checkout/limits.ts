/** What a Checkout Session may contain: the modes and line-item sources the node offers, and Stripe's limits. */
export type CheckoutMode = 'payment' | 'subscription';
export type LineItemSource = 'lookupKey' | 'price' | 'inline' | 'json';
export type RecurringInterval = 'day' | 'week' | 'month' | 'year';

export const CHECKOUT_MODES: readonly CheckoutMode[] = ['payment', 'subscription'];
export const LINE_ITEM_SOURCES: readonly LineItemSource[] = ['lookupKey', 'price', 'inline', 'json'];
export const RECURRING_INTERVALS: readonly RecurringInterval[] = ['day', 'week', 'month', 'year'];

/** Stripe's limits that the builder checks before sending, so the error names the node's field. */
export const STRIPE_LIMITS = {
	lineItems: 100,
	metadataKeys: 50,
	metadataKeyLength: 40,
	metadataValueLength: 500,
	idempotencyKeyLength: 255,
	clientReferenceIdLength: 200,
	lookupKeyLength: 200,
	lookupKeysPerList: 10,
	expiresMinMinutes: 30,
	expiresMaxMinutes: 1440,
} as const;
