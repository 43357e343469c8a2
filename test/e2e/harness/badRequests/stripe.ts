/** Stripe Webhook Verify's side of the model: Stripe's signature, event types it ignores, JSON that is no event. */
import Stripe from 'stripe';
import type { Rng } from './random';
import { PHONE_NUMBER_ID } from './samples';
import type { Kit, Secrets } from './types';

/** Stripe event types Stripe Webhook Verify can select (its `events` options): never sent signed. */
export const SELECTABLE_STRIPE_TYPES = new Set([
	'*',
	'charge.refunded',
	'checkout.session.async_payment_failed',
	'checkout.session.async_payment_succeeded',
	'checkout.session.completed',
	'checkout.session.expired',
	'customer.subscription.created',
	'customer.subscription.deleted',
	'customer.subscription.updated',
	'invoice.paid',
	'invoice.payment_failed',
]);
const UNSELECTED_STRIPE_TYPES = [
	'customer.created',
	'payment_intent.succeeded',
	'payment_intent.payment_failed',
	'charge.succeeded',
	'product.updated',
	'price.created',
	'account.updated',
	'invoice.created',
	'invoice.finalized',
	'checkout.session.completed.v2',
	'Checkout.Session.Completed',
	' invoice.paid',
	'',
];
export function stripeKit(secrets: Secrets, sampleBody: unknown, now: number): Kit {
	const t = Math.floor(now / 1000);
	const header = (body: Buffer, secret: string, timestamp = t) =>
		Stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret, timestamp });
	const event = (r: Rng, type: string, object: unknown) => ({
		// a fixed `created`: the same seed gives the same bytes; only the signature's t is the time of the run
		id: `evt_${r.text(6).replace(/[^a-zA-Z0-9]/g, 'x')}`, object: 'event', api_version: '2026-02-25.clover', created: 1780000000, livemode: false, type,
		data: { object },
	});
	return {
		signatureHeader: 'stripe-signature',
		sign: (body, o = {}) => header(body, secrets.stripeWebhookSecret, o.timestamp),
		forge: (rng, body) => rng.pick([
			() => header(body, `whsec_${rng.bytes(18).toString('hex')}`),
			() => `t=${t},v1=${rng.bytes(32).toString('hex')}`,
			() => header(Buffer.concat([body, Buffer.from(' ')]), secrets.stripeWebhookSecret),
			() => header(body, secrets.stripeWebhookSecret, t + 1).replace(`t=${t + 1}`, `t=${t}`),
		])(),
		ignoredPayload: (rng) => {
			const type = rng.next() < 0.8 ? rng.pick(UNSELECTED_STRIPE_TYPES) : `fuzz.${rng.text(rng.int(1, 30))}`;
			if (SELECTABLE_STRIPE_TYPES.has(type)) throw new Error(`generator bug: ${type} can be selected`);
			const object = rng.pick([
				() => ({ id: `obj_${rng.digits(8)}`, object: rng.pick(['customer', 'payment_intent', 'charge', 'thing']), zz: rng.json(2) }),
				() => ({}),
				() => [],
				() => ({ metadata: { chat_channel: 'whatsapp', chat_account_id: PHONE_NUMBER_ID, chat_user_id: rng.digits(13) } }),
			])();
			return { value: event(rng, type, object), type };
		},
		sample: Buffer.from(JSON.stringify(sampleBody)),
		nodeStatus: ({ body, signature, rawBody, ignoredType }) =>
			rawBody && body.length > 0 && signature === 'valid' && ignoredType !== undefined ? 200 : 400,
		answer: (type) => ({ received: true, ignored: type }),
	};
}

/**
 * JSON of wrong shapes for Stripe Webhook Verify, signed right: none is a Stripe event (400).
 */
export const STRIPE_NOT_EVENTS: Array<(rng: Rng, t: number) => unknown> = [
	() => null,
	() => true,
	(r) => r.int(-1e9, 1e9),
	(r) => r.text(r.int(0, 30)),
	() => [],
	(r) => [{ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: {} } }, r.json(1)],
	() => ({}),
	(r) => ({ id: 'evt_1', object: 'event', type: 'customer.created', data: r.pick([null, 'x', 1, {}, { object: null }, { object: 'x' }, { object: 1 }]) }),
	(r) => ({ id: 'evt_1', object: 'event', type: r.pick([null, 1, {}, [], true]), data: { object: {} } }),
	(r) => ({ id: r.pick([null, 1, {}, [], undefined]), object: 'event', type: 'customer.created', data: { object: {} } }),
	(r) => ({ id: 'evt_1', object: r.pick([undefined, null, 'Event', 'events', 'checkout.session', '']), type: 'customer.created', data: { object: {} } }),
	(r) => ({ id: 'evt_1', type: 'customer.created', data: { object: { zz: r.json(2) } } }),
	// a thin (v2) event notification
	(r) => ({ id: `evt_${r.digits(6)}`, object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', related_object: { id: 'mtr_1' } }),
	// a Meta payload (complete message) sent to the Stripe endpoint
	(r) => ({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata: { phone_number_id: PHONE_NUMBER_ID }, messages: [{ from: r.digits(13), id: 'wamid.X', type: 'text', text: { body: 'hi' } }] } }] }] }),
];

