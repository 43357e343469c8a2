import type { Product } from './catalog';
import { money, plural } from './catalog';
import { formatDay } from './dates';

/**
 * A complete order priced from the catalog alone, with the Stripe line item that charges it.
 * Per-night products count units × nights (2 rooms × 3 nights = 6 room-nights), and both numbers show in
 * the line item's name, so the checkout page says what the customer asked for.
 */
export interface OrderLine {
	product: Product;
	/** Rooms, items or seats. */
	units: number;
	nights: number | null;
	checkIn: string | null;
	checkOut: string | null;
}

export interface PricedOrder {
	productKey: string;
	productName: string;
	kind: Product['kind'];
	units: number;
	nights: number | null;
	checkIn: string | null;
	checkOut: string | null;
	/** What Stripe charges per line: units × nights for per-night products. */
	stripeQuantity: number;
	unitAmountMinor: number;
	totalMinor: number;
	currency: string;
	/** "398.00 USD" */
	total: string;
	/** "Grand Hotel Deluxe Room, 2 rooms × 3 nights (Sun, Jun 20, 2027 → Wed, Jun 23, 2027)" */
	summary: string;
	mode: 'payment' | 'subscription';
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

export function priceOrder(line: OrderLine): PricedOrder {
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
	return {
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
		mode: product.kind === 'subscription' ? 'subscription' : 'payment',
		lineItems: [{ quantity: stripeQuantity, price_data: priceData }],
	};
}
