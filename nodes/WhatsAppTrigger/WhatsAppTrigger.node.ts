import type { MetaChannel } from '../shared/meta/metaTrigger';
import { metaTriggerNode } from '../shared/meta/metaTriggerNode';
import { normaliseWhatsAppPayload } from '../shared/meta/whatsAppPayload';
import { announcePackProcess } from '../shared/redis/packProcesses';

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

export class WhatsAppTrigger extends metaTriggerNode(whatsApp, {
	displayName: 'WhatsApp Trigger',
	name: 'whatsAppTrigger',
	icon: 'whatsapp',
	subtitle: '=Messages to {{$parameter["options"]["accountIds"] || "any number"}}',
	description: 'Starts the workflow when a customer writes to your WhatsApp Business number (Cloud API)',
}) {}
