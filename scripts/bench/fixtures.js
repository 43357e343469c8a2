'use strict';
/**
 * Request bodies for the bench, shaped as Meta and Stripe send them (compact JSON from Meta, Stripe's
 * pretty-printed JSON), with realistic id lengths, since ids are what the dedupe store keeps.
 * Signatures are computed the way the senders compute them, outside the timed code.
 */
// The Meta signature comes from the simulators' module (TypeScript, under tools/).
require('../../tools/register');
const meta = require('../../tools/sandbox/metaWebhooks');

const APP_SECRET = 'bench-app-secret-0123456789abcdef';
const PHONE_NUMBER_ID = '106540352242922';
const IG_ACCOUNT_ID = '17841400000000001';
const TS = Math.floor(Date.now() / 1000);

/** @param {string | Buffer} raw */
const metaSignature = (raw) => meta.metaSignature(raw, APP_SECRET);

/** ~60 chars, like wamid.HBgLMTU1NTAwMDExMTEVAgASGBQzQTRBNjVFNzlCRjE4QzlGOEY5OAA= */
function wamid(seq) {
	const tail = Buffer.from(`\u0015\u0002\u0000\u0012\u0018\u0014${String(seq).padStart(20, '0')}\u0000`).toString('base64');
	return `wamid.HBgNNDkxNTExMjM0NTY3OB${tail}`;
}

/** ~150 chars, like the base64 `mid` values Instagram sends. */
function igMid(seq) {
	const inner = `ig_item:1:IGMessage:${IG_ACCOUNT_ID}:340282366841710300949128177447473467${String(seq).padStart(12, '0')}:32098970376294917176086707984470400`;
	return Buffer.from(inner).toString('base64').replace(/=+$/, '');
}

const TEXTS = [
	'Hi! I want the Deluxe Suite for June 15-17, 2 adults',
	'Do you still have the blue sneakers in size 42?',
	'I would like to order 2 large pizzas margherita for 8pm',
	'Can I book a 60 min massage on Friday afternoon?',
	'Yes, send me the payment link please',
];

/** A WhatsApp Cloud API webhook with `count` customer text messages (10 per entry, as Meta batches entries). */
function whatsAppBody(firstSeq, count) {
	const values = [];
	for (let start = 0; start < count; start += 10) {
		const messages = [];
		const contacts = new Map();
		for (let i = start; i < Math.min(count, start + 10); i++) {
			const from = `49151${String(1000000 + (i % 7)).padStart(8, '0')}`;
			contacts.set(from, meta.waContact(from, `Customer ${i % 7}`));
			messages.push(meta.waText(wamid(firstSeq + i), from, TEXTS[i % TEXTS.length], String(TS)));
		}
		values.push(meta.whatsAppValue({ phoneNumberId: PHONE_NUMBER_ID, contacts: [...contacts.values()], messages }));
	}
	return JSON.stringify(meta.whatsAppBody(values, '102290129340398'));
}

/** An Instagram Messaging webhook with `count` DMs (one entry, as in a batched delivery). */
function instagramBody(firstSeq, count) {
	const messaging = [];
	for (let i = 0; i < count; i++) {
		const dm = meta.igText(igMid(firstSeq + i), `${6578901234567890 + (i % 7)}`, TEXTS[i % TEXTS.length], IG_ACCOUNT_ID);
		messaging.push({ ...dm, timestamp: TS * 1000 + i });
	}
	return JSON.stringify(meta.instagramBody([{ id: IG_ACCOUNT_ID, time: TS * 1000, messaging }]));
}

/** `count` signed POSTs with distinct message ids (each `perPost` messages), built before any timing. */
function signedPosts(channel, count, perPost, firstSeq) {
	const build = channel === 'whatsapp' ? whatsAppBody : instagramBody;
	const posts = new Array(count);
	for (let p = 0; p < count; p++) {
		const raw = Buffer.from(build(firstSeq + p * perPost, perPost));
		posts[p] = { raw, header: metaSignature(raw) };
	}
	return posts;
}

/** The dedupe key the payload modules give a customer message (see inboundEvents.ts). */
function dedupeKey(channel, seq) {
	return channel === 'whatsapp' ? `whatsapp:message:${wamid(seq)}` : `instagram:message:${igMid(seq)}`;
}

