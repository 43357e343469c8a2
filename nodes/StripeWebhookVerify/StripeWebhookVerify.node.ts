import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { StripeCredentialData } from '../shared/stripe/client';
import { normaliseStripeEvent } from '../shared/stripe/events';
import { operatorManagedWebhook } from '../shared/operatorManagedWebhook';
import { responseModeFromParameter } from '../shared/webhookDescriptionFields';
import { freshWebhookCredentials, webhookCredentials } from '../shared/webhookCredentials';
import { webhookRawBody } from '../shared/webhookRawBody';
import { DEFAULT_TOLERANCE_SECONDS, verifyStripeWebhook } from '../shared/stripe/webhookSignature';
import { warnOnce } from '../shared/warnOnce';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { ALL_EVENTS, stripeWebhookVerifyProperties } from './properties';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

const CREDENTIAL_TYPE = 'chatCheckoutStripeApi';

/** The credential fields that hold signing secrets, in the order they are tried. */
const SECRET_FIELDS = ['Webhook Signing Secret', 'Previous Webhook Signing Secret'];

export class StripeWebhookVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Webhook Verify',
		name: 'stripeWebhookVerify',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		// Version 2: n8n no longer evaluates an expression on every request before the node runs (see README,
		// "Node versions"); version 1 stays for the workflows that use it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).length + " events" }}',
		description:
			'Starts the workflow on signed Stripe events (paid orders, failed payments, subscriptions, refunds) with the chat reference restored',
		defaults: { name: 'Stripe Webhook Verify' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: 'stripe',
				// onReceived: 200 as soon as the event is verified. lastNode: the answer waits for the run, and a
				// failed run gets n8n's error status, so Stripe retries the event.
				...responseModeFromParameter('acknowledge'),
				// Stripe only reads the status code; the workflow's data is not echoed back to it.
				responseData: 'noData',
			},
		],
		eventTriggerDescription: 'Waiting for Stripe to send an event (Dashboard → Developers → Webhooks → Send test event)',
		activationMessage: 'Stripe events sent to the Production URL now start this workflow.',
		properties: stripeWebhookVerifyProperties,
	};

	// The URL is registered by hand in the provider's dashboard (see the notice): nothing to do here.
	webhookMethods = { default: operatorManagedWebhook };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		// Remembered for a few seconds (webhookCredentials.ts); a failed check is repeated with the credential as it is now.
		const remembered = await webhookCredentials<StripeCredentialData>(this, CREDENTIAL_TYPE);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const toleranceSeconds = Number(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);

		const reading = await webhookRawBody.call(this);
		if (!reading.ok) {
			this.logger.debug('Stripe webhook refused', { reason: reading.error, status: reading.status });
			response.status(reading.status).json({ error: reading.error });
			return { noWebhookResponse: true };
		}
		const verify = (credentials: StripeCredentialData) =>
			verifyStripeWebhook({
				rawBody: reading.rawBody,
				signatureHeader: request.headers['stripe-signature'],
				secrets: [credentials.webhookSigningSecret, credentials.previousWebhookSigningSecret],
				toleranceSeconds: Number.isFinite(toleranceSeconds) ? toleranceSeconds : DEFAULT_TOLERANCE_SECONDS,
			});
		let verification = verify(remembered.data);
		if (!verification.ok && !remembered.fresh) verification = verify(await freshWebhookCredentials<StripeCredentialData>(this, CREDENTIAL_TYPE));
		warnAboutTrimmedSecrets(this, verification.trimmedSecrets);
		if (!verification.ok) {
			// A missing secret is our configuration, not the sender's fault: 500 makes Stripe retry until it is fixed.
			const status = verification.reason === 'no signing secret configured' ? 500 : 400;
			this.logger.debug('Stripe webhook refused', { reason: verification.reason, status });
			response.status(status).json({ error: verification.reason });
			return { noWebhookResponse: true };
		}

		const event = verification.event;
		const selected = this.getNodeParameter('events', []) as string[];
		if (!selected.includes(ALL_EVENTS) && !selected.includes(event.type)) {
			response.status(200).json({ received: true, ignored: event.type });
			return { noWebhookResponse: true };
		}

		const normalised = normaliseStripeEvent(event, { includeRaw: options.includeRawEvent !== false });
		return { workflowData: [[{ json: normalised as unknown as IDataObject }]] };
	}
}

/** Secrets are trimmed before use (see webhookSignature.ts); the operator hears of it once, never its value. */
function warnAboutTrimmedSecrets(ctx: IWebhookFunctions, fieldIndexes: number[]): void {
	for (const index of fieldIndexes) {
		const field = SECRET_FIELDS[index];
		warnOnce(
			ctx.logger,
			`stripe-secret-whitespace:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${field}`,
			`Stripe Webhook Verify: the ${field} in the Stripe Checkout API credential has spaces or line breaks around it. They are ignored, but remove them in the credential (Stripe's own libraries would refuse the secret).`,
		);
	}
}
