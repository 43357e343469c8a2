/**
 * Stripe's refusals of a portal session that only the operator can fix, said with the Dashboard setting to
 * change. Stripe gives the missing default configuration no error code (a 400 invalid_request_error whose
 * message asks to save the customer portal settings), so that one case is recognised by its wording; the
 * unknown customer and configuration by Stripe's `resource_missing` code and the parameter it names.
 * Anything else is left to the general explanation (apiErrors.ts).
 */
import { isStripeError } from '../apiErrors';
import type { StripeKeyMode } from '../client';

export interface PortalErrorContext {
	customerId: string;
	configurationId?: string;
	keyMode: StripeKeyMode;
}

export interface ExplainedPortalError {
	message: string;
	description: string;
}

const PORTAL_SETTINGS = 'Stripe Dashboard → Settings → Billing → Customer portal';

function modeWords(keyMode: StripeKeyMode): { mode: string; other: string } {
	if (keyMode === 'live') return { mode: 'live mode', other: 'test mode' };
	if (keyMode === 'test') return { mode: 'test mode', other: 'live mode' };
	return { mode: 'the mode of this key', other: 'the other mode' };
}

/** True for Stripe's "No configuration provided and your … default configuration has not been created". */
export function isMissingDefaultConfiguration(error: unknown): boolean {
	if (!isStripeError(error) || error.type !== 'StripeInvalidRequestError') return false;
	return /default configuration has not been created|save your customer portal settings/i.test(error.message ?? '');
}

/** The operator's explanation for a refusal, or undefined when it is not one of the portal's own cases. */
export function explainPortalError(error: unknown, context: PortalErrorContext): ExplainedPortalError | undefined {
	if (!isStripeError(error)) return undefined;
	const { mode, other } = modeWords(context.keyMode);
	const request = error.requestId ? ` (request ${error.requestId})` : '';
	if (isMissingDefaultConfiguration(error)) {
		return {
			message: `Stripe's Customer Portal is not set up in ${mode} yet${request}`,
			description: `Open ${PORTAL_SETTINGS} in ${mode} and click Save once (the defaults are fine): that creates the default portal configuration. Test mode and live mode are saved separately. Or set Options → Configuration ID to a configuration you made (bpc_…).`,
		};
	}
	if (error.code !== 'resource_missing') return undefined;
	if (error.param === 'customer' || /no such customer/i.test(error.message ?? '')) {
		return {
			message: `Stripe has no customer ${context.customerId}${request}`,
			description: `Check the customer in Stripe Dashboard → Customers. Customers made in ${other} are invisible to this ${mode} key. The template keeps each order's customer on its row, from the payment that created it.`,
		};
	}
	if (error.param === 'configuration') {
		return {
			message: `Stripe has no customer portal configuration ${context.configurationId ?? ''}${request}`.replace('  ', ' '),
			description: `Leave Options → Configuration ID empty for the default configuration, or copy an ID (bpc_…) made in ${mode} (${PORTAL_SETTINGS}, or the API).`,
		};
	}
	return undefined;
}
