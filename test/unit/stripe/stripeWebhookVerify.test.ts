/**
 * Stripe Webhook Verify inside n8n-core's WebhookContext: signatures made by the SDK's
 * generateTestHeaderString over real event bodies, checked against the node's answers.
 */
import { Logger } from '@n8n/backend-common';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ChatCheckoutStripeApi } from '../../../credentials/ChatCheckoutStripeApi.credentials';
import { StripeWebhookVerify } from '../../../nodes/StripeWebhookVerify/StripeWebhookVerify.node';
import type { WebhookOutcome } from '../../support/n8n';
import { callWebhook } from '../../support/n8n';
import { testSecretKey, testSigningSecret } from '../../support/stripeTestSecrets';
import {
	CHAT_METADATA,
	CHAT_REF,
	CREATED,
	checkoutSession,
	invoice,
	rawBodyOf,
	refundedCharge,
	signatureHeader,
	stripeEvent,
	subscription,
} from './stripeEvents';

const NOW_MS = 1_800_000_500_000;
const NOW = NOW_MS / 1000;

let currentSecret: string;
let previousSecret: string;

beforeEach(() => {
	currentSecret = testSigningSecret();
	previousSecret = testSigningSecret();
	jest.spyOn(Date, 'now').mockReturnValue(NOW_MS);
});

afterEach(() => jest.restoreAllMocks());

interface Delivery {
	rawBody?: string;
	header?: string;
	parameters?: INodeParameters;
	secrets?: { current?: string; previous?: string };
}

async function deliver({ rawBody, header, parameters = {}, secrets }: Delivery): Promise<WebhookOutcome> {
	const chosen = secrets ?? { current: currentSecret };
	return await callWebhook(
		{
			nodeType: new StripeWebhookVerify(),
			parameters: { acknowledge: 'onReceived', ...parameters },
			credentials: {
				chatCheckoutStripeApi: {
					secretKey: testSecretKey(),
					webhookSigningSecret: chosen.current ?? '',
					previousWebhookSigningSecret: chosen.previous ?? '',
					baseUrl: 'https://api.stripe.com',
				},
			},
			credentialTypes: [new ChatCheckoutStripeApi()],
		},
		{ method: 'POST', rawBody, headers: header === undefined ? {} : { 'Stripe-Signature': header } },
	);
}

function completedEvent() {
	return stripeEvent('checkout.session.completed', checkoutSession());
}

function expectRefused(outcome: WebhookOutcome, reason: string, status = 400) {
	expect(outcome.result).toEqual({ noWebhookResponse: true });
	expect(outcome.items).toEqual([]);
	expect(outcome.response.statusCode).toBe(status);
	expect(outcome.response.body).toEqual({ error: reason });
	const reply = JSON.stringify(outcome.response.body);
	expect(reply).not.toContain(currentSecret);
	expect(reply).not.toContain(previousSecret);
	expect(reply).not.toContain('v1=');
}

