/** Create: where the order's line items come from, and each source's fields (only the chosen one shows). */
import type { INodeProperties } from 'n8n-workflow';

export const lineItemProperties: INodeProperties[] = [
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
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'] } },
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
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'] } },
	},
	{
		displayName: 'Price Lookup Keys',
		name: 'lookupKeyItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Item',
		default: { items: [{ lookupKey: '', quantity: 1 }] },
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'], lineItemSource: ['lookupKey'] } },
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
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'], lineItemSource: ['price'] } },
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
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'], lineItemSource: ['inline'] } },
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
		displayOptions: { show: { resource: ['checkoutSession'], operation: ['create'], lineItemSource: ['json'] } },
		description:
			'Array in Stripe\'s line_items shape: {"price": "price_…", "quantity": 1} or {"price_data": {"currency": "usd", "unit_amount": 1999, "product_data": {"name": "Latte"}}, "quantity": 1}. unit_amount is in minor units (cents).',
	},
];
