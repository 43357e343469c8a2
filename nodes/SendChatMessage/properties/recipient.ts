/** Send Chat Message: where the message goes (the item's chat, or a channel and recipient typed in). */
import type { INodeProperties } from 'n8n-workflow';

export const recipientProperties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'destination',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Reply to the Chat on the Item',
				value: 'chatRef',
				description:
					'Answers the chat in the item\'s chatRef, set by the WhatsApp/Instagram Trigger, Stripe Checkout and Stripe Webhook Verify',
			},
			{
				name: 'Set Explicitly',
				value: 'explicit',
				description: 'Choose the channel and type the recipient ID',
			},
		],
		default: 'chatRef',
	},
	{
		displayName: 'Chat (When Not on the Item)',
		name: 'chat',
		type: 'json',
		default: '',
		placeholder: "e.g. {{ $('WhatsApp Trigger').item.json.chatRef }}",
		description:
			'The chat reference to answer, mapped from an earlier node, for items that do not carry one: n8n keeps only the error message on the items of an error output. Empty: the item\'s own chatRef.',
		displayOptions: { show: { destination: ['chatRef'] } },
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Instagram', value: 'instagram' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'whatsapp',
		displayOptions: { show: { destination: ['explicit'] } },
	},
	{
		displayName: 'Recipient ID',
		name: 'recipientId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4915112345678',
		description:
			'WhatsApp: the customer\'s wa_id (phone number with country code, digits only). Instagram: the customer\'s Instagram-scoped ID (IGSID). The message is sent from the account in the selected credential.',
		displayOptions: { show: { destination: ['explicit'] } },
	},
];
