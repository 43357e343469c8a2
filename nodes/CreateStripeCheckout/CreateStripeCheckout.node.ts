import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type Stripe from 'stripe';

import { chatReferenceOf } from '../shared/chatReference';
import { fetchPricesByLookupKey, lookupKeysOf } from '../shared/stripe/checkout/lineItems';
import { checkoutSessionOutput } from '../shared/stripe/checkout/output';
import { buildCheckoutSession } from '../shared/stripe/checkout/request';
import type { CheckoutInput, ResolvedPrice } from '../shared/stripe/checkout/types';
import { CheckoutInputError } from '../shared/stripe/inputError';
import type { StripeCredentialData, StripeOperation } from '../shared/stripe/client';
import {
	StripeConfigurationError,
	createStripeClient,
	describeStripeError,
	isStripeError,
	keyModeOf,
} from '../shared/stripe/client';

const CREDENTIAL_TYPE = 'chatCheckoutStripeApi';

/** Stripe checkout locales offered in the UI ("auto" follows the customer's browser). */
const LOCALES = [
	['auto', 'Auto (Customer Browser)'],
	['bg', 'Bulgarian'],
	['cs', 'Czech'],
	['da', 'Danish'],
	['de', 'German'],
	['el', 'Greek'],
	['en', 'English'],
	['en-GB', 'English (United Kingdom)'],
	['es', 'Spanish'],
	['es-419', 'Spanish (Latin America)'],
	['et', 'Estonian'],
	['fi', 'Finnish'],
	['fil', 'Filipino'],
	['fr', 'French'],
	['fr-CA', 'French (Canada)'],
	['hi-IN', 'Hindi'],
	['hr', 'Croatian'],
	['hu', 'Hungarian'],
	['id', 'Indonesian'],
	['it', 'Italian'],
	['ja', 'Japanese'],
	['ko', 'Korean'],
	['lt', 'Lithuanian'],
	['lv', 'Latvian'],
	['ms', 'Malay'],
	['mt', 'Maltese'],
	['nb', 'Norwegian Bokmål'],
	['nl', 'Dutch'],
	['pl', 'Polish'],
	['pt', 'Portuguese'],
	['pt-BR', 'Portuguese (Brazil)'],
	['ro', 'Romanian'],
	['ru', 'Russian'],
	['sk', 'Slovak'],
	['sl', 'Slovenian'],
	['sv', 'Swedish'],
	['th', 'Thai'],
	['tr', 'Turkish'],
	['vi', 'Vietnamese'],
	['zh', 'Chinese (Simplified)'],
	['zh-HK', 'Chinese (Hong Kong)'],
	['zh-TW', 'Chinese (Traditional)'],
] as const;

/** Common payment method types; the account must have each turned on in the Dashboard. */
const PAYMENT_METHOD_TYPES = [
	['affirm', 'Affirm'],
	['afterpay_clearpay', 'Afterpay / Clearpay'],
	['alipay', 'Alipay'],
	['bancontact', 'Bancontact'],
	['blik', 'BLIK'],
	['boleto', 'Boleto'],
	['card', 'Card'],
	['cashapp', 'Cash App Pay'],
	['eps', 'EPS'],
	['ideal', 'iDEAL'],
	['klarna', 'Klarna'],
	['konbini', 'Konbini'],
	['link', 'Link'],
	['mobilepay', 'MobilePay'],
	['multibanco', 'Multibanco'],
	['oxxo', 'OXXO'],
	['p24', 'Przelewy24'],
	['paypal', 'PayPal'],
	['pix', 'Pix'],
	['promptpay', 'PromptPay'],
	['revolut_pay', 'Revolut Pay'],
	['sepa_debit', 'SEPA Direct Debit'],
	['swish', 'Swish'],
	['twint', 'TWINT'],
	['us_bank_account', 'US Bank Account (ACH)'],
	['wechat_pay', 'WeChat Pay'],
] as const;

