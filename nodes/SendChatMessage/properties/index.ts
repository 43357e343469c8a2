/** Send Chat Message's parameters, in the order the node shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { messageProperties } from './message';
import { recipientProperties } from './recipient';
import { settingsProperties } from './settings';
import { windowFallbackProperties } from './windowFallback';

export const sendChatMessageProperties: INodeProperties[] = [
	...recipientProperties,
	...messageProperties,
	...windowFallbackProperties,
	...settingsProperties,
];
