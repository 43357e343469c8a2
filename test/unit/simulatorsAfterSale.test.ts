/**
 * The after-sale parts of the loopback simulators, checked against the real parts they stand in front of:
 * the Stripe simulator's Billing Portal and refunds through the real Stripe SDK, its events verified by the
 * SDK's signature check and read by the pack's own normaliser (so a template test built on them tests what
 * Stripe would send), and the Meta webhook bodies through the pack's real triggers.
 */
import Stripe from 'stripe';

import { ChatCheckoutInstagramApi } from '../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutStripeApi } from '../../credentials/ChatCheckoutStripeApi.credentials';
import { CreateStripeCheckout } from '../../nodes/CreateStripeCheckout/CreateStripeCheckout.node';
import { ChatCheckoutWhatsAppApi } from '../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { InstagramTrigger } from '../../nodes/InstagramTrigger/InstagramTrigger.node';
import { WhatsAppTrigger } from '../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { normaliseStripeEvent } from '../../nodes/shared/stripe/events';
import { explainPortalError } from '../../nodes/shared/stripe/portal/portalErrors';
import { PORTAL_KEY_WINDOW_MS } from '../../nodes/shared/stripe/portal/portalSession';
import { useIsolatedUserFolder } from '../support/dedupeDir';
import {
	APP_SECRET,
	IG_ACCOUNT_ID,
	PHONE_NUMBER_ID,
	VERIFY_TOKEN,
	dashboardTestBody,
	instagramEditBody,
	metaSignature,
	whatsAppCartBody,
} from '../../tools/sandbox/metaWebhooks';
import { callWebhook, executeNode } from '../support/n8n';
import type { NodeSetup } from '../support/n8n';
import { useStripeSimWithReceiver } from '../support/stripeSimFixture';
import type { ReceivedRequest } from '../support/webhookReceiver';


/* eslint-disable @typescript-eslint/no-explicit-any */
const SECRET = 'whsec_aftersale_unit';
const CHAT_METADATA = { chat_channel: 'whatsapp', chat_account_id: PHONE_NUMBER_ID, chat_user_id: '4915112345678', chat_message_id: 'wamid.ORDER1' };
const CHAT_REF = { channel: 'whatsapp', accountId: PHONE_NUMBER_ID, userId: '4915112345678' };

