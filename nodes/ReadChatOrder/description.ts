import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_REPLY_TEXTS } from '../shared/order/replies';
import { optionsCollection } from '../shared/optionsCollection';

/** Words that mean "let me talk to a person" in the customer's message (the model may flag it too). */
export const DEFAULT_HUMAN_KEYWORDS = 'human, person, agent, operator, representative, real person, speak to someone, talk to someone';


const replyTextOptions: INodeProperties[] = (Object.keys(DEFAULT_REPLY_TEXTS) as Array<keyof typeof DEFAULT_REPLY_TEXTS>)
	.sort()
	.map((key) => ({
		displayName: key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
		name: key,
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: DEFAULT_REPLY_TEXTS[key],
		description: 'Leave empty for the built-in text (shown as the placeholder). Placeholders in braces are filled in.',
	}));

export const readChatOrderProperties: INodeProperties[] = [
	{
		displayName:
			'Inputs: "Chat" gets one item per customer turn (in the template, the chat\'s row from the chats table); "Catalog" gets the catalog rows (key, name, kind, unitAmount, currency, interval, and optionally maxPerOrder, maxNights, unit, description, and retailerId: the product\'s ID in your WhatsApp catalog, default the key). Prices and limits come only from the catalog; the model only reads the customer\'s words, and a WhatsApp catalog cart is read without it.',
		name: 'inputsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Customer Message',
		name: 'message',
		type: 'json',
		required: true,
		default: '={{ $json }}',
		description:
			'The customer\'s turn as the WhatsApp or Instagram Trigger emits it (text, chatRef, messageId, reply). In the template: the "Customer message" item.',
	},
	{
		displayName: 'Pending Order',
		name: 'pendingOrder',
		type: 'string',
		default: '',
		description: 'The order understood so far in this chat, as this node last output it in "pending" (JSON text). Empty for none.',
	},
	{
		displayName: 'Open Checkout Session ID',
		name: 'openSessionId',
		type: 'string',
		default: '',
		description: 'The Checkout Session already sent to this chat and not yet paid (cs_…), if any. A changed order or a cancel makes it obsolete: it is then output as "replacesSessionId", for you to expire it.',
	},
	{
		displayName: 'Open Checkout URL',
		name: 'openCheckoutUrl',
		type: 'string',
		default: '',
		description: 'The link of that session, sent again if the customer confirms the same order',
	},
	optionsCollection([
		{
			displayName: 'Default Max Nights',
			name: 'maxNights',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'Longest stay one booking may span, for per-night catalog rows without a maxNights column',
		},
		{
			displayName: 'Default Max per Order',
			name: 'maxPerOrder',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: 'Most units (rooms, items, seats) one order may hold, for catalog rows without a maxPerOrder column',
		},
		{
			displayName: 'Forget Pending Order After (Hours)',
			name: 'idleHours',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 24,
			description: 'A pending order the customer has not touched for this long is set aside (they are told once). 0 = never.',
		},
		{
			displayName: 'Human Keywords',
			name: 'humanKeywords',
			type: 'string',
			default: DEFAULT_HUMAN_KEYWORDS,
			description:
				'Comma-separated words or phrases: a message containing one goes to the Human output without asking the model (the model may also recognise a request for a person). Empty: only the model decides.',
		},
		{
			displayName: 'Reply Texts',
			name: 'replyTexts',
			type: 'collection',
			placeholder: 'Change a Reply Text',
			default: {},
			description: 'Your own words (or language) for what the shop says',
			options: replyTextOptions,
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: 'e.g. Europe/Berlin',
			description: 'Where "today" is, for dates the customer gives and dates in the past. Empty = the workflow\'s time zone.',
		},
	]),
];
