import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { MetaChannel } from '../shared/meta/metaTrigger';
import { META_TRIGGER_WEBHOOKS, handleMetaWebhook, metaTriggerProperties } from '../shared/meta/metaTrigger';
import { normaliseWhatsAppPayload } from '../shared/meta/whatsAppPayload';
import { operatorManagedWebhook } from '../shared/operatorManagedWebhook';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { beginTurnRun } from '../shared/turns/turnRun';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

const whatsApp: MetaChannel = {
	channel: 'whatsapp',
	label: 'WhatsApp',
	credentialName: 'chatCheckoutWhatsAppApi',
	normalise: normaliseWhatsAppPayload,
	optionalEvents: [
		{ name: 'Delivery Statuses', value: 'status', description: 'Sent, delivered, read and failed (with Meta\'s error code and title)' },
		{ name: 'Reactions', value: 'reaction', description: 'A customer reacting to a message with an emoji' },
	],
	accountFilterLabel: 'Only These Phone Number IDs',
	setupSteps:
		'Setup in Meta\'s App Dashboard (this node does not change your app\'s subscription): 1) WhatsApp → Configuration → Webhook → Edit: Callback URL = this node\'s Production URL (above), Verify token = the one in the credential; 2) publish this workflow first, then click "Verify and save"; 3) Webhook fields: subscribe to "messages".',
};

export class WhatsAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Trigger',
		name: 'whatsAppTrigger',
		icon: { light: 'file:../../icons/whatsapp.svg', dark: 'file:../../icons/whatsapp.dark.svg' },
		group: ['trigger'],
		// Version 2: n8n no longer evaluates an expression on every request before the node runs (see README,
		// "Node versions"); version 1 stays for the workflows that use it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '=Messages to {{$parameter["options"]["accountIds"] || "any number"}}',
		description: 'Starts the workflow when a customer writes to your WhatsApp Business number (Cloud API)',
		defaults: { name: 'WhatsApp Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatCheckoutWhatsAppApi', required: true }],
		webhooks: META_TRIGGER_WEBHOOKS,
		properties: metaTriggerProperties(whatsApp),
	};

	// The URL is registered by hand in the provider's dashboard (see the notice): nothing to do here.
	webhookMethods = { default: operatorManagedWebhook };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleMetaWebhook.call(this, whatsApp);
	}

	// Called by n8n on the worker when the run starts, with what webhook() emitted: one run per chat at a time,
	// and the turn kept so that a run whose worker dies can be resumed (see shared/turns/).
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await beginTurnRun.call(this, whatsApp.label);
	}
}
