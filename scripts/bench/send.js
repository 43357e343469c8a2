'use strict';
/**
 * Section 4: Send Chat Message: building and validating the checkout-link message for each channel, and the
 * same through deliverMessage with an in-process transport that answers 200 at once (no socket, no network).
 */
const { measure, measureAsync, printTable } = require('./harness');
const { dist } = require('./paths');
const fx = require('./fixtures');

const { buildWhatsAppMessage, normaliseWhatsAppRecipient } = dist('graph/whatsappMessages.js');
const { buildInstagramMessage, normaliseInstagramRecipient } = dist('graph/instagramMessages.js');
const { messagesPath } = dist('graph/endpoints.js');
const { deliverMessage } = dist('graph/send.js');
const { DEFAULT_RETRY_POLICY } = dist('graph/retry.js');

const LINK = {
	kind: 'link',
	text: 'Your Deluxe Suite, June 15-17 (2 nights): €458.00. Tap to pay securely with Stripe 🔒',
	url: 'https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdefghijklmn#fidkdWxOYHwnPyd1blpxYHZxWjA0',
	label: 'Pay now',
};

function whatsApp() {
	const to = normaliseWhatsAppRecipient('+49 151 1234-5678');
	const message = buildWhatsAppMessage(LINK, { to, replyToMessageId: fx.wamid(42) });
	return { path: messagesPath('whatsapp', fx.PHONE_NUMBER_ID), message, wire: JSON.stringify(message.body) };
}

function instagram() {
	const recipient = normaliseInstagramRecipient(' 6578901234567890 ');
	const message = buildInstagramMessage(LINK, recipient);
	return { path: messagesPath('instagram', fx.IG_ACCOUNT_ID, { baseUrl: 'https://graph.instagram.com' }), message, wire: JSON.stringify(message.body) };
}

const ANSWERS = {
	whatsapp: { statusCode: 200, headers: {}, body: { messaging_product: 'whatsapp', contacts: [{ input: '4915112345678', wa_id: '4915112345678' }], messages: [{ id: fx.wamid(43) }] } },
	instagram: { statusCode: 200, headers: {}, body: { recipient_id: '6578901234567890', message_id: fx.igMid(43) } },
};

const DEPS = { sleep: async () => {}, random: () => 0.5 };

async function run() {
	const rows = [];
	const isLink = (r) => { if (r.message.kind !== 'link') throw new Error('fixture: not a link message'); };
	rows.push(measure('WhatsApp cta_url: recipient + build/validate + path + JSON', whatsApp, { iterations: 50_000, check: isLink }));
	rows.push(measure('Instagram button template: recipient + build/validate + path + JSON', instagram, { iterations: 50_000, check: isLink }));
	for (const [channel, build, label] of [['whatsapp', whatsApp, 'WhatsApp cta_url'], ['instagram', instagram, 'Instagram button template']]) {
		rows.push(
			await measureAsync(`${label} + deliverMessage (in-process 200, no socket)`, () => {
				const { message } = build();
				return deliverMessage({ channel, message, send: async () => ANSWERS[channel], policy: DEFAULT_RETRY_POLICY, deps: DEPS });
			}, {
				iterations: 30_000,
				check: (r) => { if (!r.ok || !r.messageId) throw new Error('fixture: delivery not ok'); },
			}),
		);
	}
	printTable('4. Send Chat Message: building + validating the payment-link message', rows);
}

module.exports = { run };
