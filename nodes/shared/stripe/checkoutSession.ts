/**
 * Builds the Stripe Checkout Session request from the node's parameters and the incoming item: line items,
 * URLs, options, the chat reference copied into Stripe metadata, and the idempotency key. Pure apart from
 * `fetchPricesByLookupKey`, the one read the lookup-key source needs before building.
 *
 * Idempotency key (unless the operator sets one):
 * - With an inbound message id (`json.messageId`): sha256 of the message id and the canonical request, so a
 *   redelivered chat message (or n8n's Retry On Fail) gets the session Stripe already created, while a
 *   different order from the same message gets a different key.
 * - Without a message id: sha256 of the n8n execution id, the item's index and the canonical request. Two
 *   identical orders from different runs must not collapse into one (the second customer would receive the
 *   first one's, perhaps already paid, session), so the dedupe is limited to retries inside one run.
 * - With neither: no key; the SDK then adds its own random key to its network retries.
 * Stripe keeps keys for at least 24 hours and rejects a reused key with different parameters.
 *
 * Expiry: Stripe allows 30 min to 24 h, and a reused key must come with identical parameters, so
 * `expires_at` must not move between a delivery and its redelivery. When the item comes from a chat message
 * (message id and its ISO `timestamp`), `expires_at` is counted from the message's own time: every
 * redelivery computes the same value and gets the same session, for as long as at least 31 minutes of the
 * link's life remain. Otherwise (no message time, or a message too old for that) it is counted from the
 * start of the current 5-minute window, and the window's number joins the key, so a retry inside the window
 * sends identical parameters and one after it makes a new session instead of an idempotency error. Either
 * way the link never expires sooner than 31 minutes or later than 23 h 58 min after creation, which keeps
 * clock drift between n8n and Stripe from pushing it out of range.
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';

import type { ChatReference } from '../chatReference';
import { chatReferenceOf, chatReferenceToStripeMetadata } from '../chatReference';
import {
	CheckoutInputError,
	currencyDecimals,
	describeValue,
	formatMinorUnits,
	normaliseCurrency,
	normaliseQuantity,
	toMinorUnits,
} from './amounts';

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

/** Expiry window and the margins described in the module comment. */
export const EXPIRY_WINDOW_SECONDS = 300;
const EXPIRY_EARLIEST_SECONDS = 36 * 60;
const EXPIRY_LATEST_SECONDS = 1438 * 60;

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
	/** Empty: derived (see the module comment). */
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

const PRICE_LOOKUP_HINT = 'Stripe Dashboard → Product catalogue → the product → the price → Lookup key';

// ---------------------------------------------------------------------------------------------------------
// Small validators

function optionalText(value: unknown, field: string, maxLength?: number): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new CheckoutInputError(field, `"${describeValue(value)}" is not text`);
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (maxLength !== undefined && text.length > maxLength) {
		throw new CheckoutInputError(field, `is ${text.length} characters long; Stripe allows ${maxLength}`);
	}
	return text;
}

function requiredText(value: unknown, field: string, maxLength?: number): string {
	const text = optionalText(value, field, maxLength);
	if (text === undefined) throw new CheckoutInputError(field, 'is required');
	return text;
}

/** Checks an absolute http(s) URL but returns the text as given: re-serialising it through URL would
 * percent-encode `{CHECKOUT_SESSION_ID}` in a path, and Stripe only replaces the literal placeholder. */
