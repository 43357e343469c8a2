/**
 * The after-sale events through Stripe Webhook Verify inside n8n-core's WebhookContext, signed with the SDK's
 * generateTestHeaderString: refunds (full and partial, exact amounts in each currency's minor-unit rules) and
 * subscription updates (what the subscriber changed, the plan), each with the chat reference rebuilt.
 */
import type { IDataObject } from 'n8n-workflow';

import { ChatCheckoutStripeApi } from '../../../credentials/ChatCheckoutStripeApi.credentials';
import { StripeWebhookVerify } from '../../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import { callWebhook } from '../../support/n8n';
import { testSecretKey, testSigningSecret } from '../../support/stripeTestSecrets';
import { CHAT_METADATA, CHAT_REF, CREATED, rawBodyOf, refundedCharge, signatureHeader, stripeEvent, subscription } from './stripeEvents';

let secret: string;
beforeEach(() => {
	secret = testSigningSecret();
});

/** Delivers an event as Stripe would (its bytes, a fresh signature) and returns the one item the run starts with. */
async function normalised(event: ReturnType<typeof stripeEvent>): Promise<IDataObject> {
	const raw = rawBodyOf(event);
	const outcome = await callWebhook(
		{
			nodeType: new StripeWebhookVerify(),
			parameters: { acknowledge: 'lastNode' },
			credentials: { chatCheckoutStripeApi: { secretKey: testSecretKey(), webhookSigningSecret: secret, baseUrl: 'https://api.stripe.com' } },
			credentialTypes: [new ChatCheckoutStripeApi()],
		},
		{ method: 'POST', rawBody: raw, headers: { 'Stripe-Signature': signatureHeader(raw, secret) } },
	);
	expect(outcome.items).toHaveLength(1);
	return outcome.items[0].json;
}

/** charge.refunded as Stripe sends it: the charge after the refund, and what amount_refunded was before. */
function refundEvent(charge: Record<string, unknown>, refundedBefore: number | undefined) {
	return stripeEvent('charge.refunded', refundedCharge(charge), refundedBefore === undefined ? {} : { data: { object: refundedCharge(charge), previous_attributes: { amount_refunded: refundedBefore, refunded: false } } });
}

describe('charge.refunded', () => {
	it('a full refund: refunded, with the amount refunded as exact text in the order\'s currency', async () => {
		const json = await normalised(refundEvent({}, 0));
		expect(json).toMatchObject({
			type: 'charge.refunded',
			orderStatus: 'refunded',
			fullyRefunded: true,
			amountTotal: 3998,
			amountTotalDecimal: '39.98',
			amountRefunded: 3998,
			amountRefundedDecimal: '39.98',
			refundAmount: 3998,
			refundAmountDecimal: '39.98',
			currency: 'eur',
			paymentIntentId: 'pi_3Test456',
			chatRef: CHAT_REF,
			messageId: CHAT_METADATA.chat_message_id,
		});
	});

	it('a second partial refund: partially_refunded; this refund and all refunds so far, each exact', async () => {
		const json = await normalised(refundEvent({ amount: 3998, amount_refunded: 1500, refunded: false }, 500));
		expect(json).toMatchObject({
			orderStatus: 'partially_refunded',
			fullyRefunded: false,
			amountRefunded: 1500,
			amountRefundedDecimal: '15.00',
			refundAmount: 1000,
			refundAmountDecimal: '10.00',
			amountTotalDecimal: '39.98',
		});
	});

	it('follows each currency\'s minor units: JPY has none, KWD three', async () => {
		const yen = await normalised(refundEvent({ currency: 'jpy', amount: 12000, amount_refunded: 2500, refunded: false }, 0));
		expect(yen).toMatchObject({ orderStatus: 'partially_refunded', amountRefundedDecimal: '2500', refundAmountDecimal: '2500', amountTotalDecimal: '12000' });
		const dinar = await normalised(refundEvent({ currency: 'kwd', amount: 12340, amount_refunded: 12340 }, 10000));
		expect(dinar).toMatchObject({ orderStatus: 'refunded', amountRefundedDecimal: '12.340', refundAmount: 2340, refundAmountDecimal: '2.340', amountTotalDecimal: '12.340' });
	});

	it('without previous_attributes this refund\'s amount is not known (null), the totals still are', async () => {
		const json = await normalised(refundEvent({ amount_refunded: 1000, refunded: false }, undefined));
		expect(json).toMatchObject({ orderStatus: 'partially_refunded', refundAmount: null, refundAmountDecimal: null, amountRefundedDecimal: '10.00' });
	});

	it('rebuilds the chat from an expanded payment intent when the charge has no chat metadata of its own', async () => {
		const json = await normalised(refundEvent({ metadata: {}, payment_intent: { id: 'pi_3Expanded', object: 'payment_intent', metadata: { ...CHAT_METADATA } } }, 0));
		expect(json).toMatchObject({ chatRef: CHAT_REF, messageId: CHAT_METADATA.chat_message_id, paymentIntentId: 'pi_3Expanded' });
	});

	it('a refunded subscription payment carries no chat metadata (Stripe copies none to invoice charges): chatRef null, the IDs to find the row', async () => {
		const json = await normalised(refundEvent({ metadata: {}, invoice: 'in_1Renewal', payment_intent: 'pi_3Renewal' }, 0));
		expect(json).toMatchObject({ chatRef: null, messageId: null, paymentIntentId: 'pi_3Renewal', invoiceId: 'in_1Renewal', orderStatus: 'refunded' });
	});
});