describe('Stripe Webhook Verify: signatures', () => {
	it('starts the workflow with the normalised event when the signature is valid, leaving the answer to n8n', async () => {
		const raw = rawBodyOf(completedEvent());
		const outcome = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW) });

		expect(outcome.response.ended).toBe(false);
		expect(outcome.items).toHaveLength(1);
		expect(outcome.items[0].json).toMatchObject({ type: 'checkout.session.completed', chatRef: CHAT_REF, paid: true });
	});

	it('accepts a header with two v1 signatures while the secret is rolled (old and new)', async () => {
		const raw = rawBodyOf(completedEvent());
		const withOld = signatureHeader(raw, previousSecret, NOW);
		const withNew = signatureHeader(raw, currentSecret, NOW);
		const both = `${withOld},${withNew.split(',').find((part) => part.startsWith('v1='))}`;
		expect(both.match(/v1=/g)).toHaveLength(2);

		const onlyNewConfigured = await deliver({ rawBody: raw, header: both });
		expect(onlyNewConfigured.items).toHaveLength(1);
		const onlyOldConfigured = await deliver({ rawBody: raw, header: both, secrets: { current: previousSecret } });
		expect(onlyOldConfigured.items).toHaveLength(1);
	});

	it('accepts an event signed only with the old secret when it is configured as the previous one', async () => {
		const raw = rawBodyOf(completedEvent());
		const oldOnly = signatureHeader(raw, previousSecret, NOW);

		const rolled = await deliver({ rawBody: raw, header: oldOnly, secrets: { current: currentSecret, previous: previousSecret } });
		expect(rolled.items).toHaveLength(1);
		const notConfigured = await deliver({ rawBody: raw, header: oldOnly });
		expectRefused(notConfigured, 'no matching signature');
	});

	it('accepts a 299 s old signature and refuses a 301 s old one with the default tolerance of 300 s', async () => {
		const raw = rawBodyOf(completedEvent());
		const fresh = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW - 299) });
		expect(fresh.items).toHaveLength(1);
		const edge = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW - 300) });
		expect(edge.items).toHaveLength(1);
		const stale = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW - 301) });
		expectRefused(stale, 'timestamp outside tolerance');
	});

	it('honours a wider tolerance option', async () => {
		const raw = rawBodyOf(completedEvent());
		const outcome = await deliver({
			rawBody: raw,
			header: signatureHeader(raw, currentSecret, NOW - 301),
			parameters: { options: { toleranceSeconds: 600 } },
		});
		expect(outcome.items).toHaveLength(1);
	});

	it('refuses a tampered body', async () => {
		const raw = rawBodyOf(completedEvent());
		const header = signatureHeader(raw, currentSecret, NOW);
		const tampered = raw.replace('"amount_total": 3998', '"amount_total": 1');
		expect(tampered).not.toBe(raw);
		expectRefused(await deliver({ rawBody: tampered, header }), 'no matching signature');
	});

	it('refuses a signature made with another secret', async () => {
		const raw = rawBodyOf(completedEvent());
		expectRefused(await deliver({ rawBody: raw, header: signatureHeader(raw, testSigningSecret(), NOW) }), 'no matching signature');
	});

	it('refuses a missing or unreadable Stripe-Signature header', async () => {
		const raw = rawBodyOf(completedEvent());
		expectRefused(await deliver({ rawBody: raw }), 'missing Stripe-Signature header');
		expectRefused(await deliver({ rawBody: raw, header: 'sha256=abc' }), 'unparseable Stripe-Signature header');
	});

	it('refuses a body re-serialised by a JSON parser, even with the original signature', async () => {
		const raw = rawBodyOf(completedEvent());
		const header = signatureHeader(raw, currentSecret, NOW);
		const reserialised = JSON.stringify(JSON.parse(raw));
		expect(reserialised).not.toBe(raw);
		expectRefused(await deliver({ rawBody: reserialised, header }), 'no matching signature');
	});

	it('refuses when n8n has no raw body, instead of verifying the parsed one', async () => {
		const raw = rawBodyOf(completedEvent());
		expectRefused(await deliver({ header: signatureHeader(raw, currentSecret, NOW) }), 'raw body unavailable');
	});

	it('refuses signed bytes that are not a Stripe event', async () => {
		const notJson = 'hello';
		expectRefused(await deliver({ rawBody: notJson, header: signatureHeader(notJson, currentSecret, NOW) }), 'unparseable body');
		const notEvent = JSON.stringify({ hello: 'world' });
		expectRefused(await deliver({ rawBody: notEvent, header: signatureHeader(notEvent, currentSecret, NOW) }), 'not a Stripe event');
	});

	it('verifies with a secret pasted with spaces or a line break around it, and warns once in n8n\'s log without the secret', async () => {
		const warn = jest.spyOn(Logger.prototype, 'warn');
		const raw = rawBodyOf(completedEvent());
		const header = signatureHeader(raw, currentSecret, NOW);
		const secretWarnings = () => warn.mock.calls.filter(([message]) => String(message).includes('Signing Secret'));

		expect((await deliver({ rawBody: raw, header })).items).toHaveLength(1);
		expect(secretWarnings()).toHaveLength(0);

		for (let delivery = 0; delivery < 2; delivery++) {
			const outcome = await deliver({ rawBody: raw, header, secrets: { current: `${currentSecret} \n`, previous: `\t${previousSecret}` } });
			expect(outcome.items).toHaveLength(1);
		}
		expect(secretWarnings().map(([message]) => String(message))).toEqual([
			expect.stringMatching(/the Webhook Signing Secret in the Stripe Checkout API credential has spaces or line breaks around it/),
			expect.stringMatching(/the Previous Webhook Signing Secret in the Stripe Checkout API credential has spaces or line breaks/),
		]);
		const logged = JSON.stringify(warn.mock.calls);
		expect(logged).not.toContain(currentSecret);
		expect(logged).not.toContain(previousSecret);
	});

	it('answers 500 while no signing secret is configured, so Stripe keeps retrying', async () => {
		const raw = rawBodyOf(completedEvent());
		const outcome = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW), secrets: {} });
		expectRefused(outcome, 'no signing secret configured', 500);
	});
});