function absoluteUrl(value: unknown, field: string, required: true): string;
function absoluteUrl(value: unknown, field: string, required: false): string | undefined;
function absoluteUrl(value: unknown, field: string, required: boolean): string | undefined {
	const text = required ? requiredText(value, field) : optionalText(value, field);
	if (text === undefined) return undefined;
	const url = urlOrUndefined(text);
	if (url === undefined) {
		throw new CheckoutInputError(field, `"${describeValue(text)}" is not an absolute URL (https://…)`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CheckoutInputError(field, `"${describeValue(text)}" must start with https://`);
	}
	return text;
}

function urlOrUndefined(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKnownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
	for (const key of Object.keys(value)) {
		if (!allowed.includes(key)) {
			throw new CheckoutInputError(field, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
		}
	}
}

function positiveInteger(value: unknown, field: string): number {
	return normaliseQuantity(value, field);
}

// ---------------------------------------------------------------------------------------------------------
// Line items

interface BuiltLineItem {
	lineItem: Stripe.Checkout.SessionCreateParams.LineItem;
	summary: LineItemSummary;
	/** undefined when only Stripe knows (a price ID). */
	recurring?: boolean;
}

function validatedMode(value: unknown): CheckoutMode {
	if (!CHECKOUT_MODES.includes(value as CheckoutMode)) {
		throw new CheckoutInputError('Mode', `"${describeValue(value)}" is not one of ${CHECKOUT_MODES.join(', ')}`);
	}
	return value as CheckoutMode;
}

function validatedSource(value: unknown): LineItemSource {
	if (!LINE_ITEM_SOURCES.includes(value as LineItemSource)) {
		throw new CheckoutInputError(
			'Line Items From',
			`"${describeValue(value)}" is not one of ${LINE_ITEM_SOURCES.join(', ')}`,
		);
	}
	return value as LineItemSource;
}

function lookupKeyOf(value: unknown, field: string): string {
	return requiredText(value, field, STRIPE_LIMITS.lookupKeyLength);
}

function nonEmptyList<T>(list: T[] | undefined, field: string): T[] {
	const items = Array.isArray(list) ? list : [];
	if (items.length === 0) throw new CheckoutInputError(field, 'add at least one line item');
	if (items.length > STRIPE_LIMITS.lineItems) {
		throw new CheckoutInputError(field, `${items.length} line items; Stripe allows ${STRIPE_LIMITS.lineItems}`);
	}
	return items;
}

/** The lookup keys the input needs resolved, deduplicated, in order; empty unless the source is lookup keys. */
export function lookupKeysOf(input: Pick<CheckoutInput, 'lineItemSource' | 'lookupKeyItems'>): string[] {
	if (input.lineItemSource !== 'lookupKey') return [];
	const items = nonEmptyList(input.lookupKeyItems, 'Price Lookup Keys');
	const keys = items.map((item, index) => lookupKeyOf(item.lookupKey, `Price Lookup Keys → item ${index + 1} → Lookup Key`));
	return [...new Set(keys)];
}

/** The slice of the SDK's prices resource this module uses (so tests and callers can pass the real one). */
export interface PriceLister {
	list(params: Stripe.PriceListParams): PromiseLike<{ data: Stripe.Price[] }>;
}

/**
 * Resolves lookup keys to active prices, product expanded, in batches of Stripe's 10-keys-per-list limit.
 * Keys without an active price are simply absent from the map; the builder names them.
 */
export async function fetchPricesByLookupKey(
	prices: PriceLister,
	lookupKeys: readonly string[],
): Promise<Map<string, ResolvedPrice>> {
	const found = new Map<string, ResolvedPrice>();
	for (let start = 0; start < lookupKeys.length; start += STRIPE_LIMITS.lookupKeysPerList) {
		const batch = lookupKeys.slice(start, start + STRIPE_LIMITS.lookupKeysPerList);
		const page = await prices.list({ lookup_keys: batch, active: true, expand: ['data.product'], limit: 100 });
		for (const price of page.data) {
			if (!price.lookup_key || !batch.includes(price.lookup_key)) continue;
			const product = typeof price.product === 'object' && price.product !== null ? price.product : undefined;
			const productIsLive = product !== undefined && !('deleted' in product && product.deleted);
			found.set(price.lookup_key, {
				id: price.id,
				lookupKey: price.lookup_key,
				currency: price.currency,
				unitAmount: price.unit_amount ?? null,
				recurring: price.recurring
					? { interval: price.recurring.interval, intervalCount: price.recurring.interval_count ?? 1 }
					: null,
				productName: productIsLive ? (product as Stripe.Product).name : undefined,
				productActive: productIsLive ? (product as Stripe.Product).active : product === undefined ? undefined : false,
			});
		}
	}
	return found;
}

function lookupKeyLineItems(
	input: CheckoutInput,
	mode: CheckoutMode,
	prices: ReadonlyMap<string, ResolvedPrice>,
): BuiltLineItem[] {
	return nonEmptyList(input.lookupKeyItems, 'Price Lookup Keys').map((item, index) => {
		const field = `Price Lookup Keys → item ${index + 1}`;
		const lookupKey = lookupKeyOf(item.lookupKey, `${field} → Lookup Key`);
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		const price = prices.get(lookupKey);
		if (!price) {
			throw new CheckoutInputError(
				`${field} → Lookup Key`,
				`Stripe has no active price with the lookup key "${lookupKey}". Set it in ${PRICE_LOOKUP_HINT} ` +
					'(and check the credential is in the same test/live mode as the price)',
			);
		}
		if (price.productActive === false) {
			throw new CheckoutInputError(
				`${field} → Lookup Key`,
				`the price "${lookupKey}" (${price.id}) belongs to an archived product; unarchive it in Stripe Dashboard → Product catalogue`,
			);
		}
		if (mode === 'payment' && price.recurring) {
			throw new CheckoutInputError(
				`${field} → Lookup Key`,
				`the price "${lookupKey}" (${price.id}) is recurring; set Mode to Subscription or use a one-time price`,
			);
		}
		return {
			lineItem: { price: price.id, quantity },
			summary: {
				source: 'lookupKey',
				quantity,
				priceId: price.id,
				lookupKey,
				...(price.productName !== undefined && { name: price.productName }),
				...(price.unitAmount !== null && { unitAmount: price.unitAmount }),
				currency: price.currency,
				...(price.recurring && { interval: price.recurring.interval }),
			},
			recurring: price.recurring !== null,
		};
	});
}

function priceIdLineItems(input: CheckoutInput): BuiltLineItem[] {
	return nonEmptyList(input.priceItems, 'Prices').map((item, index) => {
		const field = `Prices → item ${index + 1}`;
		const priceId = requiredText(item.priceId, `${field} → Price ID`);
		if (/\s/.test(priceId)) {
			throw new CheckoutInputError(`${field} → Price ID`, `"${describeValue(priceId)}" contains spaces`);
		}
		if (priceId.startsWith('prod_')) {
			throw new CheckoutInputError(
				`${field} → Price ID`,
				`"${priceId}" is a product ID; open the product in Stripe Dashboard → Product catalogue and copy its price ID (price_…)`,
			);
		}
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		return { lineItem: { price: priceId, quantity }, summary: { source: 'price', quantity, priceId } };
	});
}

function recurringOf(interval: unknown, intervalCount: unknown, field: string) {
	const chosen = interval === undefined || interval === '' ? 'month' : interval;
	if (!RECURRING_INTERVALS.includes(chosen as RecurringInterval)) {
		throw new CheckoutInputError(
			`${field} → Billing Interval`,
			`"${describeValue(interval)}" is not one of ${RECURRING_INTERVALS.join(', ')}`,
		);
	}
	const count = positiveInteger(
		intervalCount === undefined || intervalCount === '' ? 1 : intervalCount,
		`${field} → Interval Count`,
	);
	return { interval: chosen as RecurringInterval, interval_count: count };
}

function inlineLineItems(input: CheckoutInput, mode: CheckoutMode): BuiltLineItem[] {
	return nonEmptyList(input.inlineItems, 'Inline Items').map((item, index) => {
		const field = `Inline Items → item ${index + 1}`;
		const name = requiredText(item.name, `${field} → Name`);
		const description = optionalText(item.description, `${field} → Description`);
		const imageUrl = absoluteUrl(item.imageUrl, `${field} → Image URL`, false);
		const currency = normaliseCurrency(item.currency, `${field} → Currency`);
		const unitAmount = toMinorUnits(item.unitAmount, currency, `${field} → Unit Amount`);
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		const recurring = mode === 'subscription' ? recurringOf(item.interval, item.intervalCount, field) : undefined;
		return {
			lineItem: {
				price_data: {
					currency,
					unit_amount: unitAmount,
					product_data: {
						name,
						...(description !== undefined && { description }),
						...(imageUrl !== undefined && { images: [imageUrl] }),
					},
					...(recurring && { recurring }),
				},
				quantity,
			},
			summary: {
				source: 'inline',
				quantity,
				name,
				unitAmount,
				currency,
				...(recurring && { interval: recurring.interval }),
			},
			recurring: recurring !== undefined,
		};
	});
}

const JSON_LINE_ITEM_FIELDS = ['price', 'price_data', 'quantity', 'adjustable_quantity', 'tax_rates', 'dynamic_tax_rates', 'metadata'];
const JSON_PRICE_DATA_FIELDS = ['currency', 'product', 'product_data', 'unit_amount', 'unit_amount_decimal', 'recurring', 'tax_behavior'];
const JSON_PRODUCT_DATA_FIELDS = ['name', 'description', 'images', 'metadata', 'tax_code', 'unit_label'];

function stringList(value: unknown, field: string): string[] {
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry.trim() === '')) {
		throw new CheckoutInputError(field, 'must be a list of text values');
	}
	return value as string[];
}

