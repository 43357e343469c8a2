/** Who an item's message goes to, from which account, with which credential: the item's chat or the node's fields. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CHAT_REF_FIELD, chatReferenceOf, isChatChannel } from '../shared/chatReference';
import type { ChatChannel, ChatReference } from '../shared/chatReference';
import type { InstagramCredentialData, WhatsAppCredentialData } from '../shared/meta/credentialFields';
import { normaliseInstagramRecipient } from '../shared/graph/instagramMessages';
import { normaliseWhatsAppRecipient } from '../shared/graph/whatsappMessages';
import { parameterText } from './parameters';

export const CHANNEL_CREDENTIALS = {
	whatsapp: { type: 'chatCheckoutWhatsAppApi', name: 'WhatsApp Cloud API', accountField: 'Phone Number ID' },
	instagram: { type: 'chatCheckoutInstagramApi', name: 'Instagram Messaging API', accountField: 'Instagram Account ID' },
} as const;

export const CHANNEL_NAMES: Record<ChatChannel, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram' };

export interface Target {
	channel: ChatChannel;
	recipient: string;
	/** The account that sends: chatRef.accountId when replying, the credential's account otherwise. */
	senderAccountId: string;
	credentialAccountId: string;
	credentials: WhatsAppCredentialData | InstagramCredentialData;
}

function explicitRecipient(ctx: IExecuteFunctions, itemIndex: number): { channel: ChatChannel; recipient: string } {
	const chosen = parameterText(ctx.getNodeParameter('channel', itemIndex, 'whatsapp')).trim().toLowerCase();
	if (!isChatChannel(chosen)) {
		throw new NodeOperationError(ctx.getNode(), `"Channel" must be whatsapp or instagram, not "${chosen}"`, {
			itemIndex,
			description: 'Field: "Channel". Checked before sending, so nothing was sent.',
		});
	}
	const raw = parameterText(ctx.getNodeParameter('recipientId', itemIndex, ''));
	const recipient = chosen === 'whatsapp' ? normaliseWhatsAppRecipient(raw) : normaliseInstagramRecipient(raw);
	return { channel: chosen, recipient };
}

/** "Chat (When Not on the Item)": a chat reference mapped from an earlier node, as an object or JSON text. */
function mappedChat(ctx: IExecuteFunctions, itemIndex: number): ChatReference | undefined {
	const value = ctx.getNodeParameter('chat', itemIndex, '') as unknown;
	if (value === '' || value === undefined || value === null) return undefined;
	const ref = chatReferenceOf({ [CHAT_REF_FIELD]: typeof value === 'string' ? jsonOrText(value) : value });
	if (ref) return ref;
	throw new NodeOperationError(ctx.getNode(), '"Chat (When Not on the Item)" is not a chat reference', {
		itemIndex,
		description:
			'Map the chatRef of a node that has one, e.g. {{ $(\'WhatsApp Trigger\').item.json.chatRef }}: { channel: "whatsapp" | "instagram", accountId, userId }. Checked before sending, so nothing was sent.',
	});
}

function jsonOrText(value: string): unknown {
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

function chatOfItem(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): ChatReference {
	const ref = mappedChat(ctx, itemIndex) ?? chatReferenceOf(json);
	if (ref) return ref;
	const present = json[CHAT_REF_FIELD] !== undefined && json[CHAT_REF_FIELD] !== null;
	throw new NodeOperationError(
		ctx.getNode(),
		present
			? `The item's "${CHAT_REF_FIELD}" field is not a valid chat reference`
			: `The item has no chat reference ("${CHAT_REF_FIELD}" field), so there is no chat to reply to`,
		{
			itemIndex,
			description: `"Reply to the Chat on the Item" needs json.${CHAT_REF_FIELD} = { channel: "whatsapp" | "instagram", accountId, userId } (or, on a row of the template's tables, its channel, accountId and userId columns). Put the WhatsApp Trigger, Instagram Trigger, Stripe Checkout or Stripe Webhook Verify node before this one (they all set it and keep it), make sure nodes in between keep the field, or set "Send To" to "Set Explicitly".`,
		},
	);
}

async function channelCredentials(ctx: IExecuteFunctions, channel: ChatChannel, itemIndex: number) {
	const credential = CHANNEL_CREDENTIALS[channel];
	if (!ctx.getNode().credentials?.[credential.type]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`This item's chat is on ${CHANNEL_NAMES[channel]}, but no ${credential.name} credential is selected on this node`,
			{
				itemIndex,
				description: `Open the node and select a "${credential.name}" credential (type ${credential.type}). A node only needs the credentials of the channels its items come from.`,
			},
		);
	}
	const credentials = (await ctx.getCredentials(credential.type, itemIndex)) as unknown as
		| WhatsAppCredentialData
		| InstagramCredentialData;
	const accountId = parameterText(
		channel === 'whatsapp'
			? (credentials as WhatsAppCredentialData).phoneNumberId
			: (credentials as InstagramCredentialData).accountId,
	).trim();
	return { credentials, accountId };
}

export async function resolveTarget(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): Promise<Target> {
	const destination = ctx.getNodeParameter('destination', itemIndex, 'chatRef') as string;
	const ref = destination === 'explicit' ? undefined : chatOfItem(ctx, json, itemIndex);
	const { channel, recipient } = ref ? { channel: ref.channel, recipient: ref.userId } : explicitRecipient(ctx, itemIndex);
	const { credentials, accountId: credentialAccountId } = await channelCredentials(ctx, channel, itemIndex);
	const senderAccountId = ref ? ref.accountId : credentialAccountId;
	if (senderAccountId === '') {
		const credential = CHANNEL_CREDENTIALS[channel];
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${credential.name} credential has no ${credential.accountField}`,
			{ itemIndex, description: `Fill in "${credential.accountField}" in the ${credential.name} credential.` },
		);
	}
	return { channel, recipient, senderAccountId, credentialAccountId, credentials };
}
