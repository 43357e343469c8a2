/** Send Chat Message: options and the retry policy for throttled sends. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/optionsCollection';

export const settingsProperties: INodeProperties[] = [
	optionsCollection(
		[
			{
				displayName: 'Instagram Send Path',
				name: 'instagramSendPath',
				type: 'options',
				options: [
					{
						name: 'Auto (From the Credential\'s Base URL)',
						value: 'auto',
						description: 'Me path on graph.facebook.com, account ID path elsewhere',
					},
					{
						name: 'Account ID Path (Instagram Login)',
						value: 'accountId',
						description: 'POST /{Instagram account ID}/messages',
					},
					{
						name: 'Me Path (Facebook Login, Page Token)',
						value: 'me',
						description: 'POST /me/messages',
					},
				],
				default: 'auto',
				description: 'Which Instagram send endpoint to call; change it only when a proxy hides which host is behind the Base URL',
			},
			{
				displayName: 'Link Preview (WhatsApp)',
				name: 'previewUrl',
				type: 'boolean',
				default: false,
				description: 'Whether WhatsApp shows a preview of the first link in a text message',
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyToMessageId',
				type: 'string',
				default: '',
				placeholder: 'e.g. wamid.HBgM…',
				description:
					'WhatsApp only: the wamid of the customer\'s message to quote. Ignored for Instagram chats.',
				hint: 'Straight after the WhatsApp Trigger: {{ $json.messageId }}',
			},
		],
	),
	{
		displayName: 'Retry on Throttling',
		name: 'retry',
		type: 'collection',
		placeholder: 'Add Retry Setting',
		default: {},
		description:
			'When Meta throttles (130429, 131056, codes 4/17/32/613, HTTP 429) or fails with HTTP 500/502/503, the message is retried with exponential backoff and jitter. It is never retried when Meta may already have delivered it.',
		options: [
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description: 'Retries after the first attempt',
			},
			{
				displayName: 'Backoff Base (Ms)',
				name: 'baseDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description: 'Retry n waits a random time between 0 and base × 2^n milliseconds (unless Meta says how long)',
			},
			{
				displayName: 'Max Wait (Ms)',
				name: 'maxDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30000,
				description:
					'Longest single wait. When Meta asks (Retry-After) for a longer one, the item fails at once instead.',
			},
		],
	},
];