function jsonPriceData(
	value: unknown,
	mode: CheckoutMode,
	field: string,
): { priceData: Stripe.Checkout.SessionCreateParams.LineItem.PriceData; currency: string; unitAmount?: number; name?: string; interval?: string } {
	if (!isPlainObject(value)) throw new CheckoutInputError(field, 'must be an object');
	checkKnownKeys(value, JSON_PRICE_DATA_FIELDS, field);
	const currency = normaliseCurrency(value.currency, `${field}.currency`);
	const priceData: Record<string, unknown> = { currency };

	const hasProduct = value.product !== undefined;
	const hasProductData = value.product_data !== undefined;
	if (hasProduct === hasProductData) {
		throw new CheckoutInputError(field, 'needs exactly one of "product" (a prod_… ID) or "product_data"');
	}
	let name: string | undefined;
	if (hasProduct) {
		priceData.product = requiredText(value.product, `${field}.product`);
	} else {
		const productData = value.product_data;
		if (!isPlainObject(productData)) throw new CheckoutInputError(`${field}.product_data`, 'must be an object');
		checkKnownKeys(productData, JSON_PRODUCT_DATA_FIELDS, `${field}.product_data`);
		name = requiredText(productData.name, `${field}.product_data.name`);
		const images = productData.images === undefined ? undefined : stringList(productData.images, `${field}.product_data.images`);
		images?.forEach((image, index) => absoluteUrl(image, `${field}.product_data.images[${index}]`, true));
		priceData.product_data = {
			...productData,
			name,
			...(productData.metadata !== undefined && {
				metadata: validatedMetadataObject(productData.metadata, `${field}.product_data.metadata`),
			}),
		};
	}

	const hasAmount = value.unit_amount !== undefined;
	const hasDecimal = value.unit_amount_decimal !== undefined;
	if (hasAmount === hasDecimal) {
		throw new CheckoutInputError(field, 'needs exactly one of "unit_amount" (integer, minor units) or "unit_amount_decimal"');
	}
	let unitAmount: number | undefined;
	if (hasAmount) {
		const amount = value.unit_amount;
		if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
			throw new CheckoutInputError(
				`${field}.unit_amount`,
				`${describeValue(amount)} is not a whole number of minor units (cents): 19.99 USD is 1999`,
			);
		}
		if (currencyDecimals(currency) === 3 && amount % 10 !== 0) {
			throw new CheckoutInputError(
				`${field}.unit_amount`,
				`${amount} ${currency.toUpperCase()}: Stripe requires the last of the three minor digits to be 0`,
			);
		}
		unitAmount = amount;
		priceData.unit_amount = amount;
	} else {
		const decimal = value.unit_amount_decimal;
		const text = typeof decimal === 'number' ? String(decimal) : decimal;
		if (typeof text !== 'string' || !/^\d+(\.\d{1,12})?$/.test(text)) {
			throw new CheckoutInputError(
				`${field}.unit_amount_decimal`,
				`${describeValue(decimal)} is not a decimal amount in minor units with at most 12 decimals`,
			);
		}
		priceData.unit_amount_decimal = text;
	}

	let interval: string | undefined;
	if (value.recurring !== undefined) {
		if (mode === 'payment') {
			throw new CheckoutInputError(`${field}.recurring`, 'recurring prices need Mode set to Subscription');
		}
		if (!isPlainObject(value.recurring)) throw new CheckoutInputError(`${field}.recurring`, 'must be an object');
		checkKnownKeys(value.recurring, ['interval', 'interval_count'], `${field}.recurring`);
		const recurring = recurringOf(value.recurring.interval ?? '', value.recurring.interval_count, `${field}.recurring`);
		interval = recurring.interval;
		priceData.recurring = recurring;
	}
	if (value.tax_behavior !== undefined) {
		priceData.tax_behavior = requiredText(value.tax_behavior, `${field}.tax_behavior`);
	}
	return {
		priceData: priceData as unknown as Stripe.Checkout.SessionCreateParams.LineItem.PriceData,
		currency,
		unitAmount,
		name,
		interval,
	};
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		return { ok: false, problem: (error as Error).message };
	}
}

