import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatReference } from '../chatReference';
import { chatReferenceOf } from '../chatReference';
import { warnEvery } from '../warnOnce';
import type { ChatTurn } from './chatTurnLease';
import { TURN_READ_TTL_MS, acquireChatTurn, extendChatTurn, releaseChatTurn } from './chatTurnLease';
import { markTurnAnswered, ownsTurn, recordTurnStart } from './turnRecords';

/**
 * What the pack's nodes do for a conversation turn while its run goes through the workflow (see
 * chatTurnLease.ts and turnRecords.ts): the trigger starts it, Read Chat Order keeps it, Send Chat Message ends
 * it. Nothing here changes an item; the editor's test runs (mode manual) are left alone.
 */
const MINUTE = 60_000;

export function chatTurnOf(ctx: IExecuteFunctions, chat: ChatReference): ChatTurn {
	return { workflowId: String(ctx.getWorkflow().id ?? ''), chatKey: `${chat.channel}:${chat.accountId}:${chat.userId}` };
}

/** The chats whose customer wrote, among the items (a turn is a customer message). */
function chatsOfTurns(items: INodeExecutionData[]): ChatReference[] {
	const chats = new Map<string, ChatReference>();
	for (const { json } of items) {
		const chat = json.event === 'message' ? chatReferenceOf(json) : undefined;
		if (chat) chats.set(`${chat.channel}:${chat.accountId}:${chat.userId}`, chat);
	}
	return [...chats.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, chat]) => chat); // a fixed order: no two runs wait on each other
}

/**
 * The Meta triggers' `execute`: n8n calls it on the worker when the run starts, with the items the trigger's
 * webhook emitted. Waits for the chat's previous turn, keeps the items for a resume, passes them on unchanged.
 */
export async function beginTurnRun(this: IExecuteFunctions, label: string): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const passOn = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
	if (this.getMode() === 'manual' || items.length === 0) return [passOn];
	const executionId = this.getExecutionId();
	for (const chat of chatsOfTurns(items)) {
		const lease = await acquireChatTurn(chatTurnOf(this, chat), executionId, { signal: this.getExecutionCancelSignal() });
		if (lease.ok && lease.waitedMs >= 1000) {
			this.logger.info(`${label} Trigger: this turn waited ${Math.round(lease.waitedMs / 100) / 10} s for the chat's previous turn to be answered`);
		} else if (!lease.ok && lease.reason === 'held') {
			this.logger.warn(
				`${label} Trigger: the chat's previous turn (execution ${lease.heldBy}) was still running after ${Math.round(lease.waitedMs / 1000)} s; this turn runs alongside it, so one answer may be built on the order as it was before the other turn`,
			);
		} else if (!lease.ok) {
			warnEvery(this.logger, 'turn-lease', MINUTE, `${label} Trigger: could not take the chat's turn in n8n's Redis (${lease.detail}); turns of one chat may run at the same time until it answers. Check the QUEUE_BULL_REDIS_* settings of this n8n process.`);
		}
	}
	const recorded = await recordTurnStart(String(this.getWorkflow().id ?? ''), executionId, items.map((item) => item.json));
	if (!recorded.ok && recorded.reason === 'unavailable') {
		warnEvery(this.logger, 'turn-record', MINUTE, `${label} Trigger: could not keep this turn in n8n's Redis (${recorded.detail}); if this run's worker dies, the turn cannot be resumed.`);
	}
	return [passOn];
}

/** Read Chat Order: the turn is being read; keep the chat's lease through the model call, Stripe and the send. */
export async function keepChatTurns(ctx: IExecuteFunctions, messages: IDataObject[]): Promise<void> {
	if (ctx.getMode() === 'manual') return;
	const seen = new Set<string>();
	for (const message of messages) {
		const chat = chatReferenceOf(message);
		if (!chat) continue;
		const turn = chatTurnOf(ctx, chat);
		if (seen.has(turn.chatKey)) continue;
		seen.add(turn.chatKey);
		const kept = await extendChatTurn(turn, ctx.getExecutionId(), TURN_READ_TTL_MS);
		if (!kept.ok && kept.reason === 'held') {
			ctx.logger.warn(`Read Chat Order: another turn of this chat (execution ${kept.heldBy}) started while this one was on its way here; both answer`);
		}
	}
}

/** Send Chat Message, before sending: refuses when this run's turn was resumed by another run. */
export async function assertTurnStillOurs(ctx: IExecuteFunctions, itemIndex: number): Promise<void> {
	if (ctx.getMode() === 'manual') return;
	const ours = await ownsTurn(String(ctx.getWorkflow().id ?? ''), ctx.getExecutionId());
	if (ours.owns) return;
	throw new NodeOperationError(ctx.getNode(), `Not sent: n8n reported this run as failed and its turn was resumed by execution ${ours.by}`, {
		itemIndex,
		description:
			'n8n gave up on this run (its worker stopped answering for longer than QUEUE_WORKER_LOCK_DURATION) and the workflow\'s "Resume Crashed Turn" started the turn again; that run answers the customer, so this one does not, to avoid a second message.',
	});
}

/** Send Chat Message, after a send (sent or failed for good): the chat's next turn may start; answered if sent. */
export async function endChatTurn(ctx: IExecuteFunctions, chat: ChatReference, sent: boolean): Promise<void> {
	if (ctx.getMode() === 'manual') return;
	const executionId = ctx.getExecutionId();
	await releaseChatTurn(chatTurnOf(ctx, chat), executionId);
	if (sent) await markTurnAnswered(String(ctx.getWorkflow().id ?? ''), executionId);
}
