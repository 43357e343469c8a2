/**
 * The lines of a conversation as the chat page shows them: what the customer said (through the page) and what
 * the shop sent (the Graph simulator's sends), and which customer an n8n execution served.
 */

export type Channel = 'whatsapp' | 'instagram';

/** One line of a conversation as the page shows it. */
export interface ChatEntry {
	/** Unique per entry (the page uses it to skip repeats). */
	key: string;
	from: 'customer' | 'shop';
	channel: Channel;
	customer: string;
	/** ISO time. */
	at: string;
	/** customer: what they typed (or the tapped button's title) */
	text?: string;
	/** customer: the button / quick reply they tapped */
	reply?: { id: string; title: string };
	/** customer: HTTP status n8n answered the signed webhook with */
	status?: number;
	/** shop: the id the Graph simulator answered with (wamid / mid) */
	messageId?: string | null;
	/** shop: the Graph API request body exactly as n8n sent it */
	body?: Record<string, unknown>;
}

/** A send the Graph simulator recorded, as far as the page reads it. */
export interface GraphSend {
	at: string;
	channel: Channel;
	/** null for a mark-as-read */
	to: string | null;
	messageId?: string | null;
	body?: Record<string, unknown>;
}

/** A Graph send that is a message a customer sees (not a read receipt, typing indicator or sender action). */
export function isChatMessage(send: Pick<GraphSend, 'channel' | 'body'>): boolean {
	const body = send.body ?? {};
	if (send.channel === 'whatsapp') return !body.status;
	return body.sender_action === undefined;
}

export function shopEntry(send: GraphSend): ChatEntry {
	return {
		key: `shop:${send.messageId ?? `${send.at}:${send.to}`}`,
		from: 'shop',
		channel: send.channel,
		customer: String(send.to),
		at: send.at,
		messageId: send.messageId,
		body: send.body,
	};
}

/** Reads a path of properties of an execution's open JSON, undefined where one is missing. */
const at = (value: unknown, ...path: string[]): unknown =>
	path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The customer (chatRef.userId) of a finished execution: the first item that carries a chat reference. */
export function customerOfExecution(execution: unknown): { channel: string; customer: string } | null {
	const runData = at(execution, 'data', 'resultData', 'runData');
	for (const runs of Object.values(runData !== null && typeof runData === 'object' ? runData : {})) {
		for (const run of list(runs)) {
			for (const output of list(at(run, 'data', 'main'))) {
				for (const item of list(output)) {
					const ref = at(item, 'json', 'chatRef');
					const userId = at(ref, 'userId');
					const channel = at(ref, 'channel');
					if (typeof userId === 'string' && typeof channel === 'string') return { channel, customer: userId };
				}
			}
		}
	}
	return null;
}