function parseJsonLineItems(value: unknown): unknown[] {
	let parsed = value;
	if (typeof value === 'string') {
		const result = parseJson(value);
		if (!result.ok) throw new CheckoutInputError('Line Items (JSON)', `is not valid JSON (${result.problem})`);
		parsed = result.value;
	}
	if (!Array.isArray(parsed)) {
		throw new CheckoutInputError('Line Items (JSON)', 'must be a JSON array of Stripe line items: [{"price": "price_…", "quantity": 1}]');
	}
	return nonEmptyList(parsed, 'Line Items (JSON)');
}

function jsonLineItems(input: CheckoutInput, mode: CheckoutMode): BuiltLineItem[] {
	return parseJsonLineItems(input.lineItemsJson).map((raw, index) => {
		const field = `Line Items (JSON) → item ${index + 1}`;
		if (!isPlainObject(raw)) throw new CheckoutInputError(field, 'must be an object');
		checkKnownKeys(raw, JSON_LINE_ITEM_FIELDS, field);
		if ((raw.price === undefined) === (raw.price_data === undefined)) {
			throw new CheckoutInputError(field, 'needs exactly one of "price" (a price_… ID) or "price_data"');
		}
		const quantity = normaliseQuantity(raw.quantity, `${field}.quantity`);
		const lineItem: Record<string, unknown> = { quantity };
		const summary: LineItemSummary = { source: 'json', quantity };
		let recurring: boolean | undefined;
		if (raw.price !== undefined) {
			const priceId = requiredText(raw.price, `${field}.price`);
			lineItem.price = priceId;
			summary.priceId = priceId;
		} else {
			const built = jsonPriceData(raw.price_data, mode, `${field}.price_data`);
			lineItem.price_data = built.priceData;
			summary.currency = built.currency;
			if (built.unitAmount !== undefined) summary.unitAmount = built.unitAmount;
			if (built.name !== undefined) summary.name = built.name;
			if (built.interval !== undefined) summary.interval = built.interval;
			recurring = built.interval !== undefined;
		}
		if (raw.adjustable_quantity !== undefined) {
			const adjustable = raw.adjustable_quantity;
			if (!isPlainObject(adjustable) || typeof adjustable.enabled !== 'boolean') {
				throw new CheckoutInputError(`${field}.adjustable_quantity`, 'must be {"enabled": true|false, "minimum"?, "maximum"?}');
			}
			checkKnownKeys(adjustable, ['enabled', 'minimum', 'maximum'], `${field}.adjustable_quantity`);
			lineItem.adjustable_quantity = {
				enabled: adjustable.enabled,
				...(adjustable.minimum !== undefined && {
					minimum: positiveInteger(adjustable.minimum, `${field}.adjustable_quantity.minimum`),
				}),
				...(adjustable.maximum !== undefined && {
					maximum: positiveInteger(adjustable.maximum, `${field}.adjustable_quantity.maximum`),
				}),
			};
		}
		for (const listField of ['tax_rates', 'dynamic_tax_rates'] as const) {
			if (raw[listField] !== undefined) lineItem[listField] = stringList(raw[listField], `${field}.${listField}`);
		}
		if (raw.metadata !== undefined) lineItem.metadata = validatedMetadataObject(raw.metadata, `${field}.metadata`);
		return {
			lineItem: lineItem as Stripe.Checkout.SessionCreateParams.LineItem,
			summary,
			recurring,
		};
	});
}