describe('stripe-sim: Customer Portal and refunds', () => {
	const fixture = useStripeSimWithReceiver({ secretKeys: ['sk_test_aftersale'], webhookSecret: SECRET, accountName: 'Grand Hotel' });
	let sim: any;
	let received: ReceivedRequest[];
	let stripe: Stripe;
	beforeEach(() => {
		({ sim, received } = fixture);
		stripe = sim.stripeClient();
	});

	/** The events delivered since `from`, each verified as Stripe-signed and read as the pack reads it. */
	function deliveredSince(from: number) {
		return received.slice(from).map(({ body, headers }) => normaliseStripeEvent(Stripe.webhooks.constructEvent(body, String(headers['stripe-signature']), SECRET), { includeRaw: false }));
	}

	async function subscribe() {
		const session = await stripe.checkout.sessions.create({
			mode: 'subscription',
			line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 2900, product_data: { name: 'Pro plan (monthly)' }, recurring: { interval: 'month' } } }],
			success_url: 'https://shop.test/thanks',
			subscription_data: { metadata: CHAT_METADATA },
		});
		await sim.pay(session.id);
		const subscription = sim.subscriptions.get(sim.getSession(session.id).subscription);
		return { subscriptionId: subscription.id as string, customerId: subscription.customer as string };
	}

	async function portalAction(url: string, action: string) {
		const response = await fetch(`${url}/${action}`, { method: 'POST', headers: { accept: 'application/json' } });
		return { status: response.status, body: (await response.json()) as any };
	}

	it('a portal session for a subscriber, and a page that cancels, keeps, switches plan and updates the card with the events Stripe sends', async () => {
		const { subscriptionId, customerId } = await subscribe();
		sim.setPortalPlans([{ id: 'price_ProYearly', product_name: 'Pro plan (yearly)', nickname: 'Pro plan (yearly)', unit_amount: 29000, currency: 'usd', recurring: { interval: 'year' } }]);
		const portal = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: 'http://127.0.0.1:9/account' });
		expect(portal).toMatchObject({ object: 'billing_portal.session', customer: customerId, return_url: 'http://127.0.0.1:9/account', url: `${sim.url}/portal/${portal.id}` });

		const page = await (await fetch(portal.url)).text();
		expect(page).toContain('Pro plan (monthly) × 1 · 29.00 USD / month');
		expect(page).toContain('Cancel at period end');
		expect(page).toContain('Switch to Pro plan (yearly)');

		let seen = received.length;
		expect((await portalAction(portal.url, `cancel/${subscriptionId}`)).status).toBe(200);
		const [scheduled] = deliveredSince(seen);
		expect(scheduled).toMatchObject({ type: 'customer.subscription.updated', orderStatus: 'subscription_updated', subscriptionChange: 'cancellation_scheduled', cancelAtPeriodEnd: true, chatRef: CHAT_REF, messageId: 'wamid.ORDER1' });
		expect(await (await fetch(portal.url)).text()).toContain(`id="keep-${subscriptionId}">Don&#39;t cancel`);

		seen = received.length;
		await portalAction(portal.url, `keep/${subscriptionId}`);
		expect(deliveredSince(seen)).toMatchObject([{ subscriptionChange: 'cancellation_withdrawn', cancelAtPeriodEnd: false }]);

		seen = received.length;
		await portalAction(portal.url, `switch/${subscriptionId}/price_ProYearly`);
		expect(deliveredSince(seen)).toMatchObject([
			{
				orderStatus: 'subscription_updated',
				subscriptionChange: 'plan_changed',
				plan: { priceId: 'price_ProYearly', name: 'Pro plan (yearly)', unitAmountDecimal: '290.00', interval: 'year' },
				previousPlan: { unitAmountDecimal: '29.00', interval: 'month' },
				chatRef: CHAT_REF,
			},
		]);

		seen = received.length;
		await portalAction(portal.url, 'update-card');
		const card = deliveredSince(seen);
		expect(card.map((e) => [e.type, e.orderStatus])).toEqual([
			['payment_method.attached', null],
			['customer.updated', null],
		]);
		expect(JSON.stringify(received.slice(seen))).not.toMatch(/last4|exp_month|fingerprint/);

		seen = received.length;
		await portalAction(portal.url, `cancel-now/${subscriptionId}`);
		expect(deliveredSince(seen)).toMatchObject([{ type: 'customer.subscription.deleted', orderStatus: 'cancelled', chatRef: CHAT_REF }]);
		expect(await (await fetch(portal.url)).text()).toContain('No active subscription.');
	});

	it('the portal page acts on its own customer\'s subscriptions only', async () => {
		const mine = await subscribe();
		const theirs = await subscribe();
		const portal = await stripe.billingPortal.sessions.create({ customer: mine.customerId });
		const before = received.length;
		expect((await portalAction(portal.url, `cancel/${theirs.subscriptionId}`)).status).toBe(403);
		expect(received.length).toBe(before);
		expect(sim.subscriptions.get(theirs.subscriptionId).cancel_at_period_end).toBe(false);
	});

	it('answers like Stripe when the portal is not saved, the customer is unknown, or the configuration is', async () => {
		const { customerId } = await subscribe();
		const refusal = async (params: Stripe.BillingPortal.SessionCreateParams) => {
			try {
				await stripe.billingPortal.sessions.create(params);
			} catch (error) {
				return error;
			}
			throw new Error('expected Stripe to refuse');
		};
		sim.setPortalConfigured(false);
		const notSaved = await refusal({ customer: customerId });
		expect(notSaved).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(explainPortalError(notSaved, { customerId, keyMode: 'test' })?.message).toMatch(/^Stripe's Customer Portal is not set up in test mode yet/);
		sim.setPortalConfigured(true);
		const unknown = await refusal({ customer: 'cus_SIMnobody' });
		expect(unknown).toMatchObject({ code: 'resource_missing', param: 'customer' });
		expect(explainPortalError(unknown, { customerId: 'cus_SIMnobody', keyMode: 'test' })?.message).toMatch(/^Stripe has no customer cus_SIMnobody/);
		expect(await refusal({ customer: customerId, configuration: 'bpc_1Other' })).toMatchObject({ code: 'resource_missing', param: 'configuration' });
	});

	it('the pack\'s Create Customer Portal Session and the simulator agree: a link to the portal page, or the Dashboard setting to fix', async () => {
		const { customerId } = await subscribe();
		const run = async (messageId: string) =>
			await executeNode({
				nodeType: new CreateStripeCheckout(),
				parameters: { resource: 'customerPortalSession', operation: 'create', returnUrl: 'http://127.0.0.1:9/account' },
				credentials: { chatCheckoutStripeApi: { secretKey: 'sk_test_aftersale', baseUrl: sim.url } },
				credentialTypes: [new ChatCheckoutStripeApi()],
				items: [{ json: { customerId, chatRef: CHAT_REF, messageId } }],
				continueOnFail: true,
			});
		const windowOf = () => Math.floor(Date.now() / PORTAL_KEY_WINDOW_MS);
		const firstWindow = windowOf();
		const [[ok]] = await run('wamid.MANAGE1');
		expect(ok.json).toMatchObject({ customerId, url: expect.stringMatching(new RegExp(`^${sim.url}/portal/bps_`)), chatRef: CHAT_REF, messageId: 'wamid.MANAGE1' });
		expect((await fetch(String(ok.json.url))).status).toBe(200);
		// A repeat of the same message is the same request: Stripe (and the simulator) replay the first answer.
		const [[again]] = await run('wamid.MANAGE1');
		if (windowOf() === firstWindow) expect(again.json.url).toBe(ok.json.url); // (a fresh window makes a fresh link)
		sim.setPortalConfigured(false);
		const [[refused]] = await run('wamid.MANAGE2');
		expect(refused.json.error).toMatch(/^Stripe's Customer Portal is not set up in test mode yet/);
		expect(refused.json.description).toContain('Settings → Billing → Customer portal');
	});

	async function paidSession() {
		const session = await stripe.checkout.sessions.create({
			mode: 'payment',
			line_items: [{ quantity: 2, price_data: { currency: 'eur', unit_amount: 2550, product_data: { name: 'Welcome basket' } } }],
			success_url: 'https://shop.test/thanks',
			metadata: CHAT_METADATA,
			payment_intent_data: { metadata: CHAT_METADATA },
		});
		await sim.pay(session.id);
		return session.id;
	}

	it('refunds a paid session in part, then the rest through the API: charge.refunded with exact amounts and the chat', async () => {
		const sessionId = await paidSession();
		const seen = received.length;
		const partial = await sim.refund(sessionId, { amount: 1000 });
		expect(partial.refund).toMatchObject({ object: 'refund', amount: 1000, currency: 'eur', status: 'succeeded' });
		const rest = await stripe.refunds.create({ payment_intent: sim.getSession(sessionId).payment_intent });
		expect(rest.amount).toBe(4100);
		expect(deliveredSince(seen)).toMatchObject([
			{ type: 'charge.refunded', orderStatus: 'partially_refunded', amountRefunded: 1000, amountRefundedDecimal: '10.00', refundAmountDecimal: '10.00', amountTotalDecimal: '51.00', chatRef: CHAT_REF, messageId: 'wamid.ORDER1' },
			{ type: 'charge.refunded', orderStatus: 'refunded', amountRefunded: 5100, refundAmount: 4100, refundAmountDecimal: '41.00', fullyRefunded: true, chatRef: CHAT_REF },
		]);
		await expect(stripe.refunds.create({ payment_intent: sim.getSession(sessionId).payment_intent })).rejects.toMatchObject({ code: 'charge_already_refunded' });
		await expect(sim.refund(sessionId)).rejects.toThrow(/already been refunded/);
	});

	it('refuses a refund larger than what is left, and one of a subscription or an unpaid session', async () => {
		const sessionId = await paidSession();
		await expect(stripe.refunds.create({ payment_intent: sim.getSession(sessionId).payment_intent, amount: 5101 })).rejects.toMatchObject({ param: 'amount' });
		const open = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'x' } } }], success_url: 'https://shop.test/' });
		await expect(sim.refund(open.id)).rejects.toThrow(/no successful payment/);
		const sub = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'y' }, recurring: { interval: 'month' } } }], success_url: 'https://shop.test/' });
		await sim.pay(sub.id);
		await expect(sim.refund(sub.id)).rejects.toThrow(/one-off payments/);
	});

	it('the session page refunds with its buttons: part (typed in major units) and then in full', async () => {
		const sessionId = await paidSession();
		expect(await (await fetch(`${sim.url}/pay/${sessionId}`)).text()).toContain('Refund in full');
		const seen = received.length;
		const part = await fetch(`${sim.url}/pay/${sessionId}/refund`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=5.50' });
		expect(part.status).toBe(200);
		expect(await part.text()).toContain('Refunded 5.50 EUR of 51.00 EUR');
		const bad = await fetch(`${sim.url}/pay/${sessionId}/refund`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=1.234' });
		expect(bad.status).toBe(409);
		const full = await fetch(`${sim.url}/pay/${sessionId}/refund`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: '' });
		expect(((await full.json()) as any).events.map((e: any) => e.type)).toEqual(['charge.refunded']);
		expect(deliveredSince(seen).map((e) => [e.orderStatus, e.refundAmountDecimal])).toEqual([
			['partially_refunded', '5.50'],
			['refunded', '45.50'],
		]);
		expect(await (await fetch(`${sim.url}/pay/${sessionId}`)).text()).not.toContain('Refund in full');
	});
});

