/**
 * Stripe API stand-in for the sandbox, reachable by the real stripe SDK:
 *
 *   const sim = await startStripeSim({ secretKeys: ['sk_test_sandbox'], webhookSecret: 'whsec_sandbox',
 *     prices: [{ id: 'price_room', lookup_key: 'deluxe-room', unit_amount: 18000, currency: 'eur', product_name: 'Deluxe room' }] });
 *   const stripe = new Stripe('sk_test_sandbox', sim.clientOptions); // { host: '127.0.0.1', port, protocol: 'http' }
 *   sim.setWebhookUrl('http://127.0.0.1:5678/webhook/…');
 *   const session = await stripe.checkout.sessions.create({ … });
 *   await sim.pay(session.id);   // signed checkout.session.completed POSTed to the webhook URL
 *   await sim.stop();
 *
 * Checkout Sessions (create/retrieve/list/expire/line_items), Prices (list by lookup_keys, retrieve, expand),
 * Products, Balance, Account, Events, Subscriptions, Invoices, PaymentIntents (retrieve), idempotency, the
 * after-sale part (Billing Portal sessions with a portal page, refunds), error injection, a hosted test page at
 * /pay/:id, and signed webhook events exactly as Stripe sends them (pretty-printed JSON body,
 * `Stripe-Signature: t=…,v1=…`). No card data anywhere. Listens on 127.0.0.1 only; webhooks go only to
 * loopback URLs.
 */
export { startStripeSim } from './sim';
export { parseStripeForm } from './formParsing';
export { STRIPE_API_VERSION } from './events';
export { stripeErrors } from './errors';
export { DEFAULT_PORTAL_CONFIGURATION } from './portalSessions';
export type {
	ActionResult,
	DeliveryOptions,
	DeliveryRecord,
	EventRecord,
	PriceSpec,
	RefundResult,
	RequestRecord,
	StoredSession,
	StripeErrorBody,
	StripeErrorPresets,
	StripeFailSpec,
	StripeObject,
	StripeSim,
	StripeSimOptions,
} from './types';
