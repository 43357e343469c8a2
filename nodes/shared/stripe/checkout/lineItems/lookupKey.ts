/**
 * Line items by price lookup key: the keys are resolved to active prices through Stripe first, so the
 * amount always comes from Stripe, never from the chat (the safe source when an AI picks the product).
 */
import type Stripe from 'stripe';

import { normaliseQuantity } from '../../amounts';
import { CheckoutInputError } from '../../inputError';
import { nonEmptyList, requiredText } from '../fields';
import type { CheckoutMode } from '../limits';
import { STRIPE_LIMITS } from '../limits';
import type { BuiltLineItem, CheckoutInput, ResolvedPrice } from '../types';

const PRICE_LOOKUP_HINT = 'Stripe Dashboard → Product catalogue → the product → the price → Lookup key';

function lookupKeyOf(value: unknown, field: string): string {
	return requiredText(value, field, STRIPE_LIMITS.lookupKeyLength);
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

function resolvedPrice(price: Stripe.Price & { lookup_key: string }): ResolvedPrice {
	const product = typeof price.product === 'object' && price.product !== null ? price.product : undefined;
	const productIsLive = product !== undefined && !('deleted' in product && product.deleted);
	return {
		id: price.id,
		lookupKey: price.lookup_key,
		currency: price.currency,
		unitAmount: price.unit_amount ?? null,
		recurring: price.recurring
			? { interval: price.recurring.interval, intervalCount: price.recurring.interval_count ?? 1 }
			: null,
		productName: productIsLive ? (product as Stripe.Product).name : undefined,
		productActive: productIsLive ? (product as Stripe.Product).active : product === undefined ? undefined : false,
	};
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
			found.set(price.lookup_key, resolvedPrice(price as Stripe.Price & { lookup_key: string }));
		}
	}
	return found;
}

function checkedPrice(price: ResolvedPrice | undefined, lookupKey: string, mode: CheckoutMode, field: string): ResolvedPrice {
	if (!price) {
		throw new CheckoutInputError(
			field,
			`Stripe has no active price with the lookup key "${lookupKey}". Set it in ${PRICE_LOOKUP_HINT} ` +
				'(and check the credential is in the same test/live mode as the price)',
		);
	}
	if (price.productActive === false) {
		throw new CheckoutInputError(
			field,
			`the price "${lookupKey}" (${price.id}) belongs to an archived product; unarchive it in Stripe Dashboard → Product catalogue`,
		);
	}
	if (mode === 'payment' && price.recurring) {
		throw new CheckoutInputError(
			field,
			`the price "${lookupKey}" (${price.id}) is recurring; set Mode to Subscription or use a one-time price`,
		);
	}
	return price;
}

export function lookupKeyLineItems(
	input: CheckoutInput,
	mode: CheckoutMode,
	prices: ReadonlyMap<string, ResolvedPrice>,
): BuiltLineItem[] {
	return nonEmptyList(input.lookupKeyItems, 'Price Lookup Keys').map((item, index) => {
		const field = `Price Lookup Keys → item ${index + 1}`;
		const lookupKey = lookupKeyOf(item.lookupKey, `${field} → Lookup Key`);
		const quantity = normaliseQuantity(item.quantity ?? 1, `${field} → Quantity`);
		const price = checkedPrice(prices.get(lookupKey), lookupKey, mode, `${field} → Lookup Key`);
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
