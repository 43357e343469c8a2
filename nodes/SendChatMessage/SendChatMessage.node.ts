import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CHAT_REF_FIELD, chatReferenceOf } from '../shared/chatReference';
import { runForEachItem } from '../shared/perItem';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { sendChatMessageProperties } from './properties';
import { sendForItem } from './sendMessage';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

export class SendChatMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Chat Message',
		name: 'sendChatMessage',
		icon: { light: 'file:../../icons/chat.svg', dark: 'file:../../icons/chat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Send " + $parameter["messageType"] }}',
		description:
			'Reply on WhatsApp or Instagram: text, a payment link button, reply buttons or a WhatsApp template',
		defaults: { name: 'Send Chat Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Neither credential is required: with "Reply to the Chat on the Item" the node needs only the credentials
		// of the channels its items come from, and names the missing one when an item needs it. In "Set
		// Explicitly" mode only the chosen channel's credential is shown. (`channel` is dropped from the
		// parameters while hidden, so both show in "Reply to the Chat on the Item" mode.)
		credentials: [
			{ name: 'chatCheckoutWhatsAppApi', required: false, displayOptions: { hide: { channel: ['instagram'] } } },
			{ name: 'chatCheckoutInstagramApi', required: false, displayOptions: { hide: { channel: ['whatsapp'] } } },
		],
		properties: sendChatMessageProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await runForEachItem(this, {
			run: async (itemIndex, json) => await sendForItem(this, itemIndex, json),
			// The chat reference stays on the error item, so the workflow can still answer the customer.
			keepOnError: (json) => {
				const chatRef = chatReferenceOf(json);
				return chatRef ? { [CHAT_REF_FIELD]: { ...chatRef } } : {};
			},
		});
		return [output];
	}
}
