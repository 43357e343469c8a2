'use strict';
/**
 * Section 2: Stripe Webhook Verify per POST: verifyStripeWebhook (the SDK's constructEvent with the current
 * secret, then the previous one) and normaliseStripeEvent, on bodies signed by the stripe SDK's own
 * generateTestHeaderString.
 */
const { randomBytes } = require('node:crypto');
const Stripe = require('stripe');
const { measure, printTable, fmt } = require('./harness');
const { dist } = require('./paths');
const fx = require('./fixtures');

const { verifyStripeWebhook } = dist('stripe/webhookSignature.js');
const { normaliseStripeEvent } = dist('stripe/events.js');

function run() {
	const current = `whsec_${randomBytes(24).toString('base64url')}`;
	const previous = `whsec_${randomBytes(24).toString('base64url')}`;
	const rows = [];
	for (const [type, text] of Object.entries(fx.stripeBodies())) {
		const rawBody = Buffer.from(text);
		const label = (step) => `${type} (${fmt(rawBody.length, 0)} B) ${step}`;
		const signedWith = (secret) => Stripe.webhooks.generateTestHeaderString({ payload: text, secret });
		const headerCurrent = signedWith(current);
		const headerPrevious = signedWith(previous);
		const verified = (secretIndex) => (r) => {
			if (!r.ok || r.secretIndex !== secretIndex) throw new Error(`fixture: Stripe verification ${r.ok ? `secret ${r.secretIndex}` : r.reason}`);
		};
		const normalised = (r) => {
			if (!r.paid || !r.chatRef) throw new Error('fixture: Stripe event not normalised as paid with a chat reference');
		};

		rows.push(
			measure(label('verify, 1 secret'), () =>
				verifyStripeWebhook({ rawBody, signatureHeader: headerCurrent, secrets: [current] }), {
				iterations: 10_000, check: verified(0),
			}),
		);
		rows.push(
			measure(label('verify + normalise, 1 secret'), () => {
				const result = verifyStripeWebhook({ rawBody, signatureHeader: headerCurrent, secrets: [current] });
				return result.ok ? normaliseStripeEvent(result.event) : result;
			}, { iterations: 10_000, check: normalised }),
		);
		rows.push(
			measure(label('verify + normalise, 2 secrets, 2nd matches'), () => {
				const result = verifyStripeWebhook({ rawBody, signatureHeader: headerPrevious, secrets: [current, previous] });
				return result.ok ? normaliseStripeEvent(result.event) : result;
			}, { iterations: 10_000, check: normalised }),
		);
	}
	printTable('2. Stripe webhook per POST (Stripe Webhook Verify), signed with stripe.webhooks.generateTestHeaderString', rows);
}

module.exports = { run };