describe('meta-webhooks: bodies the pack\'s triggers read as Meta\'s', () => {
	useIsolatedUserFolder();
	const common = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9', accessToken: 'not-used' };

	async function post(channel: 'whatsapp' | 'instagram', body: object, options: Record<string, unknown> = {}) {
		const raw = JSON.stringify(body);
		const setup: Omit<NodeSetup, 'parameters'> =
			channel === 'whatsapp'
				? { nodeType: new WhatsAppTrigger(), credentials: { chatCheckoutWhatsAppApi: { ...common, phoneNumberId: PHONE_NUMBER_ID } }, credentialTypes: [new ChatCheckoutWhatsAppApi()] }
				: { nodeType: new InstagramTrigger(), credentials: { chatCheckoutInstagramApi: { ...common, accountId: IG_ACCOUNT_ID } }, credentialTypes: [new ChatCheckoutInstagramApi()] };
		return await callWebhook({ ...setup, parameters: { options } }, { method: 'POST', rawBody: raw, headers: { 'X-Hub-Signature-256': metaSignature(raw) } });
	}

	it('a catalog cart is a WhatsApp order item with its retailer IDs', async () => {
		const body = whatsAppCartBody({ from: '4915112345678', messageId: 'wamid.SIMCART', phoneNumberId: PHONE_NUMBER_ID, text: 'for Friday', items: [{ retailerId: 'welcome-basket', quantity: 2, price: 0.01, currency: 'EUR' }, { retailerId: 'SKU-MUG', quantity: 1 }] });
		const [item] = (await post('whatsapp', body)).items;
		expect(item.json).toMatchObject({
			type: 'order',
			messageId: 'wamid.SIMCART',
			text: 'for Friday',
			profileName: 'Ada',
			order: { text: 'for Friday', items: [{ retailerId: 'welcome-basket', quantity: 2, itemPrice: 0.01, currency: 'EUR' }, { retailerId: 'SKU-MUG', quantity: 1, itemPrice: 1, currency: 'USD' }] },
		});
	});

	it('an Instagram edit is an edited message item (when edits are emitted)', async () => {
		const body = instagramEditBody({ from: '7000000000000001', messageId: 'mid.SIMEDIT', text: 'three nights', numEdit: 1, accountId: IG_ACCOUNT_ID });
		const [item] = (await post('instagram', body, { include: ['edit'] })).items;
		expect(item.json).toMatchObject({ event: 'message', edited: true, messageId: 'mid.SIMEDIT', text: 'three nights' });
	});

	it.each(['whatsapp', 'instagram'] as const)('the %s dashboard test sample is answered and starts no run', async (channel) => {
		const outcome = await post(channel, dashboardTestBody(channel));
		expect(outcome.response.statusCode).toBe(200);
		expect(outcome.items).toHaveLength(0);
	});
});
