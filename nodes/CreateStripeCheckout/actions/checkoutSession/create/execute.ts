/** Create Checkout Session for one item: read the fields, resolve lookup keys, build, create, report. */
import type { IDataObject } from 'n8n-workflow';

import { fetchPricesByLookupKey, lookupKeysOf } from '../../../../shared/stripe/checkout/lineItems';
import { checkoutSessionOutput } from '../../../../shared/stripe/checkout/output';
import { buildCheckoutSession } from '../../../../shared/stripe/checkout/request';
import type { CheckoutInput } from '../../../../shared/stripe/checkout/types';
import type { StripeOperation } from '../../../../shared/stripe/apiErrors';
import type { StripeRun } from '../../stripeRun';
import { stripeApiError } from '../../stripeRun';

function readCheckoutInput(run: StripeRun, itemIndex: number): CheckoutInput {
	const parameter = <T>(name: string, fallback: T): T => run.ctx.getNodeParameter(name, itemIndex, fallback) as T;
	const options = parameter<IDataObject>('options', {});
	const source = parameter<string>('lineItemSource', 'lookupKey');
	const listOf = (name: string) => parameter<IDataObject[]>(`${name}.items`, []);
	return {
		mode: parameter<string>('mode', 'payment'),
		lineItemSource: source,
		...(source === 'lookupKey' && { lookupKeyItems: listOf('lookupKeyItems') }),
		...(source === 'price' && { priceItems: listOf('priceItems') }),
		...(source === 'inline' && { inlineItems: listOf('inlineItems') }),
		...(source === 'json' && { lineItemsJson: parameter<unknown>('lineItemsJson', '[]') }),
		successUrl: parameter<string>('successUrl', ''),
		cancelUrl: parameter<string>('cancelUrl', ''),
		customerEmail: options.customerEmail,
		clientReferenceId: options.clientReferenceId,
		metadata: ((options.metadata as IDataObject | undefined)?.entries as IDataObject[] | undefined) ?? [],
		expiresInMinutes: options.expiresInMinutes,
		allowPromotionCodes: options.allowPromotionCodes,
		collectPhoneNumber: options.collectPhoneNumber,
		locale: options.locale,
		paymentMethodTypes: options.paymentMethodTypes,
		idempotencyKey: options.idempotencyKey,
	};
}

export async function createCheckoutSession(run: StripeRun, itemIndex: number, json: IDataObject): Promise<IDataObject> {
	let operation: StripeOperation = 'listPrices';
	try {
		const input = readCheckoutInput(run, itemIndex);
		const missing = lookupKeysOf(input).filter((key) => !run.priceCache.has(key));
		if (missing.length > 0) {
			for (const [key, price] of await fetchPricesByLookupKey(run.stripe.prices, missing)) run.priceCache.set(key, price);
		}
		const built = buildCheckoutSession(input, json, {
			nowMs: Date.now(),
			pricesByLookupKey: run.priceCache,
			executionId: run.executionId,
			itemIndex,
		});
		operation = 'createCheckoutSession';
		const session = await run.stripe.checkout.sessions.create(
			built.params,
			built.idempotencyKey === undefined ? undefined : { idempotencyKey: built.idempotencyKey },
		);
		return checkoutSessionOutput(session, built) as IDataObject;
	} catch (error) {
		throw stripeApiError(run, error, { itemIndex, operation });
	}
}
