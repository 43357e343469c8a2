/** Stripe Webhook Verify's parameters: the Dashboard setup notice, when to answer Stripe, which events, options. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../shared/optionsCollection';
import { DEFAULT_TOLERANCE_SECONDS } from '../shared/stripe/webhookSignature';

export const ALL_EVENTS = '*';

/** The events a chat checkout needs, in the order of the default selection, with what each one means. */
const CHAT_CHECKOUT_EVENTS = [
	['checkout.session.completed', 'The customer finished checkout; paid unless the method is delayed (check Paid)'],
	['checkout.session.async_payment_succeeded', 'A delayed payment method succeeded: the money is in'],
	['checkout.session.async_payment_failed', 'A delayed payment method (bank debit, voucher) failed after checkout'],
	['checkout.session.expired', 'The payment link expired unused'],
	['invoice.paid', 'A subscription invoice was paid: the money is in'],
	['invoice.payment_failed', 'A subscription payment failed'],
	['customer.subscription.created', 'A subscription started'],
	['customer.subscription.updated', 'A subscription changed (plan, status, cancellation scheduled)'],
	['customer.subscription.deleted', 'A subscription ended'],
	['charge.refunded', 'A payment was refunded (fully or partly)'],
] as const;

const DEFAULT_EVENTS = CHAT_CHECKOUT_EVENTS.map(([value]) => value);

/** Shown alphabetically, after "All Events". */
const EVENT_OPTIONS = [...CHAT_CHECKOUT_EVENTS]
	.sort(([a], [b]) => a.localeCompare(b))
	.map(([value, description]) => ({ name: value, value, description }));

export const stripeWebhookVerifyProperties: INodeProperties[] = [
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
		options: [{ name: 'All Events', value: ALL_EVENTS, description: 'Every event the Stripe endpoint sends' }, ...EVENT_OPTIONS],
		default: [...DEFAULT_EVENTS],
		description:
			'Events that start the workflow. Others are answered 200 (so Stripe stops sending them) and ignored. Select the same ones on the Stripe endpoint.',
	},
	optionsCollection(
		[
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
	),
];
