import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ChatReference } from '../shared/chatReference';
import { chatReferenceOf } from '../shared/chatReference';
import { DEFAULT_STATUS_TEXTS, listChatOrders } from '../shared/order/orderList';
import { withOverrides } from '../shared/order/texts';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { chatOrderStatusProperties } from './description';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

const sameChat = (a: ChatReference, b: ChatReference) => a.channel === b.channel && a.accountId === b.accountId && a.userId === b.userId;

export class ChatOrderStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Order Status',
		name: 'chatOrderStatus',
		icon: { light: 'file:../../icons/order.svg', dark: 'file:../../icons/order.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'List a customer\'s orders',
		description: 'Answers "where is my order?": the asking chat\'s order rows as one message, each with its state',
		defaults: { name: 'Chat Order Status' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: chatOrderStatusProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const asked = items.map((item, itemIndex) => {
			const chat = this.getNodeParameter('chat', itemIndex, '') as unknown;
			const asking = typeof chat === 'object' && chat !== null ? chatReferenceOf({ chatRef: chat }) : undefined;
			return { row: item.json, asking, itemIndex };
		});
		const lists = listChatOrders(asked, { max: Number(options.max ?? 5), texts: withOverrides(DEFAULT_STATUS_TEXTS, (options.texts as IDataObject) ?? {}) });
		return [
			lists.map((list) => ({
				json: { chatRef: list.chatRef as unknown as IDataObject, reply: list.reply, orders: list.orders as unknown as IDataObject[] },
				// Paired with every row of that chat, so expressions downstream find the turn that asked.
				pairedItem: asked.filter((a) => a.asking && sameChat(a.asking, list.chatRef)).map((a) => ({ item: a.itemIndex })),
			})),
		];
	}
}
