import type { IDataObject } from 'n8n-workflow';

import { chatReferenceOf } from '../chatReference';
import type { ChatTurn } from './chatTurnLease';
import { acquireChatTurn, takeOverChatTurn } from './chatTurnLease';
import type { TakeOver } from './turnRecords';
import { recordTurnStart, takeOverCrashedTurn } from './turnRecords';

/**
 * Resume Crashed Turn: what the Error Trigger says about a failed run of the conversation → the turn that run
 * was answering, started again, or why not. Only runs that n8n itself lost are resumed — the worker died or
 * stopped answering (n8n 2.40: "This execution failed to be processed too many times…", from Bull's
 * "job stalled more than maxStalledCount"), or n8n's own Redis failed under the run — never a run that failed
 * in the workflow (a wrong setting would only fail again, and the customer may have been told already).
 */
const LOST_BY_N8N: Array<{ pattern: RegExp; what: string }> = [
	{ pattern: /failed to be processed too many times|job stalled more than/i, what: 'its worker stopped (n8n gave up on the job)' },
	{ pattern: /\bLOADING\b.*Redis is loading|Connection is closed\./i, what: "n8n's Redis was away during the run" },
];

export type ResumeResult =
	| { resumed: true; items: IDataObject[]; crashedExecutionId: string; why: string }
	| { resumed: false; crashedExecutionId: string | null; reason: string };

const REASONS: Record<Exclude<TakeOver, { ok: true }>['reason'], string> = {
	off: 'turns are kept for a resume only in queue mode (a single n8n that dies takes its runs with it)',
	unknown: 'no turn was kept for that run (it did not reach its trigger on the worker, or it ended more than 15 minutes ago)',
	answered: 'the customer had already been answered',
	'resumed-already': 'that turn was resumed already',
	'resumed-turn': 'that run was itself a resumed turn; it is not started a third time',
	unreadable: "the kept turn could not be opened (n8n's encryption key differs between processes?)",
	unavailable: "n8n's Redis could not be asked",
};

/**
 * @param error  the Error Trigger's item json
 * @param context  this run (the resuming one): its workflow and execution id
 */
export async function resumeCrashedTurn(
	error: IDataObject,
	context: { workflowId: string; executionId: string },
): Promise<ResumeResult> {
	const execution = (error.execution ?? {}) as IDataObject;
	const workflow = (error.workflow ?? {}) as IDataObject;
	const crashedId = typeof execution.id === 'string' || typeof execution.id === 'number' ? String(execution.id) : null;
	if (!crashedId) return { resumed: false, crashedExecutionId: null, reason: 'the item is not from an Error Trigger (no execution.id)' };
	if (String(workflow.id ?? '') !== context.workflowId) {
		return { resumed: false, crashedExecutionId: crashedId, reason: 'the failed run belongs to another workflow: put this node in the conversation workflow itself, after its own Error Trigger' };
	}
	if (execution.mode === 'manual') return { resumed: false, crashedExecutionId: crashedId, reason: 'it was a test run from the editor' };
	const message = String(((execution.error ?? {}) as IDataObject).message ?? '');
	const lost = LOST_BY_N8N.find((kind) => kind.pattern.test(message));
	if (!lost) return { resumed: false, crashedExecutionId: crashedId, reason: `the run failed in the workflow itself ("${message.slice(0, 160)}"), not because n8n lost it` };

	const taken = await takeOverCrashedTurn(context.workflowId, crashedId, context.executionId);
	if (!taken.ok) {
		const detail = taken.reason === 'unavailable' ? `: ${taken.detail}` : '';
		return { resumed: false, crashedExecutionId: crashedId, reason: `${REASONS[taken.reason]}${detail}` };
	}
	// The chat's lease passes from the dead run to this one (or waits, if a later turn took it meanwhile).
	for (const chat of new Set(taken.items.map((json) => chatReferenceOf(json)).filter((c) => c !== undefined).map((c) => `${c.channel}:${c.accountId}:${c.userId}`))) {
		const turn: ChatTurn = { workflowId: context.workflowId, chatKey: chat };
		const over = await takeOverChatTurn(turn, crashedId, context.executionId);
		if (!over.ok && over.reason === 'held') await acquireChatTurn(turn, context.executionId);
	}
	await recordTurnStart(context.workflowId, context.executionId, taken.items, crashedId);
	return {
		resumed: true,
		items: taken.items.map((json) => ({ ...(json as IDataObject), resumedFrom: crashedId })),
		crashedExecutionId: crashedId,
		why: lost.what,
	};
}