function checkOneCurrency(items: BuiltLineItem[]): void {
	let first: { currency: string; index: number } | undefined;
	items.forEach((item, index) => {
		const currency = item.summary.currency;
		if (currency === undefined) return;
		if (!first) {
			first = { currency, index };
		} else if (first.currency !== currency) {
			throw new CheckoutInputError(
				'Line Items',
				`one Checkout Session takes one currency, but item ${first.index + 1} is ${first.currency.toUpperCase()} and item ${index + 1} is ${currency.toUpperCase()}`,
			);
		}
	});
}

// ---------------------------------------------------------------------------------------------------------
// Metadata

function checkMetadataEntry(key: string, value: string, field: string): void {
	if (key.length > STRIPE_LIMITS.metadataKeyLength) {
		throw new CheckoutInputError(field, `key "${describeValue(key)}" is ${key.length} characters; Stripe allows ${STRIPE_LIMITS.metadataKeyLength}`);
	}
	if (/[[\]]/.test(key)) throw new CheckoutInputError(field, `key "${key}" must not contain square brackets`);
	if (value.length > STRIPE_LIMITS.metadataValueLength) {
		throw new CheckoutInputError(
			field,
			`the value of "${key}" is ${value.length} characters; Stripe allows ${STRIPE_LIMITS.metadataValueLength}`,
		);
	}
}

