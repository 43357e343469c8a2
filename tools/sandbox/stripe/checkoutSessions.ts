/**
 * Checkout Sessions: creation with Stripe's checks, and the /v1/checkout/sessions endpoints (create, list,
 * retrieve, line_items, expire).
 */
import { randomId } from '../http';
import { clone, type SessionRecord, type SimContext } from './context';
import { invalid, missingParam } from './errors';
import { resolveLineItems } from './lineItems';
import { paginate, type ApiAnswer, type ApiRequestContext } from './pagination';
import { checkUrl, parseBool, parseInteger, parseMetadata } from './paramChecks';
import { expire } from './payments';
import { lineItemsList, publicSession } from './sessionView';
import type { StripeObject } from './types';

function expiresAtOf(params: StripeObject, created: number): number {
	if (params.expires_at === undefined) return created + 24 * 3600;
	const expiresAt = parseInteger(params.expires_at, 'expires_at');
	if (expiresAt < created + 30 * 60) {
		throw invalid('expires_at', 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'parameter_invalid_integer');
	}
	if (expiresAt > created + 24 * 3600) {
		throw invalid('expires_at', 'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'parameter_invalid_integer');
	}
	return expiresAt;
}

function checkCustomer(params: StripeObject): void {
	if (params.customer_email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(params.customer_email))) {
		throw invalid('customer_email', `Invalid email address: ${params.customer_email}`, 'email_invalid');
	}
	if (params.customer !== undefined && params.customer_email !== undefined) {
		throw invalid('customer_email', 'You may only specify one of these parameters: customer, customer_email.');
	}
	if (params.client_reference_id !== undefined && String(params.client_reference_id).length > 200) {
		throw invalid('client_reference_id', 'client_reference_id must be at most 200 characters.', 'parameter_invalid_string');
	}
}

export function createSession(ctx: SimContext, params: StripeObject, baseUrl: string): SessionRecord {
	const mode = params.mode;
	if (mode === undefined || mode === '') throw missingParam('mode');
	if (!['payment', 'subscription', 'setup'].includes(mode)) {
		throw invalid('mode', `Invalid mode: must be one of payment, setup, or subscription`, 'parameter_invalid_string');
	}
	const created = ctx.nowSec();
	const rawItems = params.line_items;
	if (rawItems !== undefined && !Array.isArray(rawItems)) throw invalid('line_items', 'Invalid array', 'parameter_invalid_array');
	const items: StripeObject[] = rawItems ?? [];
	const resolved = resolveLineItems(ctx, mode, items);
	if (mode !== 'subscription' && params.subscription_data !== undefined) {
		throw invalid('subscription_data', `You can not pass \`subscription_data\` in \`${mode}\` mode.`);
	}
	if (mode !== 'payment' && params.payment_intent_data !== undefined) {
		throw invalid('payment_intent_data', `You can not pass \`payment_intent_data\` in \`${mode}\` mode.`);
	}
	const metadata = parseMetadata(params.metadata, 'metadata');
	const piMetadata = params.payment_intent_data ? parseMetadata(params.payment_intent_data.metadata, 'payment_intent_data[metadata]') : {};
	const subMetadata = params.subscription_data ? parseMetadata(params.subscription_data.metadata, 'subscription_data[metadata]') : {};
	const expiresAt = expiresAtOf(params, created);
	checkCustomer(params);
	checkUrl(params.success_url, 'success_url');
	checkUrl(params.cancel_url, 'cancel_url');
	const allowPromo = params.allow_promotion_codes !== undefined ? parseBool(params.allow_promotion_codes, 'allow_promotion_codes') : null;
	const phoneEnabled = params.phone_number_collection?.enabled !== undefined ? parseBool(params.phone_number_collection.enabled, 'phone_number_collection[enabled]') : false;
	const recoveryEnabled =
		params.after_expiration?.recovery?.enabled !== undefined ? parseBool(params.after_expiration.recovery.enabled, 'after_expiration[recovery][enabled]') : null;

	const id = randomId('cs_test_', 58);
	const amount = resolved.reduce((sum, r) => sum + r.amount, 0);
	const currency = resolved[0]?.currency ?? (params.currency ? String(params.currency).toLowerCase() : null);
	const session: SessionRecord = {
		id,
		object: 'checkout.session',
		after_expiration: recoveryEnabled === null ? null : { recovery: { allow_promotion_codes: false, enabled: recoveryEnabled, expires_at: null, url: null } },
		allow_promotion_codes: allowPromo,
		amount_subtotal: mode === 'setup' ? null : amount,
		amount_total: mode === 'setup' ? null : amount,
		automatic_tax: { enabled: false, liability: null, provider: null, status: null },
		billing_address_collection: params.billing_address_collection ?? null,
		cancel_url: params.cancel_url ?? null,
		client_reference_id: params.client_reference_id ?? null,
		client_secret: null,
		created,
		currency,
		custom_fields: [],
		custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
		customer: params.customer ?? null,
		customer_creation: mode === 'payment' && !params.customer ? (params.customer_creation ?? 'if_required') : null,
		customer_details: null,
		customer_email: params.customer_email ?? null,
		expires_at: expiresAt,
		invoice: null,
		livemode: false,
		locale: params.locale ?? null,
		metadata,
		mode,
		payment_intent: null,
		payment_link: null,
		payment_method_collection: mode === 'subscription' ? 'always' : 'if_required',
		payment_method_types: Array.isArray(params.payment_method_types) ? params.payment_method_types : ['card'],
		payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
		phone_number_collection: { enabled: phoneEnabled },
		recovered_from: null,
		setup_intent: null,
		shipping_address_collection: null,
		shipping_cost: null,
		status: 'open',
		submit_type: params.submit_type ?? null,
		subscription: null,
		success_url: params.success_url ?? null,
		total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
		ui_mode: 'hosted',
		url: `${baseUrl}/pay/${id}`,
		// Stored as requested (not part of Stripe's public object; removed from API answers and events):
		line_items: clone(items),
		payment_intent_data: params.payment_intent_data !== undefined ? { ...clone(params.payment_intent_data), metadata: piMetadata } : null,
		subscription_data: params.subscription_data !== undefined ? { ...clone(params.subscription_data), metadata: subMetadata } : null,
	};
	ctx.sessions.set(id, session);
	ctx.resolvedItems.set(id, resolved);
	return session;
}

