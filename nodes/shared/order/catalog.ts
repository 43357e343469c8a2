import { formatMinorUnits, normaliseCurrency, toMinorUnits } from '../stripe/amounts';
import { CheckoutInputError } from '../stripe/inputError';

/**
 * The operator's catalog (a Data Table in the template): the only source of products, prices and limits.
 * The model sees keys, names and kinds; prices never leave this module for the model.
 */
export type ProductKind = 'per_night' | 'one_off' | 'subscription';
export type BillingInterval = 'day' | 'week' | 'month' | 'year';

export const PRODUCT_KINDS: readonly ProductKind[] = ['per_night', 'one_off', 'subscription'];
const INTERVALS: readonly BillingInterval[] = ['day', 'week', 'month', 'year'];

export interface Product {
	key: string;
	/** What the business's WhatsApp catalog calls it (product_retailer_id): the row's `retailerId`, else its key. */
	retailerId: string;
	name: string;
	kind: ProductKind;
	/** Price of one unit (per night for `per_night`, per interval for subscriptions) in minor units. */
	unitAmountMinor: number;
	/** Lower-case ISO code, as Stripe wants it. */
	currency: string;
	interval: BillingInterval;
	/** Most units (rooms, items, seats) one order may hold. */
	maxPerOrder: number;
	/** Most nights one booking may span (per-night products). */
	maxNights: number;
	/** What one unit is called, singular ("room", "seat"); "s" is added for plurals. */
	unit: string;
	description: string;
}

export interface CatalogLimits {
	maxPerOrder: number;
	maxNights: number;
}

export interface CatalogReading {
	products: Product[];
	/** Rows that could not be offered, with the reason (for the operator, in the output and n8n's log). */
	skipped: string[];
	/** Rows offered, but with something the operator should fix (a retailer ID two rows share). */
	warnings: string[];
}

const DEFAULT_UNIT: Record<ProductKind, string> = { per_night: 'room', one_off: 'item', subscription: 'seat' };

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function positiveWhole(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null || value === '') return fallback;
	const n = typeof value === 'number' ? value : Number(text(value));
	return Number.isInteger(n) && n >= 1 ? n : undefined;
}

function readRow(row: Record<string, unknown>, limits: CatalogLimits): Product | string {
	const key = text(row.key);
	if (!key) return 'a row has no key';
	const kind = text(row.kind) as ProductKind;
	if (!PRODUCT_KINDS.includes(kind)) return `"${key}": kind must be per_night, one_off or subscription (is "${text(row.kind)}")`;
	let currency: string;
	let unitAmountMinor: number;
	try {
		currency = normaliseCurrency(row.currency, 'currency').toLowerCase();
		unitAmountMinor = toMinorUnits(row.unitAmount, currency, 'unitAmount');
	} catch (error) {
		const reason = error instanceof CheckoutInputError ? error.message : String(error);
		return `"${key}": ${reason}`;
	}
	const interval = (text(row.interval) || 'month') as BillingInterval;
	if (kind === 'subscription' && !INTERVALS.includes(interval)) return `"${key}": interval must be day, week, month or year`;
	const maxPerOrder = positiveWhole(row.maxPerOrder, limits.maxPerOrder);
	if (maxPerOrder === undefined) return `"${key}": maxPerOrder must be a whole number ≥ 1`;
	const maxNights = positiveWhole(row.maxNights, limits.maxNights);
	if (maxNights === undefined) return `"${key}": maxNights must be a whole number ≥ 1`;
	return {
		key,
		retailerId: text(row.retailerId) || key,
		name: text(row.name) || key,
		kind,
		unitAmountMinor,
		currency,
		interval,
		maxPerOrder,
		maxNights,
		unit: text(row.unit) || DEFAULT_UNIT[kind],
		description: text(row.description),
	};
}

/** Reads catalog rows (a Data Table's rows, or any list of objects with the catalog's columns). */
export function readCatalog(rows: Array<Record<string, unknown>>, limits: CatalogLimits): CatalogReading {
	const products: Product[] = [];
	const skipped: string[] = [];
	const warnings: string[] = [];
	const seen = new Set<string>();
	const retailerIds = new Set<string>();
	for (const row of rows) {
		if (Object.keys(row).every((k) => ['id', 'createdAt', 'updatedAt'].includes(k))) continue; // an empty item
		const product = readRow(row, limits);
		if (typeof product === 'string') skipped.push(product);
		else if (seen.has(product.key)) skipped.push(`"${product.key}": the key appears twice; the first row is used`);
		else {
			seen.add(product.key);
			products.push(product);
			// Still offered in the chat; a WhatsApp cart naming this retailer ID gets the first such row.
			if (retailerIds.has(product.retailerId)) warnings.push(`"${product.key}": retailer ID "${product.retailerId}" is already another row's; carts get the first row`);
			retailerIds.add(product.retailerId);
		}
	}
	return { products, skipped, warnings };
}

export function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "199.00 USD" */
export function money(minor: number, currency: string): string {
	return `${formatMinorUnits(minor, currency)} ${currency.toUpperCase()}`;
}

/** "199.00 USD per night", "29.00 USD per month" */
export function priceLabel(product: Product): string {
	const per = product.kind === 'per_night' ? ' per night' : product.kind === 'subscription' ? ` per ${product.interval}` : '';
	return `${money(product.unitAmountMinor, product.currency)}${per}`;
}

/** The offer as chat lines: "• Grand Hotel Deluxe Room: 199.00 USD per night". */
export function offerLines(products: Product[]): string {
	return products.map((p) => `• ${p.name}: ${priceLabel(p)}`).join('\n');
}

/** What the model may see of the catalog: never prices or limits. */
export function catalogForModel(products: Product[]): Array<Record<string, string>> {
	return products.map((p) => ({ key: p.key, name: p.name, kind: p.kind, ...(p.description ? { description: p.description } : {}) }));
}