describe('Stripe Webhook Verify: event filter', () => {
	it('answers 200 to a verified event that is not selected, without starting the workflow', async () => {
		const raw = rawBodyOf(stripeEvent('customer.created', { id: 'cus_Test123', object: 'customer', metadata: {} }));
		const outcome = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW) });

		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(outcome.items).toEqual([]);
		expect(outcome.response.statusCode).toBe(200);
		expect(outcome.response.body).toEqual({ received: true, ignored: 'customer.created' });
	});

	it('passes every event with All Events selected', async () => {
		const raw = rawBodyOf(stripeEvent('customer.created', { id: 'cus_Test123', object: 'customer', metadata: {} }));
		const outcome = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW), parameters: { events: ['*'] } });
		expect(outcome.items).toHaveLength(1);
		expect(outcome.items[0].json).toMatchObject({ type: 'customer.created', objectType: 'customer', customerId: 'cus_Test123' });
	});

	it('defaults to the chat-checkout events and wires the acknowledge option into responseMode', () => {
		const { description } = new StripeWebhookVerify();
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.default).toEqual([
			'checkout.session.completed',
			'checkout.session.async_payment_succeeded',
			'checkout.session.async_payment_failed',
			'checkout.session.expired',
			'invoice.paid',
			'invoice.payment_failed',
			'customer.subscription.created',
			'customer.subscription.updated',
			'customer.subscription.deleted',
			'charge.refunded',
		]);
		const acknowledge = description.properties.find((property) => property.name === 'acknowledge');
		expect(acknowledge?.options?.map((option) => (option as { value: string }).value)).toEqual(['onReceived', 'lastNode']);
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'stripe', responseMode: '={{$parameter["acknowledge"]}}' }),
		]);
	});

	it('registers nothing with Stripe: the lifecycle methods only report success', async () => {
		const { webhookMethods } = new StripeWebhookVerify();
		const noContext = {} as never;
		await expect(webhookMethods.default.checkExists.call(noContext)).resolves.toBe(true);
		await expect(webhookMethods.default.create.call(noContext)).resolves.toBe(true);
		await expect(webhookMethods.default.delete.call(noContext)).resolves.toBe(true);
	});
});

