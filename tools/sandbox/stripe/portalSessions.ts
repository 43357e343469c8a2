/**
 * Customer Portal sessions: `POST /v1/billing_portal/sessions` for a known customer, with Stripe's errors for an
 * unknown customer or configuration, and, after `setPortalConfigured(false)`, its "No configuration provided and
 * your test mode default configuration has not been created" 400. The session's `url` is the portal page on
 * this server (`/portal/:id`, see portalPage.ts).
 */
import { randomId } from '../http';
import { addPrice } from './catalog';
import { clone, type SimContext } from './context';
import { invalid, missingParam } from './errors';
import type { ApiAnswer, ApiRequestContext } from './pagination';
import { checkUrl } from './paramChecks';
import type { PriceSpec, StripeObject } from './types';

/** The id of the portal configuration Stripe makes when its settings are saved once. */
export const DEFAULT_PORTAL_CONFIGURATION = 'bpc_1SIMdefaultportal';

function createPortalSession(ctx: SimContext, params: StripeObject, baseUrl: string): StripeObject {
	if (params.customer === undefined || params.customer === '') throw missingParam('customer');
	const customer = ctx.customers.get(String(params.customer));
	if (!customer) throw invalid('customer', `No such customer: '${params.customer}'`, 'resource_missing');
	if (params.configuration !== undefined && params.configuration !== DEFAULT_PORTAL_CONFIGURATION) {
		throw invalid('configuration', `No such configuration: '${params.configuration}'`, 'resource_missing');
	}
	if (params.configuration === undefined && !ctx.portal.configured) {
		throw invalid(
			'',
			'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.',
		);
	}
	checkUrl(params.return_url, 'return_url');
	const id = randomId('bps_1SIM', 20);
	const session = {
		id,
		object: 'billing_portal.session',
		configuration: DEFAULT_PORTAL_CONFIGURATION,
		created: ctx.nowSec(),
		customer: customer.id,
		flow: null,
		livemode: false,
		locale: params.locale ?? null,
		on_behalf_of: null,
		return_url: params.return_url ?? null,
		url: `${baseUrl}/portal/${id}`,
	};
	ctx.portal.sessions.set(id, session);
	return session;
}

/** POST /v1/billing_portal/sessions; undefined for other paths. */
export function portalRoute(ctx: SimContext, method: string, segs: string[], params: StripeObject, request: ApiRequestContext): ApiAnswer | undefined {
	const [a, b] = segs;
	if (a === 'billing_portal' && b === 'sessions' && segs.length === 2 && method === 'POST') {
		return { status: 200, body: clone(createPortalSession(ctx, params, request.baseUrl)) };
	}
	return undefined;
}

/** Adds these recurring prices and offers them on the portal page. */
export function setPortalPlans(ctx: SimContext, specs: PriceSpec[]): StripeObject[] {
	ctx.portal.planIds = specs.map((spec) => {
		if (!spec.recurring) throw new Error(`setPortalPlans: ${spec.id} needs recurring { interval }`);
		return addPrice(ctx, spec).id;
	});
	return ctx.portal.planIds.map((id) => clone(ctx.prices.get(id) as StripeObject));
}
