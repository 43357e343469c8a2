/** Create Customer Portal Session for one item: check the fields, ask Stripe for the link, report it. */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { chatReferenceOf } from '../../../../shared/chatReference';
import { describeStripeError, isStripeError } from '../../../../shared/stripe/apiErrors';
import { messageIdOf } from '../../../../shared/stripe/checkout/inboundMessage';
import { explainPortalError } from '../../../../shared/stripe/portal/portalErrors';
import { buildPortalSession, portalSessionOutput } from '../../../../shared/stripe/portal/portalSession';
import type { StripeRun } from '../../stripeRun';
import { stripeApiError } from '../../stripeRun';

export async function createPortalSession(run: StripeRun, itemIndex: number, json: IDataObject): Promise<IDataObject> {
	const parameter = <T>(name: string, fallback: T): T => run.ctx.getNodeParameter(name, itemIndex, fallback) as T;
	const options = parameter<IDataObject>('options', {});
	const chatRef = chatReferenceOf(json);
	const messageId = messageIdOf(json);
	const built = buildPortalSession(
		{
			customerId: parameter<unknown>('customerId', ''),
			returnUrl: parameter<unknown>('returnUrl', ''),
			configurationId: options.configurationId,
			locale: options.locale,
		},
		{ messageId, chatRef, executionId: run.executionId, itemIndex, nowMs: Date.now() },
	);
	try {
		const session = await run.stripe.billingPortal.sessions.create(
			built.params,
			built.idempotencyKey === undefined ? undefined : { idempotencyKey: built.idempotencyKey },
		);
		return {
			...portalSessionOutput(session, built),
			chatRef: (chatRef ?? null) as IDataObject | null,
			messageId: messageId ?? null,
		};
	} catch (error) {
		const explained = explainPortalError(error, {
			customerId: String(built.params.customer),
			configurationId: built.params.configuration,
			keyMode: run.keyMode,
		});
		if (!explained || !isStripeError(error)) throw stripeApiError(run, error, { itemIndex, operation: 'createPortalSession' });
		const { facts, httpCode } = describeStripeError(error, { operation: 'createPortalSession', keyMode: run.keyMode });
		throw new NodeApiError(run.ctx.getNode(), facts as JsonObject, { ...explained, httpCode, itemIndex });
	}
}
