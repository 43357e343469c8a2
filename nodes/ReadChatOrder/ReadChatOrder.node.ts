import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { announcePackProcess } from '../shared/redis/packProcesses';
import { readChatOrderProperties } from './description';
import { executeReadChatOrder } from './execute';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

// Not offered as an AI agent tool: it needs the catalog on a second input and a chat model of its own,
// which an agent's tool call cannot give it.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ReadChatOrder implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read Chat Order',
		name: 'readChatOrder',
		icon: { light: 'file:../../icons/order.svg', dark: 'file:../../icons/order.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Order from a chat message',
		description:
			'Reads a customer\'s chat messages against your catalog with a chat model, keeps the pending order and says what to do next: check out, ask, cancel, show their orders, manage a subscription, or hand over to a person',
		defaults: { name: 'Read Chat Order' },
		inputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Chat' },
			{ type: NodeConnectionTypes.Main, displayName: 'Catalog' },
			{ type: NodeConnectionTypes.AiLanguageModel, displayName: 'Chat Model', maxConnections: 1, required: true },
		],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Checkout' },
			{ type: NodeConnectionTypes.Main, displayName: 'Reply' },
			{ type: NodeConnectionTypes.Main, displayName: 'Cancel' },
			{ type: NodeConnectionTypes.Main, displayName: 'Order Status' },
			{ type: NodeConnectionTypes.Main, displayName: 'Manage Subscription' },
			{ type: NodeConnectionTypes.Main, displayName: 'Human' },
		],
		properties: readChatOrderProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadChatOrder.call(this);
	}
}
