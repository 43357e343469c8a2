import { normaliseInstagramPayload } from '../shared/meta/instagramPayload';
import type { MetaChannel } from '../shared/meta/metaTrigger';
import { metaTriggerNode } from '../shared/meta/metaTriggerNode';
import { announcePackProcess } from '../shared/redis/packProcesses';

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

export class InstagramTrigger extends metaTriggerNode(instagram, {
	displayName: 'Instagram Trigger',
	name: 'instagramTrigger',
	icon: 'instagram',
	subtitle: '=DMs to {{$parameter["options"]["accountIds"] || "any account"}}',
	description: 'Starts the workflow when a customer sends a direct message to your Instagram professional account',
}) {}
