/**
 * The /v1 API: each path to the part that answers it, Stripe's "Unrecognized request URL" 404 for the rest.
 */
import { catalogRoute } from './catalog';
import { checkoutSessionRoute } from './checkoutSessions';
import { clone, type SimContext } from './context';
import { invalid, unrecognizedUrl } from './errors';
import { paginate, type ApiAnswer, type ApiRequestContext } from './pagination';
import { expandList } from './paramChecks';
import { portalRoute } from './portalSessions';
import { refundRoute } from './refunds';
import { cancelSubscription } from './subscriptions';
import type { StripeObject } from './types';

function accountOf(ctx: SimContext): StripeObject {
	return {
		id: ctx.accountId,
		object: 'account',
		business_profile: { name: ctx.accountName, url: null },
		business_type: 'company',
		capabilities: { card_payments: 'active', transfers: 'active' },
		charges_enabled: true,
		country: 'US',
		created: ctx.nowSec(),
		default_currency: 'usd',
		details_submitted: true,
		email: 'owner@example.com',
		payouts_enabled: true,
		settings: { dashboard: { display_name: ctx.accountName, timezone: 'Etc/UTC' } },
		type: 'standard',
	};
}

const BALANCE = {
	object: 'balance',
	available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
	livemode: false,
	pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
};

function eventsRoute(ctx: SimContext, method: string, segs: string[], params: StripeObject): ApiAnswer | undefined {
	const [a, b] = segs;
	if (a !== 'events' || method !== 'GET') return undefined;
	if (segs.length === 1) {
		let all = ctx.events.map((e) => e.event).reverse();
		if (params.type !== undefined) all = all.filter((e) => e.type === params.type);
		return { status: 200, body: paginate(all, params, '/v1/events', (e) => e.id) };
	}
	if (segs.length === 2) {
		const e = ctx.events.find((r) => r.id === b);
		if (!e) throw invalid('id', `No such event: '${b}'`, 'resource_missing', 404);
		return { status: 200, body: clone(e.event) };
	}
	return undefined;
}

async function subscriptionRoute(ctx: SimContext, method: string, segs: string[], request: ApiRequestContext): Promise<ApiAnswer | undefined> {
	const [a, b] = segs;
	if (a !== 'subscriptions' || segs.length !== 2) return undefined;
	const sub = ctx.subscriptions.get(b);
	if (!sub) throw invalid('id', `No such subscription: '${b}'`, 'resource_missing', 404);
	if (method === 'GET') return { status: 200, body: clone(sub) };
	if (method === 'DELETE') {
		if (sub.status === 'canceled') throw invalid('', `A canceled subscription can only update its cancellation_details and metadata.`);
		await cancelSubscription(ctx, b, {}, { requestId: request.requestId, idempotencyKey: request.idempotencyKey });
		return { status: 200, body: clone(sub) };
	}
	return undefined;
}

/** GET /v1/<kind>/:id for the objects only retrieved here: [store, the param Stripe names, the object's name]. */
function retrieveRoute(ctx: SimContext, method: string, segs: string[]): ApiAnswer | undefined {
	const [a, b] = segs;
	const kinds: Record<string, [Map<string, StripeObject>, string, string]> = {
		invoices: [ctx.invoices, 'invoice', 'invoice'],
		payment_intents: [ctx.paymentIntents, 'intent', 'payment_intent'],
		customers: [ctx.customers, 'id', 'customer'],
	};
	if (method !== 'GET' || segs.length !== 2 || !Object.hasOwn(kinds, a)) return undefined;
	const [store, param, name] = kinds[a];
	const found = store.get(b);
	if (!found) throw invalid(param, `No such ${name}: '${b}'`, 'resource_missing', 404);
	return { status: 200, body: clone(found) };
}

export async function route(ctx: SimContext, method: string, segs: string[], params: StripeObject, request: ApiRequestContext): Promise<ApiAnswer> {
	const expand = expandList(params);
	const [a] = segs;
	const answer =
		portalRoute(ctx, method, segs, params, request) ??
		(await refundRoute(ctx, method, segs, params, request)) ??
		(await checkoutSessionRoute(ctx, method, segs, params, expand, request)) ??
		catalogRoute(ctx, method, segs, params, expand) ??
		(a === 'balance' && method === 'GET' && segs.length === 1 ? { status: 200, body: clone(BALANCE) } : undefined) ??
		(a === 'account' && method === 'GET' && segs.length === 1 ? { status: 200, body: accountOf(ctx) } : undefined) ??
		eventsRoute(ctx, method, segs, params) ??
		(await subscriptionRoute(ctx, method, segs, request)) ??
		retrieveRoute(ctx, method, segs);
	if (answer) return answer;
	throw invalid('', unrecognizedUrl(method, `/v1/${segs.join('/')}`), undefined, 404);
}
