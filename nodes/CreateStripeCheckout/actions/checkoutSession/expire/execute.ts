/** Expire Checkout Session for one item: the session's link stops working; repeats and paid sessions are answers, not errors. */
import type { IDataObject } from 'n8n-workflow';

import { chatReferenceOf } from '../../../../shared/chatReference';
import { messageIdOf } from '../../../../shared/stripe/checkout/inboundMessage';
import { checkoutSessionIdOf, expireCheckoutSession } from '../../../../shared/stripe/expireSession';
import type { StripeRun } from '../../stripeRun';
import { stripeApiError } from '../../stripeRun';

export async function expireSession(run: StripeRun, itemIndex: number, json: IDataObject): Promise<IDataObject> {
	const sessionId = checkoutSessionIdOf(run.ctx.getNodeParameter('sessionId', itemIndex, ''));
	const outcome = await expireCheckoutSession(run.stripe.checkout.sessions, sessionId);
	if (!outcome.ok) {
		throw stripeApiError(run, outcome.error, {
			itemIndex,
			operation: 'expireCheckoutSession',
			subject: `Could not expire Checkout Session ${sessionId}`,
		});
	}
	return {
		...outcome.result,
		chatRef: (chatReferenceOf(json) ?? null) as IDataObject | null,
		messageId: messageIdOf(json) ?? null,
	};
}
