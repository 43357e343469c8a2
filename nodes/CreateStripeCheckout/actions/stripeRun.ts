/**
 * What every Stripe operation of the node shares during one run: the SDK client from the credential, the
 * key's mode (for error hints), n8n's execution id, and the lookup-key prices already fetched in this run.
 * Also where a Stripe API error becomes the NodeApiError an operator reads.
 */
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type Stripe from 'stripe';

import type { StripeOperation } from '../../shared/stripe/apiErrors';
import { describeStripeError, isStripeError } from '../../shared/stripe/apiErrors';
import type { ResolvedPrice } from '../../shared/stripe/checkout/types';
import type { StripeCredentialData, StripeKeyMode } from '../../shared/stripe/client';
import { StripeConfigurationError, createStripeClient, keyModeOf } from '../../shared/stripe/client';

export const STRIPE_CREDENTIAL_TYPE = 'chatCheckoutStripeApi';

export interface StripeRun {
	ctx: IExecuteFunctions;
	stripe: Stripe;
	keyMode: StripeKeyMode;
	executionId: string;
	/** Lookup keys repeat across items of one run; Stripe is asked once per key. */
	priceCache: Map<string, ResolvedPrice>;
}

/** The run's Stripe client; an unusable credential fails the whole run, before any item. */
export async function startStripeRun(ctx: IExecuteFunctions): Promise<StripeRun> {
	const credentials = await ctx.getCredentials<StripeCredentialData>(STRIPE_CREDENTIAL_TYPE);
	let stripe: Stripe;
	try {
		stripe = createStripeClient(credentials);
	} catch (error) {
		const description = error instanceof StripeConfigurationError ? error.description : undefined;
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { description });
	}
	return { ctx, stripe, keyMode: keyModeOf(credentials.secretKey), executionId: ctx.getExecutionId(), priceCache: new Map() };
}

/**
 * A Stripe API error as a NodeApiError naming the parameter and Stripe's request id; `subject` (e.g. the
 * session) leads the message when given. Anything else is returned as it is, for the item loop to wrap.
 */
export function stripeApiError(
	run: StripeRun,
	error: unknown,
	context: { itemIndex: number; operation: StripeOperation; subject?: string },
): unknown {
	if (!isStripeError(error)) return error;
	const described = describeStripeError(error, { operation: context.operation, keyMode: run.keyMode });
	return new NodeApiError(run.ctx.getNode(), described.facts as JsonObject, {
		message: context.subject ? `${context.subject}: ${described.message}` : described.message,
		description: described.description,
		httpCode: described.httpCode,
		itemIndex: context.itemIndex,
	});
}
