/** Send Chat Message: what is sent (text, link button, reply buttons or a WhatsApp template). */
import type { INodeProperties } from 'n8n-workflow';

/** Values for a template body's {{1}}, {{2}}, …; used by the template and its 24-hour fallback. */
export const templateParameterCollection = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Parameter',
	default: {},
	description,
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{
					displayName: 'Text',
					name: 'text',
					type: 'string',
					default: '',
					description: 'Value for the next {{n}} placeholder of the template body; no line breaks or tabs',
				},
			],
		},
	],
});

export const messageProperties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Link Button',
				value: 'link',
				description:
					'Text with one button that opens a URL, e.g. the Stripe Checkout link (WhatsApp CTA URL button, Instagram button template)',
			},
			{
				name: 'Reply Buttons',
				value: 'buttons',
				description: 'Text with 1–3 tappable answers (WhatsApp reply buttons, Instagram quick replies)',
			},
			{
				name: 'Template (WhatsApp Only)',
				value: 'template',
				description: 'An approved template: the only thing WhatsApp delivers more than 24 h after the customer last wrote',
			},
			{ name: 'Text', value: 'text', description: 'A plain text message' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description:
			'Message text. Limits: WhatsApp 4096 characters (1024 with buttons), Instagram 1000 bytes (640 characters with a link button).',
		displayOptions: { show: { messageType: ['text', 'link', 'buttons'] } },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://checkout.stripe.com/c/pay/…',
		description: 'The http(s) link the button opens',
		hint: 'After Stripe Checkout (Create Checkout Session): {{ $json.url }}',
		displayOptions: { show: { messageType: ['link'] } },
	},
	{
		displayName: 'Send as Plain Text + URL Instead',
		name: 'linkAsPlainText',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the text followed by the URL as a plain text message instead of a button (for customers whose app does not show buttons, e.g. Instagram on the web)',
		displayOptions: { show: { messageType: ['link'] } },
	},
	{
		displayName: 'Button Label',
		name: 'buttonLabel',
		type: 'string',
		required: true,
		default: 'Pay now',
		description: 'Text on the button, at most 20 characters',
		displayOptions: { show: { messageType: ['link'], linkAsPlainText: [false] } },
	},
	{
		displayName: 'Buttons From',
		name: 'buttonsSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'The same buttons for every item' },
			{
				name: 'JSON',
				value: 'json',
				description: 'A list per item, e.g. the "buttons" of Read Chat Order; an empty list sends the text alone',
			},
		],
		default: 'fields',
		displayOptions: { show: { messageType: ['buttons'] } },
	},
	{
		displayName: 'Buttons (JSON)',
		name: 'buttonsJson',
		type: 'json',
		default: '={{ $json.buttons }}',
		description:
			'A list of 0 to 3 buttons, each an object with an ID and a title (as Read Chat Order outputs them). With none, the text goes out as a plain text message.',
		displayOptions: { show: { messageType: ['buttons'], buttonsSource: ['json'] } },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Button',
		default: {},
		description: '1 to 3 answers the customer can tap',
		displayOptions: { show: { messageType: ['buttons'], buttonsSource: ['fields'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'What the button shows and what the customer sends back, at most 20 characters',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description:
							'What your workflow receives when it is tapped (WhatsApp reply ID ≤256 characters, Instagram quick-reply payload). Empty: the title.',
					},
				],
			},
		],
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. order_payment_link',
		description: 'Name of a template approved in WhatsApp Manager → Message templates',
		displayOptions: { show: { messageType: ['template'] } },
	},
	{
		displayName: 'Template Language',
		name: 'templateLanguage',
		type: 'string',
		required: true,
		default: 'en_US',
		description: 'Language code of the approved template, e.g. en_US, de, pt_BR',
		displayOptions: { show: { messageType: ['template'] } },
	},
	{
		...templateParameterCollection(
			'templateParameters',
			'Template Parameters',
			'Values for the template body\'s {{1}}, {{2}}, … in order (at most 20, none empty)',
		),
		default: {},
		displayOptions: { show: { messageType: ['template'] } },
	},
];