export class CreateStripeCheckout implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Create Stripe Checkout',
		name: 'createStripeCheckout',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "subscription" ? "Subscription checkout" : "Payment checkout" }}',
		description:
			'Create a Stripe Checkout payment link for a chat order, carrying the chat reference through Stripe',
		defaults: { name: 'Create Stripe Checkout' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				// An expression is allowed: a catalog can decide per item between one-off and subscription.
				options: [
					{ name: 'Payment', value: 'payment', description: 'One-time payment' },
					{ name: 'Subscription', value: 'subscription', description: 'Recurring payments' },
				],
				default: 'payment',
			},
			{
				displayName: 'Line Items From',
				name: 'lineItemSource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Price Lookup Key',
						value: 'lookupKey',
						description:
							'Stripe prices by their lookup key. The safe choice when an AI picks the product: the amount comes from Stripe, never from the chat.',
					},
					{ name: 'Price ID', value: 'price', description: 'Stripe prices by ID (price_…)' },
					{
						name: 'Inline',
						value: 'inline',
						description: 'Name and amount set here (in major units, e.g. 19.99); Stripe creates the price on the fly',
					},
					{
						name: 'JSON',
						value: 'json',
						description: "Advanced: an array in Stripe's own line_items shape (amounts in minor units)",
					},
				],
				default: 'lookupKey',
			},
			{
				displayName: 'Price Lookup Keys',
				name: 'lookupKeyItems',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Item',
				default: { items: [{ lookupKey: '', quantity: 1 }] },
				displayOptions: { show: { lineItemSource: ['lookupKey'] } },
				options: [
					{
						displayName: 'Item',
						name: 'items',
						values: [
							{
								displayName: 'Lookup Key',
								name: 'lookupKey',
								type: 'string',
								default: '',
								placeholder: 'large_latte',
								description:
									'Set in Stripe Dashboard → Product catalogue → the product → the price → Lookup key',
							},
							{
								displayName: 'Quantity',
								name: 'quantity',
								type: 'number',
								typeOptions: { minValue: 1, numberPrecision: 0 },
								default: 1,
							},
						],
					},
				],
			},
			{
				displayName: 'Prices',
				name: 'priceItems',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Item',
				default: { items: [{ priceId: '', quantity: 1 }] },
				displayOptions: { show: { lineItemSource: ['price'] } },
				options: [
					{
						displayName: 'Item',
						name: 'items',
						values: [
							{
								displayName: 'Price ID',
								name: 'priceId',
								type: 'string',
								default: '',
								placeholder: 'price_1Q…',
								description: 'Stripe Dashboard → Product catalogue → the product → Pricing → the price → ID',
							},
							{
								displayName: 'Quantity',
								name: 'quantity',
								type: 'number',
								typeOptions: { minValue: 1, numberPrecision: 0 },
								default: 1,
							},
						],
					},
				],
			},
			{
				displayName: 'Inline Items',
				name: 'inlineItems',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Item',
				default: {},
				displayOptions: { show: { lineItemSource: ['inline'] } },
				options: [
					{
						displayName: 'Item',
						name: 'items',
						values: [
							{
								displayName: 'Billing Interval',
								name: 'interval',
								type: 'options',
								options: [
									{ name: 'Day', value: 'day' },
									{ name: 'Month', value: 'month' },
									{ name: 'Week', value: 'week' },
									{ name: 'Year', value: 'year' },
								],
								default: 'month',
								displayOptions: { show: { '/mode': ['subscription'] } },
							},
							{
								displayName: 'Currency',
								name: 'currency',
								type: 'string',
								default: 'USD',
								placeholder: 'USD',
								description: 'Three-letter ISO code (USD, EUR, JPY …)',
							},
							{
								displayName: 'Description',
								name: 'description',
								type: 'string',
								default: '',
								description: 'Shown under the name on the checkout page',
							},
							{
								displayName: 'Image URL',
								name: 'imageUrl',
								type: 'string',
								default: '',
								placeholder: 'https://example.com/latte.png',
								description: 'Public https:// URL of a product image',
							},
							{
								displayName: 'Interval Count',
								name: 'intervalCount',
								type: 'number',
								typeOptions: { minValue: 1, numberPrecision: 0 },
								default: 1,
								description: 'Bill every N intervals (e.g. 3 with Month = quarterly)',
								displayOptions: { show: { '/mode': ['subscription'] } },
							},
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'Large latte',
							},
							{
								displayName: 'Quantity',
								name: 'quantity',
								type: 'number',
								typeOptions: { minValue: 1, numberPrecision: 0 },
								default: 1,
							},
							{
								displayName: 'Unit Amount',
								name: 'unitAmount',
								type: 'number',
								default: 0,
								placeholder: '19.99',
								description:
									"Price per unit in major units (19.99 USD, 1999 JPY, 1.230 KWD); must fit the currency's decimals exactly",
							},
						],
					},
				],
			},
			{
				displayName: 'Line Items (JSON)',
				name: 'lineItemsJson',
				type: 'json',
				default: '[]',
				placeholder: '[{ "price": "price_…", "quantity": 1 }]',
				displayOptions: { show: { lineItemSource: ['json'] } },
				description:
					'Array in Stripe\'s line_items shape: {"price": "price_…", "quantity": 1} or {"price_data": {"currency": "usd", "unit_amount": 1999, "product_data": {"name": "Latte"}}, "quantity": 1}. unit_amount is in minor units (cents).',
			},
			{
				displayName: 'Success URL',
				name: 'successUrl',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/thanks?session_id={CHECKOUT_SESSION_ID}',
				description:
					'Where the customer lands after paying. Stripe replaces {CHECKOUT_SESSION_ID} with the session ID. Fulfil from the webhook, not from this page: it may never load.',
			},
			{
				displayName: 'Cancel URL',
				name: 'cancelUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/cart',
				description: 'Where the back link on the checkout page leads; leave empty for none',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
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
						options: LOCALES.map(([value, name]) => ({ name, value })),
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
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials<StripeCredentialData>(CREDENTIAL_TYPE);
		let stripe: Stripe;
		try {
			stripe = createStripeClient(credentials);
		} catch (error) {
			const description = error instanceof StripeConfigurationError ? error.description : undefined;
			throw new NodeOperationError(this.getNode(), (error as Error).message, { description });
		}
		const keyMode = keyModeOf(credentials.secretKey);
		const executionId = this.getExecutionId();
		// Lookup keys repeat across items of one run; Stripe is asked once per key.
		const priceCache = new Map<string, ResolvedPrice>();
		const output: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const json = items[itemIndex].json;
			let operation: StripeOperation = 'listPrices';
			try {
				const input = readCheckoutInput(this, itemIndex);
				const missing = lookupKeysOf(input).filter((key) => !priceCache.has(key));
				if (missing.length > 0) {
					for (const [key, price] of await fetchPricesByLookupKey(stripe.prices, missing)) priceCache.set(key, price);
				}
				const built = buildCheckoutSession(input, json, {
					nowMs: Date.now(),
					pricesByLookupKey: priceCache,
					executionId,
					itemIndex,
				});
				operation = 'createCheckoutSession';
				const session = await stripe.checkout.sessions.create(
					built.params,
					built.idempotencyKey === undefined ? undefined : { idempotencyKey: built.idempotencyKey },
				);
				output.push({ json: checkoutSessionOutput(session, built) as IDataObject, pairedItem: { item: itemIndex } });
			} catch (error) {
				const nodeError = toNodeError(this, error, itemIndex, operation, keyMode);
				if (!this.continueOnFail()) throw nodeError;
				// The chat reference stays on the error item, so the workflow can still answer the customer.
				output.push({
					json: {
						error: nodeError.message,
						...(nodeError.description ? { description: nodeError.description } : {}),
						chatRef: (chatReferenceOf(json) ?? null) as IDataObject | null,
						messageId: typeof json.messageId === 'string' || typeof json.messageId === 'number' ? String(json.messageId) : null,
					},
					// `error` on the item is what routes it to the error output under "On Error: Continue (using error output)".
					error: nodeError,
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [output];
	}
}

function readCheckoutInput(context: IExecuteFunctions, itemIndex: number): CheckoutInput {
	const parameter = <T>(name: string, fallback: T): T => context.getNodeParameter(name, itemIndex, fallback) as T;
	const options = parameter<IDataObject>('options', {});
	const source = parameter<string>('lineItemSource', 'lookupKey');
	const listOf = (name: string) => parameter<IDataObject[]>(`${name}.items`, []);
	return {
		mode: parameter<string>('mode', 'payment'),
		lineItemSource: source,
		...(source === 'lookupKey' && { lookupKeyItems: listOf('lookupKeyItems') }),
		...(source === 'price' && { priceItems: listOf('priceItems') }),
		...(source === 'inline' && { inlineItems: listOf('inlineItems') }),
		...(source === 'json' && { lineItemsJson: parameter<unknown>('lineItemsJson', '[]') }),
		successUrl: parameter<string>('successUrl', ''),
		cancelUrl: parameter<string>('cancelUrl', ''),
		customerEmail: options.customerEmail,
		clientReferenceId: options.clientReferenceId,
		metadata: ((options.metadata as IDataObject | undefined)?.entries as IDataObject[] | undefined) ?? [],
		expiresInMinutes: options.expiresInMinutes,
		allowPromotionCodes: options.allowPromotionCodes,
		collectPhoneNumber: options.collectPhoneNumber,
		locale: options.locale,
		paymentMethodTypes: options.paymentMethodTypes,
		idempotencyKey: options.idempotencyKey,
	};
}

function toNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	operation: StripeOperation,
	keyMode: ReturnType<typeof keyModeOf>,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof CheckoutInputError) {
		return new NodeOperationError(context.getNode(), error.message, { itemIndex });
	}
	if (!isStripeError(error)) {
		return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
	const described = describeStripeError(error, { operation, keyMode });
	return new NodeApiError(context.getNode(), described.facts as JsonObject, {
		message: described.message,
		description: described.description,
		httpCode: described.httpCode,
		itemIndex,
	});
}