/** A subscription item's price as Stripe sends it in subscription events (product as an ID). */
function price(id: string, unitAmount: number, interval: string, extra: Record<string, unknown> = {}) {
	return { id, object: 'price', currency: 'usd', lookup_key: null, nickname: null, product: `prod_${id}`, recurring: { interval, interval_count: 1 }, unit_amount: unitAmount, ...extra };
}

function activeSubscription(overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) {
	return subscription({
		status: 'active',
		canceled_at: null,
		ended_at: null,
		cancel_at: null,
		items: {
			object: 'list',
			data: [{ id: 'si_1Test', object: 'subscription_item', current_period_start: CREATED, current_period_end: CREATED + 30 * 86400, price: price('price_1Pro', 2900, 'month', { nickname: 'Pro plan (monthly)' }), quantity: 1, ...item }],
		},
		...overrides,
	});
}

function updated(object: Record<string, unknown>, previous: Record<string, unknown>) {
	return stripeEvent('customer.subscription.updated', object, { data: { object, previous_attributes: previous } });
}

describe('customer.subscription.updated', () => {
	it('a cancellation at period end: subscription_updated, with the plan, the end date and the chat', async () => {
		const json = await normalised(updated(activeSubscription({ cancel_at_period_end: true, cancel_at: CREATED + 30 * 86400 }), { cancel_at_period_end: false, cancel_at: null }));
		expect(json).toMatchObject({
			orderStatus: 'subscription_updated',
			subscriptionChange: 'cancellation_scheduled',
			cancelAtPeriodEnd: true,
			cancelAt: new Date((CREATED + 30 * 86400) * 1000).toISOString(),
			status: 'active',
			subscriptionId: 'sub_1Test',
			periodEndDate: new Date((CREATED + 30 * 86400) * 1000).toISOString().slice(0, 10),
			plan: { priceId: 'price_1Pro', name: 'Pro plan (monthly)', unitAmount: 2900, unitAmountDecimal: '29.00', currency: 'usd', interval: 'month', intervalCount: 1, quantity: 1, productId: 'prod_price_1Pro', lookupKey: null },
			previousPlan: null,
			chatRef: CHAT_REF,
			messageId: CHAT_METADATA.chat_message_id,
			paid: false,
		});
	});

	it('a cancellation withdrawn ("don\'t cancel") is a change too', async () => {
		const json = await normalised(updated(activeSubscription({ cancel_at_period_end: false }), { cancel_at_period_end: true, cancel_at: CREATED + 30 * 86400 }));
		expect(json).toMatchObject({ orderStatus: 'subscription_updated', subscriptionChange: 'cancellation_withdrawn', cancelAtPeriodEnd: false, cancelAt: null });
	});

	it('a new plan: the plan now and the one before, by name where the event has it (a nickname, an expanded product)', async () => {
		const yearly = price('price_1ProYear', 29000, 'year', { product: { id: 'prod_ProYear', object: 'product', name: 'Pro plan (yearly)' } });
		const json = await normalised(
			updated(activeSubscription({}, { price: yearly }), {
				items: { object: 'list', data: [{ id: 'si_1Test', object: 'subscription_item', price: price('price_1Pro', 2900, 'month', { nickname: 'Pro plan (monthly)' }), quantity: 1 }] },
			}),
		);
		expect(json).toMatchObject({
			orderStatus: 'subscription_updated',
			subscriptionChange: 'plan_changed',
			plan: { priceId: 'price_1ProYear', productId: 'prod_ProYear', name: 'Pro plan (yearly)', unitAmountDecimal: '290.00', interval: 'year' },
			previousPlan: { priceId: 'price_1Pro', name: 'Pro plan (monthly)', unitAmountDecimal: '29.00', interval: 'month' },
		});
	});

	it('more seats on the same price is a plan change', async () => {
		const json = await normalised(updated(activeSubscription({}, { quantity: 3 }), { items: { object: 'list', data: [{ id: 'si_1Test', object: 'subscription_item', price: price('price_1Pro', 2900, 'month'), quantity: 1 }] } }));
		expect(json).toMatchObject({ subscriptionChange: 'plan_changed', plan: { quantity: 3 }, previousPlan: { quantity: 1 } });
	});

	it('a renewal (only the period moved) or a status change changes nothing for the order: no message owed', async () => {
		const renewal = await normalised(
			updated(activeSubscription(), { items: { object: 'list', data: [{ id: 'si_1Test', current_period_end: CREATED, current_period_start: CREATED - 30 * 86400 }] }, latest_invoice: 'in_1Old' }),
		);
		expect(renewal).toMatchObject({ orderStatus: null, subscriptionChange: null, plan: { priceId: 'price_1Pro' } });
		const activated = await normalised(updated(activeSubscription(), { status: 'incomplete' }));
		expect(activated).toMatchObject({ orderStatus: null, subscriptionChange: null, status: 'active' });
	});

	it('customer.subscription.deleted stays cancelled', async () => {
		const json = await normalised(stripeEvent('customer.subscription.deleted', subscription()));
		expect(json).toMatchObject({ orderStatus: 'cancelled', subscriptionChange: null, cancelAtPeriodEnd: false, plan: { priceId: 'price_1Club', unitAmountDecimal: '19.99' } });
	});
});
