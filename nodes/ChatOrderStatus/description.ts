import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_STATUS_TEXTS } from '../shared/order/orderList';
import { optionsCollection } from '../shared/optionsCollection';

const statusTextOptions: INodeProperties[] = (Object.keys(DEFAULT_STATUS_TEXTS) as Array<keyof typeof DEFAULT_STATUS_TEXTS>)
	.sort()
	.map((key) => ({
		displayName: key.replace(/_/g, ' ').replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
		name: key,
		type: 'string',
		default: '',
		placeholder: DEFAULT_STATUS_TEXTS[key],
		description: 'Leave empty for the built-in text (shown as the placeholder). Placeholders in braces are filled in.',
	}));

export const chatOrderStatusProperties: INodeProperties[] = [
	{
		displayName:
			'Input: the order rows of the chat that asked (in the template, "Load my orders": the orders table filtered by the chat\'s channel, account and user). Only rows of that chat are ever listed.',
		name: 'inputNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Chat',
		name: 'chat',
		type: 'json',
		default: '={{ $json.chatRef }}',
		description:
			'The chat that asked (its chat reference), e.g. the chatRef of the Read order item. Rows of any other chat are dropped; with no rows, the customer is told they have no orders yet.',
	},
	optionsCollection([
		{
			displayName: 'Most Orders Listed',
			name: 'max',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 5,
			description: 'The newest orders first',
		},
		{
			displayName: 'Texts',
			name: 'texts',
			type: 'collection',
			placeholder: 'Change a Text',
			default: {},
			description: 'Your own words (or language) for the list and each state of an order',
			options: statusTextOptions,
		},
	]),
];
