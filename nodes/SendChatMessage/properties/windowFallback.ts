/** Send Chat Message: the template sent instead when WhatsApp's 24-hour window is closed (see shared/graph/customerServiceWindow.ts). */
import type { INodeProperties } from 'n8n-workflow';

import { templateParameterCollection } from './message';

export const windowFallbackProperties: INodeProperties[] = [
	{
		displayName: 'Send Template When 24-Hour Window Is Closed',
		name: 'windowClosedFallback',
		type: 'boolean',
		default: false,
		description:
			'Whether to send an approved template instead when WhatsApp refuses the message because the customer last wrote more than 24 h ago (error 131047). WhatsApp only; Instagram has no templates.',
		displayOptions: {
			show: { messageType: ['text', 'link', 'buttons'] },
			hide: { channel: ['instagram'] },
		},
	},
	{
		displayName: 'Fallback Template Name',
		name: 'fallbackTemplateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. order_follow_up',
		description: 'Name of a template approved in WhatsApp Manager → Message templates',
		displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
	},
	{
		displayName: 'Fallback Template Language',
		name: 'fallbackTemplateLanguage',
		type: 'string',
		required: true,
		default: 'en_US',
		description: 'Language code of the approved template, e.g. en_US, de, pt_BR',
		displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
	},
	{
		...templateParameterCollection(
			'fallbackTemplateParameters',
			'Fallback Template Parameters',
			'Values for the fallback template body\'s {{1}}, {{2}}, … in order (at most 20, none empty)',
		),
		default: {},
		displayOptions: { show: { windowClosedFallback: [true], messageType: ['text', 'link', 'buttons'] } },
	},
];