/**
 * Brings a trigger node's seen-id store (memory + file, `scope` = workflow id + node id) to its cap the way
 * the node fills it: by claiming `keys` distinct ids (100 per call, seen over the last hours, oldest first),
 * then waiting for the file write. Returns the sequence number of the first id claimed.
 */
async function fillDedupeScope(scope, channel, keys, firstSeq, nowMs = Date.now()) {
	const { claimUnseenKeys, flushSeenEventWrites } = require('./paths').dist('meta/dedupe.js');
	const perCall = 100;
	const calls = Math.ceil(keys / perCall);
	let claimed = 0;
	for (let c = 0; c < calls; c++) {
		const batch = [];
		for (let i = c * perCall; i < Math.min(keys, (c + 1) * perCall); i++) batch.push(dedupeKey(channel, firstSeq + i));
		claimed += claimUnseenKeys(scope, batch, { now: nowMs - (calls - c) * 60_000 }).size;
	}
	await flushSeenEventWrites();
	if (claimed !== keys) throw new Error(`fixture: filling ${scope} claimed ${claimed}/${keys} ids`);
	return firstSeq;
}

// ---------------------------------------------------------------------------------------------------------
// Stripe

const CHAT_METADATA = {
	chat_channel: 'whatsapp',
	chat_account_id: PHONE_NUMBER_ID,
	chat_user_id: '4915112345678',
	chat_message_id: wamid(424242),
	order_id: 'ORD-2025-000123',
};

function stripeEnvelope(type, object, extra = {}) {
	return {
		id: 'evt_1QbENCHbenchBenchBenchA1',
		object: 'event',
		api_version: '2026-10-28.clover',
		created: TS,
		data: { object, ...extra },
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: 'cc1-3f1c5e0d2b7a4c9e8f6d1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d' },
		type,
	};
}