describe('Stripe Webhook Verify: normalised events', () => {
	async function normalised(event: ReturnType<typeof stripeEvent>, parameters: INodeParameters = {}): Promise<IDataObject> {
		const raw = rawBodyOf(event);
		const outcome = await deliver({ rawBody: raw, header: signatureHeader(raw, currentSecret, NOW), parameters });
		expect(outcome.items).toHaveLength(1);
		return outcome.items[0].json;
	}

	it('checkout.session.completed (paid): the order, the customer and the chat reference', async () => {
		const event = completedEvent();
		expect(await normalised(event)).toEqual({
			eventId: event.id,
			type: 'checkout.session.completed',
			created: new Date(CREATED * 1000).toISOString(),
			livemode: false,
			objectId: 'cs_test_b1Paid',
			objectType: 'checkout.session',
			sessionId: 'cs_test_b1Paid',
			status: 'complete',
			paymentStatus: 'paid',
			amountTotal: 3998,
			currency: 'eur',
			amountRefunded: null,
			customerId: 'cus_Test123',
			customerEmail: 'ana@example.com',
			subscriptionId: null,
			paymentIntentId: 'pi_3Test456',
			invoiceId: null,
			clientReferenceId: 'cart-42',
			metadata: { ...CHAT_METADATA, campaign: 'summer' },
			chatRef: CHAT_REF,
			messageId: CHAT_METADATA.chat_message_id,
			paid: true,
			orderStatus: 'paid',
			noticeKey: 'paid',
			periodEnd: null,
			periodEndDate: null,
			amountTotalDecimal: '39.98',
			amountRefundedDecimal: null,
			refundAmount: null,
			refundAmountDecimal: null,
			fullyRefunded: null,
			cancelAtPeriodEnd: null,
			cancelAt: null,
			subscriptionChange: null,
			plan: null,
			previousPlan: null,
			raw: event,
		});
	});

	it('checkout.session.completed with a delayed method (unpaid) is not paid yet', async () => {
		const json = await normalised(stripeEvent('checkout.session.completed', checkoutSession({ payment_status: 'unpaid' })));
		expect(json.paid).toBe(false);
		expect(json.orderStatus).toBeNull(); // nothing changes for the order until the money is in
		const succeeded = await normalised(stripeEvent('checkout.session.async_payment_succeeded', checkoutSession()));
		expect(succeeded.paid).toBe(true);
		expect(succeeded.orderStatus).toBe('paid');
	});

	it('checkout.session.async_payment_failed keeps the chat reference and is not paid', async () => {
		const json = await normalised(
			stripeEvent('checkout.session.async_payment_failed', checkoutSession({ payment_status: 'unpaid' })),
		);
		expect(json).toMatchObject({ type: 'checkout.session.async_payment_failed', paid: false, chatRef: CHAT_REF, paymentStatus: 'unpaid', orderStatus: 'failed' });
	});

	it('checkout.session.expired: status expired, not paid, chat reference kept', async () => {
		const json = await normalised(
			stripeEvent('checkout.session.expired', checkoutSession({ status: 'expired', payment_status: 'unpaid', customer_details: null, payment_intent: null })),
		);
		expect(json).toMatchObject({ status: 'expired', paid: false, chatRef: CHAT_REF, customerEmail: null, paymentIntentId: null, orderStatus: 'expired' });
	});

	it('invoice.paid: chat reference from the subscription details, paid, period end from the line', async () => {
		const json = await normalised(stripeEvent('invoice.paid', invoice()));
		expect(json).toMatchObject({
			objectType: 'invoice',
			invoiceId: 'in_1Test789',
			subscriptionId: 'sub_1Test',
			amountTotal: 1999,
			currency: 'usd',
			customerEmail: 'ana@example.com',
			chatRef: CHAT_REF,
			messageId: CHAT_METADATA.chat_message_id,
			paid: true,
			orderStatus: 'active',
			periodEnd: new Date((CREATED + 30 * 86400) * 1000).toISOString(),
			periodEndDate: new Date((CREATED + 30 * 86400) * 1000).toISOString().slice(0, 10),
		});
	});

	it('customer.subscription.deleted: not paid, period end from the items, chat reference from its metadata', async () => {
		const json = await normalised(stripeEvent('customer.subscription.deleted', subscription()));
		expect(json).toMatchObject({
			subscriptionId: 'sub_1Test',
			status: 'canceled',
			paid: false,
			orderStatus: 'cancelled',
			chatRef: CHAT_REF,
			invoiceId: 'in_1Test789',
			periodEnd: new Date(CREATED * 1000).toISOString(),
		});
	});

	it('charge.refunded: amounts and chat reference, and no card details anywhere, raw included', async () => {
		const event = stripeEvent('charge.refunded', refundedCharge());
		const json = await normalised(event);
		expect(json).toMatchObject({
			objectId: 'ch_3Test456',
			amountTotal: 3998,
			amountRefunded: 3998,
			paymentIntentId: 'pi_3Test456',
			customerEmail: 'ana@example.com',
			chatRef: CHAT_REF,
			paid: false,
			orderStatus: 'refunded',
			amountRefundedDecimal: '39.98',
			fullyRefunded: true,
		});
		const { raw, ...fields } = json;
		expect((raw as { id: string }).id).toBe(event.id);
		expect((raw as { data: { object: { payment_method: string } } }).data.object.payment_method).toBe('pm_1Test');
		expect(JSON.stringify(raw)).not.toMatch(/4242|Xt5EWLLDS7FJjR1c|visa|payment_method_details|exp_year/);
		const text = JSON.stringify(fields);
		for (const cardDetail of ['4242', 'Xt5EWLLDS7FJjR1c', 'visa', 'payment_method_details', 'exp_year', 'Rua A 1']) {
			expect(text).not.toContain(cardDetail);
		}

		const withoutRaw = await normalised(event, { options: { includeRawEvent: false } });
		expect(withoutRaw).not.toHaveProperty('raw');
		expect(JSON.stringify(withoutRaw)).not.toContain('4242');
	});
});
