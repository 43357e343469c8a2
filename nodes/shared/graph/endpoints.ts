/**
 * Where messages are sent and how Meta's answer names the message that was created.
 *
 * WhatsApp: `POST {root}/{phone-number-id}/messages`.
 * Instagram: two setups exist. Instagram Login (host graph.instagram.com, Instagram user token) takes
 * `POST {root}/{ig-account-id}/messages`. Facebook Login (host graph.facebook.com, Page token) identifies the
 * sender by the Page token and takes `POST {root}/me/messages` — the Instagram account id is not a node that
 * accepts messages on graph.facebook.com. So `auto` picks `/me/messages` when the credential's Base URL is on
 * facebook.com and `/{account-id}/messages` otherwise (graph.instagram.com, a proxy or a sandbox);
 * the node's "Instagram Send Path" option overrides it.
 */
import type { ChatChannel } from '../chatReference';
import { parseUrl } from '../url';

export type InstagramSendPath = 'auto' | 'accountId' | 'me';

function isFacebookHost(baseUrl: string): boolean {
	const host = parseUrl(baseUrl)?.hostname.toLowerCase();
	return host !== undefined && (host === 'facebook.com' || host.endsWith('.facebook.com'));
}

/** Path below the Graph root (base URL + version) of the send endpoint. */
export function messagesPath(
	channel: ChatChannel,
	senderAccountId: string,
	options: { baseUrl?: string; instagramSendPath?: InstagramSendPath } = {},
): string {
	const byAccount = `/${encodeURIComponent(senderAccountId)}/messages`;
	if (channel === 'whatsapp') return byAccount;
	const mode = options.instagramSendPath ?? 'auto';
	if (mode === 'me') return '/me/messages';
	if (mode === 'accountId') return byAccount;
	return isFacebookHost(options.baseUrl ?? 'https://graph.facebook.com') ? '/me/messages' : byAccount;
}

/** Meta's id of the sent message: WhatsApp `messages[0].id` (wamid…), Instagram `message_id` (mid…). */
export function sentMessageId(channel: ChatChannel, body: unknown): string | null {
	let parsed = body;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return null;
		}
	}
	if (typeof parsed !== 'object' || parsed === null) return null;
	const record = parsed as Record<string, unknown>;
	if (channel === 'whatsapp') {
		const first = Array.isArray(record.messages) ? (record.messages[0] as Record<string, unknown> | undefined) : undefined;
		return typeof first?.id === 'string' ? first.id : null;
	}
	return typeof record.message_id === 'string' ? record.message_id : null;
}