function metadataValueText(value: unknown, field: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new CheckoutInputError(field, `"${describeValue(value)}" is not text, a number or true/false`);
}

function validatedMetadataObject(value: unknown, field: string): Record<string, string> {
	if (!isPlainObject(value)) throw new CheckoutInputError(field, 'must be an object of key/value pairs');
	const entries = Object.entries(value);
	if (entries.length > STRIPE_LIMITS.metadataKeys) {
		throw new CheckoutInputError(field, `${entries.length} keys; Stripe allows ${STRIPE_LIMITS.metadataKeys}`);
	}
	const result: Record<string, string> = {};
	for (const [key, raw] of entries) {
		const text = metadataValueText(raw, `${field}.${key}`);
		checkMetadataEntry(key, text, field);
		result[key] = text;
	}
	return result;
}

/**
 * The operator's metadata merged with the chat reference. The chat keys are the return address of the
 * order; when the item carries a chat reference, operator metadata may repeat them but not contradict them.
 */
export function buildMetadata(
	entries: MetadataEntryInput[] | undefined,
	chatRef: ChatReference | undefined,
	messageId: string | undefined,
): Record<string, string> {
	const field = 'Options → Metadata';
	const merged: Record<string, string> = {};
	(entries ?? []).forEach((entry, index) => {
		const key = typeof entry.key === 'string' ? entry.key.trim() : '';
		const value = metadataValueText(entry.value, `${field} → entry ${index + 1} → Value`);
		if (key === '' && value === '') return; // an empty row left in the UI
		if (key === '') throw new CheckoutInputError(`${field} → entry ${index + 1} → Key`, 'is required');
		checkMetadataEntry(key, value, `${field} → entry ${index + 1}`);
		merged[key] = value;
	});
	if (chatRef) {
		const chatMetadata = chatReferenceToStripeMetadata(chatRef, messageId);
		for (const [key, value] of Object.entries(chatMetadata)) {
			if (merged[key] !== undefined && merged[key] !== value) {
				throw new CheckoutInputError(
					field,
					`"${key}" is set from the item's chat reference ("${value}"); remove it from Metadata or make it match`,
				);
			}
			checkMetadataEntry(key, value, `chat reference → ${key}`);
			merged[key] = value;
		}
	}
	if (Object.keys(merged).length > STRIPE_LIMITS.metadataKeys) {
		throw new CheckoutInputError(
			field,
			`${Object.keys(merged).length} keys including the chat reference; Stripe allows ${STRIPE_LIMITS.metadataKeys}`,
		);
	}
	return merged;
}

// ---------------------------------------------------------------------------------------------------------
// Expiry and idempotency

function expiryMinutesOf(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0) return undefined;
	const minutes = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (
		typeof minutes !== 'number' ||
		!Number.isInteger(minutes) ||
		minutes < STRIPE_LIMITS.expiresMinMinutes ||
		minutes > STRIPE_LIMITS.expiresMaxMinutes
	) {
		throw new CheckoutInputError(
			'Options → Expires After (Minutes)',
			`${describeValue(value)} must be a whole number from ${STRIPE_LIMITS.expiresMinMinutes} to ${STRIPE_LIMITS.expiresMaxMinutes} (24 hours)`,
		);
	}
	return minutes;
}

