/** Create Checkout Session: the node's fields (line items in lineItemProperties.ts). */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../../shared/optionsCollection';
import { CHECKOUT_LOCALE_OPTIONS } from '../../stripeLocales';
import { PAYMENT_METHOD_TYPES } from './choices';
import { lineItemProperties } from './lineItemProperties';

export const createProperties: INodeProperties[] = [
	...lineItemProperties,
	{
		displayName: 'Success URL',
		name: 'successUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/thanks?session_id={CHECKOUT_SESSION_ID}',
		description:
			'Where the customer lands after paying. Stripe replaces {CHECKOUT_SESSION_ID} with the session ID. Fulfil from the webhook, not from this page: it may never load.',
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'] } },
	},
	{
		displayName: 'Cancel URL',
		name: 'cancelUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/cart',
		description: 'Where the back link on the checkout page leads; leave empty for none',
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'] } },
	},
	optionsCollection(
		[
			{
				displayName: 'Allow Promotion Codes',
				name: 'allowPromotionCodes',
				type: 'boolean',
				default: false,
				description: 'Whether the checkout page offers a field for promotion codes (create them in Stripe Dashboard → Product catalogue → Coupons)',
			},
			{
				displayName: 'Client Reference ID',
				name: 'clientReferenceId',
				type: 'string',
				default: '',
				description: 'Your own order or cart ID (up to 200 characters); comes back on the session and its events',
			},
			{
				displayName: 'Collect Phone Number',
				name: 'collectPhoneNumber',
				type: 'boolean',
				default: false,
				description: 'Whether the checkout page asks for a phone number',
			},
			{
				displayName: 'Customer Email',
				name: 'customerEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Prefills the email field on the checkout page',
			},
			{
				displayName: 'Expires After (Minutes)',
				name: 'expiresInMinutes',
				type: 'number',
				typeOptions: { minValue: 30, maxValue: 1440, numberPrecision: 0 },
				default: 60,
				description:
					'30 to 1440 (24 h, also the default when unset). Counted from the start of the current 5-minute window so retries send identical requests: the link may expire up to 5 minutes sooner, and never sooner than 31 minutes.',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Leave empty: the node derives one from the inbound message ID and the order, so a redelivered message returns the same session. Set one (up to 255 characters) only to control deduplication yourself.',
			},
			{
				displayName: 'Locale',
				name: 'locale',
				type: 'options',
				options: CHECKOUT_LOCALE_OPTIONS,
				default: 'auto',
				description: 'Language of the checkout page',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Metadata',
				default: {},
				description:
					'Extra key/value pairs stored on the session and its payment or subscription (Stripe allows 50 keys, keys up to 40 characters, values up to 500). The chat reference is added automatically as chat_channel, chat_account_id, chat_user_id and chat_message_id.',
				options: [
					{
						displayName: 'Entry',
						name: 'entries',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Payment Method Types',
				name: 'paymentMethodTypes',
				type: 'multiOptions',
				options: PAYMENT_METHOD_TYPES.map(([value, name]) => ({ name, value })),
				default: [],
				description:
					'Limit the checkout to these methods (Stripe\'s allowed_payment_method_types, a filter over the methods turned on in Stripe Dashboard → Settings → Payment methods). Leave empty for all eligible methods (dynamic payment methods).',
			},
		],
		{ displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'] } } },
	),
];
