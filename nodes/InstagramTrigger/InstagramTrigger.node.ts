import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { normaliseInstagramPayload } from '../shared/meta/instagramPayload';
import type { MetaChannel } from '../shared/meta/metaTrigger';
import { META_TRIGGER_WEBHOOKS, handleMetaWebhook, metaTriggerProperties } from '../shared/meta/metaTrigger';
import { operatorManagedWebhook } from '../shared/operatorManagedWebhook';
import { announcePackProcess } from '../shared/redis/packProcesses';
import { beginTurnRun } from '../shared/turns/turnRun';

// In queue mode every n8n process with this pack says so in n8n's Redis (see packProcesses.ts).
announcePackProcess();

const instagram: MetaChannel = {
	channel: 'instagram',
	label: 'Instagram',
	credentialName: 'chatCheckoutInstagramApi',
	normalise: normaliseInstagramPayload,
	optionalEvents: [
		{ name: 'Echoes of Our Own Messages', value: 'echo', description: 'Messages the business account sent (is_echo)' },
		{ name: 'Reads', value: 'read', description: 'The customer read a message' },
		{ name: 'Reactions', value: 'reaction', description: 'The customer reacted to a message or removed a reaction' },
		{ name: 'Deletions', value: 'deletion', description: 'The customer unsent a message' },
		{
			name: 'Edited Messages',
			value: 'edit',
			description: 'The customer edited a message: emitted as a message with edited: true, the new text and the original message ID (subscribe to "message_edit")',
		},
	],
	accountFilterLabel: 'Only These Instagram Account IDs',
	setupSteps:
		'Setup in Meta\'s App Dashboard (this node does not change your app\'s subscription): 1) Instagram → Webhooks (or Products → Webhooks → Instagram): Callback URL = this node\'s Production URL (above), Verify token = the one in the credential; 2) publish this workflow first, then click "Verify and save"; 3) subscribe to the "messages" field (and "messaging_postbacks", plus "message_reactions"/"messaging_seen"/"message_edit" if you emit them); 4) the account must allow message access (Instagram app → Settings → Messages → Connected tools).',
};

export class InstagramTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Instagram Trigger',
		name: 'instagramTrigger',
		icon: { light: 'file:../../icons/instagram.svg', dark: 'file:../../icons/instagram.dark.svg' },
		group: ['trigger'],
		// Version 2: n8n no longer evaluates an expression on every request before the node runs (see README,
		// "Node versions"); version 1 stays for the workflows that use it.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '=DMs to {{$parameter["options"]["accountIds"] || "any account"}}',
		description: 'Starts the workflow when a customer sends a direct message to your Instagram professional account',
		defaults: { name: 'Instagram Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'chatCheckoutInstagramApi', required: true }],
		webhooks: META_TRIGGER_WEBHOOKS,
		properties: metaTriggerProperties(instagram),
	};

	// The URL is registered by hand in the provider's dashboard (see the notice): nothing to do here.
	webhookMethods = { default: operatorManagedWebhook };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleMetaWebhook.call(this, instagram);
	}

	// Called by n8n on the worker when the run starts, with what webhook() emitted: one run per chat at a time,
	// and the turn kept so that a run whose worker dies can be resumed (see shared/turns/).
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await beginTurnRun.call(this, instagram.label);
	}
}