function checkoutSessionCompleted() {
	return stripeEnvelope('checkout.session.completed', {
		id: 'cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghijklmn',
		object: 'checkout.session',
		adaptive_pricing: { enabled: true },
		after_expiration: null,
		allow_promotion_codes: null,
		amount_subtotal: 45800,
		amount_total: 45800,
		automatic_tax: { enabled: false, liability: null, provider: null, status: null },
		billing_address_collection: null,
		cancel_url: 'https://shop.example.com/cancel',
		client_reference_id: 'ORD-2025-000123',
		client_secret: null,
		collected_information: { shipping_details: null },
		consent: null,
		consent_collection: null,
		created: TS - 120,
		currency: 'eur',
		currency_conversion: null,
		custom_fields: [],
		custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
		customer: null,
		customer_creation: 'if_required',
		customer_details: {
			address: { city: null, country: 'DE', line1: null, line2: null, postal_code: null, state: null },
			email: 'customer@example.com',
			name: 'Jane Customer',
			phone: null,
			tax_exempt: 'none',
			tax_ids: [],
		},
		customer_email: null,
		discounts: [],
		expires_at: TS + 3600,
		invoice: null,
		invoice_creation: { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
		livemode: false,
		locale: 'auto',
		metadata: CHAT_METADATA,
		mode: 'payment',
		origin_context: null,
		payment_intent: 'pi_3QbENCHbenchBenchBench0001',
		payment_link: null,
		payment_method_collection: 'if_required',
		payment_method_configuration_details: { id: 'pmc_1QbENCHbenchBenchBench01', parent: null },
		payment_method_options: { card: { request_three_d_secure: 'automatic' } },
		payment_method_types: ['card', 'link', 'paypal'],
		payment_status: 'paid',
		permissions: null,
		phone_number_collection: { enabled: false },
		presentment_details: { presentment_amount: 45800, presentment_currency: 'eur' },
		recovered_from: null,
		saved_payment_method_options: null,
		setup_intent: null,
		shipping_address_collection: null,
		shipping_cost: null,
		shipping_options: [],
		status: 'complete',
		submit_type: null,
		subscription: null,
		success_url: 'https://shop.example.com/thanks?session_id={CHECKOUT_SESSION_ID}',
		total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
		ui_mode: 'hosted',
		url: null,
		wallet_options: null,
	});
}

function invoicePaid() {
	const subscriptionMetadata = { ...CHAT_METADATA, chat_channel: 'instagram', chat_account_id: IG_ACCOUNT_ID, chat_user_id: '6578901234567890' };
	const line = {
		id: 'il_1QbENCHbenchBenchBench0001',
		object: 'line_item',
		amount: 2900,
		currency: 'eur',
		description: '1 × Monthly coffee box (at €29.00 / month)',
		discount_amounts: [],
		discountable: true,
		discounts: [],
		invoice: 'in_1QbENCHbenchBenchBench0001',
		livemode: false,
		metadata: subscriptionMetadata,
		parent: {
			invoice_item_details: null,
			subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: 'sub_1QbENCHbenchBenchBench01', subscription_item: 'si_QbENCHbenchBench01' },
			type: 'subscription_item_details',
		},
		period: { end: TS + 30 * 86400, start: TS },
		pretax_credit_amounts: [],
		pricing: { price_details: { price: 'price_1QbENCHbenchBenchBench01', product: 'prod_QbENCHbenchBen' }, type: 'price_details', unit_amount_decimal: '2900' },
		quantity: 1,
		taxes: [],
	};
	return stripeEnvelope('invoice.paid', {
		id: 'in_1QbENCHbenchBenchBench0001',
		object: 'invoice',
		account_country: 'DE',
		account_name: 'Bench Coffee GmbH',
		account_tax_ids: null,
		amount_due: 2900,
		amount_overpaid: 0,
		amount_paid: 2900,
		amount_remaining: 0,
		amount_shipping: 0,
		application: null,
		attempt_count: 1,
		attempted: true,
		auto_advance: false,
		automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
		automatically_finalizes_at: null,
		billing_reason: 'subscription_create',
		collection_method: 'charge_automatically',
		confirmation_secret: null,
		created: TS - 60,
		currency: 'eur',
		custom_fields: null,
		customer: 'cus_QbENCHbenchBen',
		customer_address: null,
		customer_email: 'customer@example.com',
		customer_name: 'Jane Customer',
		customer_phone: null,
		customer_shipping: null,
		customer_tax_exempt: 'none',
		customer_tax_ids: [],
		default_payment_method: null,
		default_source: null,
		default_tax_rates: [],
		description: null,
		discounts: [],
		due_date: null,
		effective_at: TS - 60,
		ending_balance: 0,
		footer: null,
		from_invoice: null,
		hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1QbENCH/test_YWNjdF8xUWJFTkNILF9RYkVOQ0hiZW5jaEJlbmNoQmVuY2gwMDAx0200abcdefgh?s=ap',
		invoice_pdf: 'https://pay.stripe.com/invoice/acct_1QbENCH/test_YWNjdF8xUWJFTkNILF9RYkVOQ0hiZW5jaEJlbmNoQmVuY2gwMDAx0200abcdefgh/pdf?s=ap',
		issuer: { type: 'self' },
		last_finalization_error: null,
		latest_revision: null,
		lines: { object: 'list', data: [line], has_more: false, total_count: 1, url: '/v1/invoices/in_1QbENCHbenchBenchBench0001/lines' },
		livemode: false,
		metadata: {},
		next_payment_attempt: null,
		number: 'ABCD1234-0001',
		on_behalf_of: null,
		parent: {
			quote_details: null,
			subscription_details: { metadata: subscriptionMetadata, subscription: 'sub_1QbENCHbenchBenchBench01' },
			type: 'subscription_details',
		},
		payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
		period_end: TS - 60,
		period_start: TS - 60,
		post_payment_credit_notes_amount: 0,
		pre_payment_credit_notes_amount: 0,
		receipt_number: null,
		rendering: null,
		shipping_cost: null,
		shipping_details: null,
		starting_balance: 0,
		statement_descriptor: null,
		status: 'paid',
		status_transitions: { finalized_at: TS - 60, marked_uncollectible_at: null, paid_at: TS - 55, voided_at: null },
		subtotal: 2900,
		subtotal_excluding_tax: 2900,
		test_clock: null,
		total: 2900,
		total_discount_amounts: [],
		total_excluding_tax: 2900,
		total_pretax_credit_amounts: [],
		total_taxes: [],
		webhooks_delivered_at: TS - 59,
	});
}

module.exports = {
	APP_SECRET,
	PHONE_NUMBER_ID,
	IG_ACCOUNT_ID,
	metaSignature,
	whatsAppBody,
	instagramBody,
	signedPosts,
	dedupeKey,
	fillDedupeScope,
	wamid,
	igMid,
	stripeBodies: () => ({
		'checkout.session.completed': JSON.stringify(checkoutSessionCompleted(), null, 2),
		'invoice.paid': JSON.stringify(invoicePaid(), null, 2),
	}),
};
