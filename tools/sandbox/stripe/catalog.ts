/**
 * Products and Prices: the catalog the simulator starts with or is given, and its API (list by lookup_keys,
 * retrieve, expand the product).
 */
import { randomId } from '../http';
import { clone, type SimContext } from './context';
import { invalid } from './errors';
import { parseBool } from './paramChecks';
import { paginate, type ApiAnswer } from './pagination';
import type { PriceSpec, StripeObject } from './types';

/** Adds a price (and its product, when new); `listed: false` for the ones a session's price_data makes. */
export function addPrice(ctx: SimContext, spec: PriceSpec, listed = true): StripeObject {
	const created = ctx.nowSec();
	const productId = spec.product_id ?? randomId('prod_SIM', 10);
	if (!ctx.products.has(productId)) {
		ctx.products.set(productId, {
			id: productId,
			object: 'product',
			active: true,
			created,
			default_price: spec.id,
			description: null,
			images: [],
			livemode: false,
			marketing_features: [],
			metadata: {},
			name: spec.product_name,
			package_dimensions: null,
			shippable: null,
			statement_descriptor: null,
			tax_code: null,
			type: 'service',
			unit_label: null,
			updated: created,
			url: null,
		});
	}
	const price = {
		id: spec.id,
		object: 'price',
		active: spec.active ?? true,
		billing_scheme: 'per_unit',
		created,
		currency: spec.currency.toLowerCase(),
		custom_unit_amount: null,
		livemode: false,
		lookup_key: spec.lookup_key ?? null,
		metadata: { ...(spec.metadata ?? {}) },
		nickname: spec.nickname ?? null,
		product: productId,
		recurring: spec.recurring
			? { interval: spec.recurring.interval, interval_count: spec.recurring.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
			: null,
		tax_behavior: 'unspecified',
		tiers_mode: null,
		transform_quantity: null,
		type: spec.recurring ? 'recurring' : 'one_time',
		unit_amount: spec.unit_amount,
		unit_amount_decimal: String(spec.unit_amount),
	};
	if (listed) ctx.unlistedPrices.delete(spec.id);
	else ctx.unlistedPrices.add(spec.id);
	ctx.prices.set(spec.id, price);
	return clone(price);
}

function priceView(ctx: SimContext, price: StripeObject, expandProduct: boolean): StripeObject {
	const out = clone(price);
	if (expandProduct) out.product = clone(ctx.products.get(price.product) ?? price.product);
	return out;
}

function listPrices(ctx: SimContext, params: StripeObject, expand: string[]): ApiAnswer {
	let all = [...ctx.prices.values()].filter((p) => !ctx.unlistedPrices.has(p.id)).reverse();
	if (params.lookup_keys !== undefined) {
		const keys = Array.isArray(params.lookup_keys) ? params.lookup_keys.map(String) : [String(params.lookup_keys)];
		if (keys.length > 10) throw invalid('lookup_keys', 'You may only specify up to 10 lookup keys.');
		all = all.filter((p) => p.lookup_key !== null && keys.includes(p.lookup_key));
	}
	if (params.active !== undefined) {
		const active = parseBool(params.active, 'active');
		all = all.filter((p) => p.active === active);
	}
	if (params.type !== undefined) all = all.filter((p) => p.type === params.type);
	if (params.product !== undefined) all = all.filter((p) => p.product === params.product);
	if (params.currency !== undefined) all = all.filter((p) => p.currency === String(params.currency).toLowerCase());
	const page = paginate(all, params, '/v1/prices', (p) => p.id);
	const expandProduct = expand.includes('data.product');
	return { status: 200, body: { ...page, data: page.data.map((p) => priceView(ctx, p, expandProduct)) } };
}

/** GET /v1/prices, /v1/prices/:id, /v1/products/:id; undefined for other paths. */
export function catalogRoute(ctx: SimContext, method: string, segs: string[], params: StripeObject, expand: string[]): ApiAnswer | undefined {
	const [a, b] = segs;
	if (method !== 'GET') return undefined;
	if (a === 'prices' && segs.length === 1) return listPrices(ctx, params, expand);
	if (a === 'prices' && segs.length === 2) {
		const p = ctx.prices.get(b);
		if (!p) throw invalid('price', `No such price: '${b}'`, 'resource_missing', 404);
		return { status: 200, body: priceView(ctx, p, expand.includes('product')) };
	}
	if (a === 'products' && segs.length === 2) {
		const p = ctx.products.get(b);
		if (!p) throw invalid('id', `No such product: '${b}'`, 'resource_missing', 404);
		return { status: 200, body: clone(p) };
	}
	return undefined;
}
