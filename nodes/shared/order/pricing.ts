import type { Product } from './catalog';
import { money, plural } from './catalog';
import { formatDay } from './dates';

/**
 * A complete order priced from the catalog alone, with the Stripe line items that charge it: one line for
 * an order read from the chat, one per product for a catalog cart. Per-night products count units × nights
 * (2 rooms × 3 nights = 6 room-nights), and both numbers show in the line item's name, so the checkout page
 * says what the customer asked for. All lines of one order share a currency and a way of billing (one-off,
 * or one subscription interval): Stripe charges one Checkout Session in one currency and one mode.
 */
export interface OrderLine {
	product: Product;
	/** Rooms, items or seats. */
	units: number;
	nights: number | null;
	checkIn: string | null;
	checkOut: string | null;
}

/** One priced line: what one Stripe line item charges. */
export interface PricedLine {
	productKey: string;
	productName: string;
	kind: Product['kind'];
	units: number;
	nights: number | null;
	checkIn: string | null;
	checkOut: string | null;
	/** What Stripe charges for the line: units × nights for per-night products. */
	stripeQuantity: number;
	unitAmountMinor: number;
	totalMinor: number;
	currency: string;
	/** "398.00 USD" */
	total: string;
	/** "Grand Hotel Deluxe Room, 2 rooms × 3 nights (Sun, Jun 20, 2027 → Wed, Jun 23, 2027)" */
	summary: string;
}

/**
 * The order as a whole. With one line its fields are that line's (as they always were); with several,
 * productKey and productName list the lines (", "), units and stripeQuantity add up, unitAmountMinor is
 * null, and nights and dates are null (carts hold no per-night products).
 */
export interface PricedOrder extends Omit<PricedLine, 'unitAmountMinor'> {
	unitAmountMinor: number | null;
	mode: 'payment' | 'subscription';
	lines: PricedLine[];
	/** Stripe `line_items`, minor units: what Create Stripe Checkout's "Line Items (JSON)" takes. */
	lineItems: Array<Record<string, unknown>>;
}

function lineName(line: OrderLine): string {
	const { product, units, nights } = line;
	if (product.kind === 'per_night') return `${product.name}, ${plural(units, product.unit)} × ${plural(nights ?? 0, 'night')}`;
	if (product.kind === 'subscription') return units === 1 ? product.name : `${product.name}, ${plural(units, product.unit)}`;
	return units === 1 ? product.name : `${product.name} × ${units}`;
}

function summaryOf(line: OrderLine): string {
	const { product, checkIn, checkOut } = line;
	if (product.kind === 'per_night') return `${lineName(line)} (${formatDay(checkIn ?? '')} → ${formatDay(checkOut ?? '')})`;
	if (product.kind === 'subscription') return `${lineName(line)}, billed every ${product.interval}`;
	return lineName(line);
}

/** How a product is billed: lines billed differently cannot share one Checkout Session. */
export function billingOf(product: Product): string {
	return product.kind === 'subscription' ? `every ${product.interval}` : 'once';
}

function priceLine(line: OrderLine): { priced: PricedLine; lineItem: Record<string, unknown> } {
	const { product, units } = line;
	const nights = product.kind === 'per_night' ? line.nights : null;
	const stripeQuantity = product.kind === 'per_night' ? units * (nights ?? 0) : units;
	const totalMinor = product.unitAmountMinor * stripeQuantity;
	const description =
		product.kind === 'per_night'
			? `Check-in ${formatDay(line.checkIn ?? '')}, check-out ${formatDay(line.checkOut ?? '')}. ${money(product.unitAmountMinor, product.currency)} per ${product.unit} per night.`
			: product.description || undefined;
	const priceData: Record<string, unknown> = {
		currency: product.currency,
		unit_amount: product.unitAmountMinor,
		product_data: { name: lineName(line), ...(description ? { description } : {}) },
		...(product.kind === 'subscription' ? { recurring: { interval: product.interval, interval_count: 1 } } : {}),
	};
	const priced: PricedLine = {
		productKey: product.key,
		productName: product.name,
		kind: product.kind,
		units,
		nights,
		checkIn: product.kind === 'per_night' ? line.checkIn : null,
		checkOut: product.kind === 'per_night' ? line.checkOut : null,
		stripeQuantity,
		unitAmountMinor: product.unitAmountMinor,
		totalMinor,
		currency: product.currency,
		total: money(totalMinor, product.currency),
		summary: summaryOf(line),
	};
	return { priced, lineItem: { quantity: stripeQuantity, price_data: priceData } };
}

/** Prices an order of one or more lines; lines of several currencies or billings are a caller's mistake. */
export function priceOrderLines(orderLines: OrderLine[]): PricedOrder {
	if (orderLines.length === 0) throw new Error('priceOrderLines: an order needs at least one line');
	const currencies = new Set(orderLines.map((line) => line.product.currency));
	const billings = new Set(orderLines.map((line) => billingOf(line.product)));
	if (currencies.size > 1 || billings.size > 1) throw new Error('priceOrderLines: all lines must share one currency and one billing');
	const priced = orderLines.map(priceLine);
	const lines = priced.map((p) => p.priced);
	const first = lines[0];
	const mode = first.kind === 'subscription' ? 'subscription' : 'payment';
	const lineItems = priced.map((p) => p.lineItem);
	if (lines.length === 1) return { ...first, mode, lines, lineItems };
	const totalMinor = lines.reduce((sum, line) => sum + line.totalMinor, 0);
	return {
		productKey: lines.map((line) => line.productKey).join(', '),
		productName: lines.map((line) => line.productName).join(', '),
		kind: first.kind,
		units: lines.reduce((sum, line) => sum + line.units, 0),
		nights: null,
		checkIn: null,
		checkOut: null,
		stripeQuantity: lines.reduce((sum, line) => sum + line.stripeQuantity, 0),
		unitAmountMinor: null,
		totalMinor,
		currency: first.currency,
		total: money(totalMinor, first.currency),
		summary: lines.map((line) => line.summary).join('; '),
		mode,
		lines,
		lineItems,
	};
}

/** A one-line order (what the chat conversation makes). */
export function priceOrder(line: OrderLine): PricedOrder {
	return priceOrderLines([line]);
}