/** /v1/checkout/sessions…; undefined for other paths. */
export async function checkoutSessionRoute(
	ctx: SimContext,
	method: string,
	segs: string[],
	params: StripeObject,
	expand: string[],
	request: ApiRequestContext,
): Promise<ApiAnswer | undefined> {
	const [a, b, c, d] = segs;
	if (a !== 'checkout' || b !== 'sessions') return undefined;
	if (method === 'POST' && segs.length === 2) return { status: 200, body: publicSession(ctx, createSession(ctx, params, request.baseUrl), expand) };
	if (method === 'GET' && segs.length === 2) {
		let all = [...ctx.sessions.values()].reverse();
		for (const f of ['status', 'payment_intent', 'subscription', 'customer', 'client_reference_id']) {
			if (params[f] !== undefined) all = all.filter((s) => s[f] === params[f]);
		}
		const page = paginate(all, params, '/v1/checkout/sessions', (s) => s.id);
		const expandEach = expand.map((e) => e.replace(/^data\./, ''));
		return { status: 200, body: { ...page, data: page.data.map((s) => publicSession(ctx, s, expandEach)) } };
	}
	const s = c ? ctx.sessions.get(c) : undefined;
	if (!s) throw invalid('session', `No such checkout.session: '${c}'`, 'resource_missing', 404);
	if (method === 'GET' && segs.length === 3) return { status: 200, body: publicSession(ctx, s, expand) };
	if (method === 'GET' && d === 'line_items' && segs.length === 4) return { status: 200, body: lineItemsList(ctx, s.id) };
	if (method === 'POST' && d === 'expire' && segs.length === 4) {
		if (s.status !== 'open') {
			throw invalid('', `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`);
		}
		const result = await expire(ctx, s.id, {}, { requestId: request.requestId, idempotencyKey: request.idempotencyKey });
		return { status: 200, body: result.session };
	}
	return undefined;
}
