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
import { DEFAULT_TOLERANCE_SECONDS, verifyStripeWebhook } from '../shared/stripe/webhookSignature';
import { operatorManagedWebhook } from '../shared/operatorManagedWebhook';

const CREDENTIAL_TYPE = 'chatCheckoutStripeApi';

const ALL_EVENTS = '*';

/** The events a chat checkout needs; also the default selection. */
const EVENT_OPTIONS = [
	['charge.refunded', 'A payment was refunded (fully or partly)'],
	['checkout.session.async_payment_failed', 'A delayed payment method (bank debit, voucher) failed after checkout'],
	['checkout.session.async_payment_succeeded', 'A delayed payment method succeeded: the money is in'],
	['checkout.session.completed', 'The customer finished checkout; paid unless the method is delayed (check Paid)'],
	['checkout.session.expired', 'The payment link expired unused'],
	['customer.subscription.created', 'A subscription started'],
	['customer.subscription.deleted', 'A subscription ended'],
	['customer.subscription.updated', 'A subscription changed (plan, status, cancellation scheduled)'],
	['invoice.paid', 'A subscription invoice was paid: the money is in'],
	['invoice.payment_failed', 'A subscription payment failed'],
] as const;

export class StripeWebhookVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Webhook Verify',
		name: 'stripeWebhookVerify',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
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
				responseMode: '={{$parameter["acknowledge"]}}',
				// Stripe only reads the status code; the workflow's data is not echoed back to it.
				responseData: 'noData',
			},
		],
		eventTriggerDescription: 'Waiting for Stripe to send an event (Dashboard → Developers → Webhooks → Send test event)',
		activationMessage: 'Stripe events sent to the Production URL now start this workflow.',
		properties: [
			{
				displayName:
					'In Stripe Dashboard → Developers → Webhooks → Add endpoint: paste this node\'s Production URL (see Webhook URLs above), select the same events as below, and save. Then open the endpoint, reveal its Signing secret (whsec_…) and paste it into the Stripe Checkout API credential. Test mode and live mode have separate endpoints and secrets; the Stripe CLI (stripe listen --forward-to) prints a secret of its own.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Acknowledge',
				name: 'acknowledge',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'When Verified',
						value: 'onReceived',
						description:
							'Answer 200 as soon as the signature checks out; the workflow runs afterwards. Stripe never resends the event, even if the run fails.',
					},
					{
						name: 'After the Workflow Succeeds',
						value: 'lastNode',
						description:
							'Answer only when the run has finished; a failed run gets an error status, so Stripe retries the event (for up to 3 days in live mode). Keep the workflow quick and idempotent.',
					},
				],
				default: 'onReceived',
				description:
					'When Stripe gets its answer. Either way a forged, stale or unreadable request gets 400 and starts nothing.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'All Events', value: ALL_EVENTS, description: 'Every event the Stripe endpoint sends' },
					...EVENT_OPTIONS.map(([value, description]) => ({ name: value, value, description })),
				],
				default: [
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
				],
				description:
					'Events that start the workflow. Others are answered 200 (so Stripe stops sending them) and ignored. Select the same ones on the Stripe endpoint.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Raw Event',
						name: 'includeRawEvent',
						type: 'boolean',
						default: true,
						description:
							"Whether to add Stripe's event as raw, with every card detail (brand, last4, expiry, fingerprint) removed and all IDs kept",
					},
					{
						displayName: 'Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 3600, numberPrecision: 0 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'How old a signature may be before the event is refused as a possible replay. Stripe signs every delivery attempt afresh, so 300 suits almost everyone.',
					},
				],
			},
		],
	};

	// The URL is registered by hand in the provider's dashboard (see the notice): nothing to do here.
	webhookMethods = { default: operatorManagedWebhook };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const credentials = await this.getCredentials<StripeCredentialData>(CREDENTIAL_TYPE);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const toleranceSeconds = Number(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);

		const verification = verifyStripeWebhook({
			rawBody: (request as { rawBody?: unknown }).rawBody,
			signatureHeader: request.headers['stripe-signature'],
			secrets: [credentials.webhookSigningSecret, credentials.previousWebhookSigningSecret],
			toleranceSeconds: Number.isFinite(toleranceSeconds) ? toleranceSeconds : DEFAULT_TOLERANCE_SECONDS,
		});
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
