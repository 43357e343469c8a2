/**
 * A Checkout Session's line items: each priced from a catalog price or from its price_data (which makes an
 * inactive, unlisted price, as Stripe does), checked like Stripe checks them.
 */
import { randomId } from '../http';
import { addPrice } from './catalog';
import { clone, type ResolvedItem, type SimContext } from './context';
import { invalid, missingParam } from './errors';
import { isThreeDecimal } from './money';
import { parseInteger } from './paramChecks';
import type { StripeObject } from './types';

function priceFromData(ctx: SimContext, pd: unknown, pb: string): StripeObject {
	if (!pd || typeof pd !== 'object') throw invalid(pb, 'Invalid object', 'parameter_invalid_string');
	const data = pd as StripeObject;
	if (!data.currency) throw missingParam(`${pb}[currency]`);
	let productName: string;
	if (data.product !== undefined) {
		const prod = ctx.products.get(String(data.product));
		if (!prod) throw invalid(`${pb}[product]`, `No such product: '${data.product}'`, 'resource_missing');
		productName = prod.name;
	} else {
		if (!data.product_data || typeof data.product_data !== 'object') throw missingParam(`${pb}[product_data]`);
		if (!data.product_data.name) throw missingParam(`${pb}[product_data][name]`);
		productName = String(data.product_data.name);
	}
	let unitAmount: number;
	if (data.unit_amount !== undefined && data.unit_amount_decimal !== undefined) {
		throw invalid(`${pb}[unit_amount]`, 'You may only specify one of these parameters: unit_amount, unit_amount_decimal.');
	}
	if (data.unit_amount !== undefined) {
		unitAmount = parseInteger(data.unit_amount, `${pb}[unit_amount]`, { min: 0 });
	} else if (data.unit_amount_decimal !== undefined) {
		const s = String(data.unit_amount_decimal);
		if (!/^\d+(\.\d{1,12})?$/.test(s)) throw invalid(`${pb}[unit_amount_decimal]`, `Invalid decimal: ${s}`, 'parameter_invalid_string');
		unitAmount = Number(s);
	} else {
		throw invalid(`${pb}[unit_amount]`, 'You must specify either `unit_amount` or `unit_amount_decimal`.', 'parameter_missing');
	}
	const currency = String(data.currency).toLowerCase();
	if (!/^[a-z]{3}$/.test(currency)) throw invalid(`${pb}[currency]`, `Invalid currency: ${currency}.`, 'parameter_invalid_string');
	if (isThreeDecimal(currency) && Number.isInteger(unitAmount) && unitAmount % 10 !== 0) {
		throw invalid(`${pb}[unit_amount]`, `Invalid amount for ${currency.toUpperCase()}: amounts in three-decimal currencies must end in 0.`, 'amount_too_small');
	}
	let recurring: { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number } | undefined;
	if (data.recurring !== undefined) {
		const r = data.recurring;
		if (!r || !r.interval) throw missingParam(`${pb}[recurring][interval]`);
		if (!['day', 'week', 'month', 'year'].includes(r.interval)) {
			throw invalid(`${pb}[recurring][interval]`, 'Invalid recurring[interval]: must be one of day, month, week, or year', 'parameter_invalid_string');
		}
		recurring = { interval: r.interval, interval_count: r.interval_count !== undefined ? parseInteger(r.interval_count, `${pb}[recurring][interval_count]`, { min: 1 }) : 1 };
	}
	const priceId = randomId('price_SIM', 14);
	const price = addPrice(
		ctx,
		{
			id: priceId,
			currency,
			unit_amount: Math.round(unitAmount),
			product_name: productName,
			product_id: data.product !== undefined ? String(data.product) : undefined,
			recurring,
		},
		false,
	);
	price.unit_amount_decimal = String(unitAmount);
	price.active = false;
	(ctx.prices.get(priceId) as StripeObject).active = false;
	return price;
}

function resolveItem(ctx: SimContext, item: unknown, i: number): ResolvedItem {
	const base = `line_items[${i}]`;
	if (!item || typeof item !== 'object') throw invalid(base, 'Invalid object', 'parameter_invalid_string');
	const line = item as StripeObject;
	let price: StripeObject;
	if (line.price !== undefined && line.price_data !== undefined) {
		throw invalid(`${base}[price_data]`, `You may only specify one of these parameters: price, price_data.`);
	}
	if (line.price !== undefined) {
		const p = ctx.prices.get(String(line.price));
		if (!p) throw invalid(`${base}[price]`, `No such price: '${line.price}'`, 'resource_missing');
		if (!p.active) throw invalid(`${base}[price]`, `The price specified is inactive. This field only accepts active prices.`);
		price = p;
	} else if (line.price_data !== undefined) {
		price = priceFromData(ctx, line.price_data, `${base}[price_data]`);
	} else {
		throw invalid(`${base}[price]`, `You must specify either \`price\` or \`price_data\` in \`${base}\`.`, 'parameter_missing');
	}
	if (line.quantity === undefined) throw invalid(`${base}[quantity]`, `Quantity is required. Add \`quantity\` to \`${base}\``, 'parameter_missing');
	const quantity = parseInteger(line.quantity, `${base}[quantity]`, { min: 1 });
	const unit = Number(price.unit_amount_decimal ?? price.unit_amount);
	return {
		name: ctx.products.get(price.product)?.name ?? 'Item',
		quantity,
		unit_amount: price.unit_amount,
		currency: price.currency,
		price: clone(ctx.prices.get(price.id) ?? price),
		amount: Math.round(unit * quantity),
	};
}

/** The requested line items, priced and checked for the session's mode. */
export function resolveLineItems(ctx: SimContext, mode: string, items: unknown[]): ResolvedItem[] {
	if (mode !== 'setup' && items.length === 0) throw missingParam('line_items');
	if (mode === 'payment' && items.length > 100) throw invalid('line_items', 'You may only specify up to 100 line items in `payment` mode.');
	if (mode === 'subscription' && items.length > 20) throw invalid('line_items', 'You may only specify up to 20 line items in `subscription` mode.');
	const resolved = items.map((item, i) => resolveItem(ctx, item, i));
	const currencies = [...new Set(resolved.map((r) => r.currency))];
	if (currencies.length > 1) throw invalid('line_items', `All line items must have the same currency; got ${currencies.join(', ')}.`);
	const recurringItems = resolved.filter((r) => r.price.recurring);
	if (mode === 'payment' && recurringItems.length > 0) {
		throw invalid('line_items', 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.');
	}
	if (mode === 'subscription' && recurringItems.length === 0) {
		throw invalid('line_items', 'You must provide at least one recurring price in `subscription` mode when using prices.');
	}
	return resolved;
}