/**
 * `expires_at` (Unix seconds), anchored to the chat message's time when that leaves enough of the link's
 * life, else to the current 5-minute window (returned, as it must join the idempotency key); see the
 * module comment.
 */
export function expiryOf(
	minutes: number,
	nowMs: number,
	messageTimeMs?: number,
): { expiresAt: number; window?: number } {
	const nowSeconds = Math.floor(nowMs / 1000);
	if (messageTimeMs !== undefined && Number.isFinite(messageTimeMs)) {
		const anchored = Math.floor(messageTimeMs / 1000) + minutes * 60;
		if (anchored >= nowSeconds + EXPIRY_EARLIEST_SECONDS && anchored <= nowSeconds + EXPIRY_LATEST_SECONDS) {
			return { expiresAt: anchored };
		}
	}
	const window = Math.floor(nowSeconds / EXPIRY_WINDOW_SECONDS);
	const offset = Math.min(Math.max(minutes * 60, EXPIRY_EARLIEST_SECONDS), EXPIRY_LATEST_SECONDS);
	return { expiresAt: window * EXPIRY_WINDOW_SECONDS + offset, window };
}

/** The inbound message's time (the triggers' ISO `timestamp`), when the item has one. */
function messageTimeOf(json: Record<string, unknown>): number | undefined {
	if (typeof json.timestamp !== 'string') return undefined;
	const ms = Date.parse(json.timestamp);
	return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** JSON with object keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((entry) => canonicalJson(entry ?? null)).join(',')}]`;
	if (isPlainObject(value)) {
		const keys = Object.keys(value)
			.filter((key) => value[key] !== undefined)
			.sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** `cc1-` + sha256 of the seed and the canonical request (expires_at left out, its window put in). */
export function deriveIdempotencyKey(
	params: Stripe.Checkout.SessionCreateParams,
	seed: string,
	expiryWindow?: number,
): string {
	const timeless: Record<string, unknown> = { ...params };
	delete timeless.expires_at;
	const material = [seed, canonicalJson(timeless), expiryWindow === undefined ? '' : `window:${expiryWindow}`].join('\n');
	return `cc1-${createHash('sha256').update(material).digest('hex')}`;
}

function messageIdOf(json: Record<string, unknown>): string | undefined {
	const value = json.messageId;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The builder

const LOCALE_PATTERN = /^(auto|[a-z]{2,3}(-[A-Z0-9]{2,3})?)$/;

export function buildCheckoutSession(
	input: CheckoutInput,
	itemJson: Record<string, unknown>,
	context: BuildContext,
): BuiltCheckoutSession {
	const mode = validatedMode(input.mode);
	const source = validatedSource(input.lineItemSource);

	let lineItems: BuiltLineItem[];
	if (source === 'lookupKey') lineItems = lookupKeyLineItems(input, mode, context.pricesByLookupKey ?? new Map());
	else if (source === 'price') lineItems = priceIdLineItems(input);
	else if (source === 'inline') lineItems = inlineLineItems(input, mode);
	else lineItems = jsonLineItems(input, mode);
	checkOneCurrency(lineItems);
	if (mode === 'subscription' && lineItems.every((item) => item.recurring === false)) {
		throw new CheckoutInputError(
			'Line Items',
			'Subscription mode needs at least one recurring price (a price with a billing interval)',
		);
	}

	const successUrl = absoluteUrl(input.successUrl, 'Success URL', true);
	const cancelUrl = absoluteUrl(input.cancelUrl, 'Cancel URL', false);
	const customerEmail = optionalText(input.customerEmail, 'Options → Customer Email', 512);
	if (customerEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
		throw new CheckoutInputError('Options → Customer Email', `"${describeValue(customerEmail)}" is not an email address`);
	}
	const clientReferenceId = optionalText(
		input.clientReferenceId,
		'Options → Client Reference ID',
		STRIPE_LIMITS.clientReferenceIdLength,
	);
	const locale = optionalText(input.locale, 'Options → Locale');
	if (locale !== undefined && !LOCALE_PATTERN.test(locale)) {
		throw new CheckoutInputError('Options → Locale', `"${describeValue(locale)}" is not a Stripe Checkout locale such as auto, en or pt-BR`);
	}
	const paymentMethodTypes =
		input.paymentMethodTypes === undefined || input.paymentMethodTypes === ''
			? []
			: stringList(input.paymentMethodTypes, 'Options → Payment Method Types');

	const chatRef = chatReferenceOf(itemJson);
	const messageId = messageIdOf(itemJson);
	const metadata = buildMetadata(input.metadata, chatRef, messageId);
	const hasMetadata = Object.keys(metadata).length > 0;

	const expiryMinutes = expiryMinutesOf(input.expiresInMinutes);
	const expiry =
		expiryMinutes === undefined
			? undefined
			: expiryOf(expiryMinutes, context.nowMs, messageId === undefined ? undefined : messageTimeOf(itemJson));

	const params: Stripe.Checkout.SessionCreateParams = {
		mode,
		line_items: lineItems.map((item) => item.lineItem),
		success_url: successUrl,
		...(cancelUrl !== undefined && { cancel_url: cancelUrl }),
		...(customerEmail !== undefined && { customer_email: customerEmail }),
		...(clientReferenceId !== undefined && { client_reference_id: clientReferenceId }),
		...(hasMetadata && { metadata }),
		// The copy on the PaymentIntent / Subscription keeps the chat reference on charges, refunds and
		// every renewal invoice, which never see the Checkout Session's own metadata.
		...(hasMetadata && mode === 'payment' && { payment_intent_data: { metadata: { ...metadata } } }),
		...(hasMetadata && mode === 'subscription' && { subscription_data: { metadata: { ...metadata } } }),
		...(expiry !== undefined && { expires_at: expiry.expiresAt }),
		...(input.allowPromotionCodes === true && { allow_promotion_codes: true }),
		...(input.collectPhoneNumber === true && { phone_number_collection: { enabled: true } }),
		...(locale !== undefined && { locale: locale as Stripe.Checkout.SessionCreateParams.Locale }),
		// Stripe's pinned API version (2026-10-28) has no static payment_method_types any more; this filters
		// the methods turned on in the Dashboard, so leaving it out keeps dynamic payment methods.
		...(paymentMethodTypes.length > 0 && {
			allowed_payment_method_types:
				paymentMethodTypes as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
		}),
		// Stripe's own line amounts come back in the answer, for the summary the node outputs.
		expand: ['line_items'],
	};

	let idempotencyKey = optionalText(input.idempotencyKey, 'Options → Idempotency Key', STRIPE_LIMITS.idempotencyKeyLength);
	let idempotencyKeySource: IdempotencyKeySource = idempotencyKey === undefined ? 'none' : 'parameter';
	if (idempotencyKey === undefined) {
		if (messageId !== undefined) {
			const channel = chatRef ? `${chatRef.channel}:${chatRef.accountId}:${chatRef.userId}` : '-';
			idempotencyKey = deriveIdempotencyKey(params, `message:${channel}:${messageId}`, expiry?.window);
			idempotencyKeySource = 'message';
		} else if (context.executionId) {
			idempotencyKey = deriveIdempotencyKey(
				params,
				`execution:${context.executionId}:item:${context.itemIndex}`,
				expiry?.window,
			);
			idempotencyKeySource = 'execution';
		}
	}

	return {
		params,
		idempotencyKey,
		idempotencyKeySource,
		lineItems: lineItems.map((item) => item.summary),
		...(chatRef && { chatRef }),
		...(messageId !== undefined && { messageId }),
	};
}

// ---------------------------------------------------------------------------------------------------------
// The node's output

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

/** What the node emits for a created session: IDs, amounts and the chat reference; no customer details. */
export function checkoutSessionOutput(session: Stripe.Checkout.Session, built: BuiltCheckoutSession): CheckoutSessionOutput {
	const stripeLines = session.line_items?.data ?? [];
	const lineItems = built.lineItems.map((summary, index): LineItemSummary => {
		const line = stripeLines.length === built.lineItems.length ? stripeLines[index] : undefined;
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
		lineItems,
	};
}
