/**
 * The WhatsApp and the Instagram trigger are one node for two channels: each node file names its channel
 * (what the operator sees and what differs on the wire) and gets its class from here, so nothing of a trigger
 * is written twice.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operatorManagedWebhook } from '../operatorManagedWebhook';
import { beginTurnRun } from '../turns/turnRun';
import type { MetaChannel } from './metaTrigger';
import { META_TRIGGER_WEBHOOKS, handleMetaWebhook, metaTriggerProperties } from './metaTrigger';

/** How the node shows in n8n's editor. */
export interface MetaTriggerLook {
	displayName: string;
	name: string;
	/** The icons/<icon>.svg and icons/<icon>.dark.svg files. */
	icon: string;
	subtitle: string;
	description: string;
}

export function metaTriggerNode(channel: MetaChannel, look: MetaTriggerLook) {
	return class MetaTrigger implements INodeType {
		description: INodeTypeDescription = {
			displayName: look.displayName,
			name: look.name,
			icon: { light: `file:../../icons/${look.icon}.svg`, dark: `file:../../icons/${look.icon}.dark.svg` },
			group: ['trigger'],
			// Version 2: n8n no longer evaluates an expression on every request before the node runs (see README,
			// "Node versions"); version 1 stays for the workflows that use it.
			version: [1, 2],
			defaultVersion: 2,
			subtitle: look.subtitle,
			description: look.description,
			defaults: { name: look.displayName },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: channel.credentialName, required: true }],
			webhooks: META_TRIGGER_WEBHOOKS,
			properties: metaTriggerProperties(channel),
		};

		// The URL is registered by hand in the provider's dashboard (see the notice): nothing to do here.
		webhookMethods = { default: operatorManagedWebhook };

		async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
			return await handleMetaWebhook.call(this, channel);
		}

		// Called by n8n on the worker when the run starts, with what webhook() emitted: one run per chat at a
		// time, and the turn kept so that a run whose worker dies can be resumed (see shared/turns/).
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return await beginTurnRun.call(this, channel.label);
		}
	};
}
