import { createHash } from 'node:crypto';

import { describeRedis, n8nRedis } from '../redis/n8nRedis';
import { RespError } from '../redis/respClient';
import { readN8nEncryptionKey, seal, unseal } from '../redis/sealedValues';

/**
 * What a run of the conversation was started with, kept in n8n's Redis while it runs (queue mode), so that a
 * run whose worker died can be started again. n8n 2.40 never re-queues such a job (Bull's maxStalledCount is
 * hard-coded 0): it records the execution as failed ("This execution failed to be processed too many
 * times…") and starts the workflow's Error Trigger, which gives only the execution id. The record, keyed by
 * that id, holds the trigger's items (sealed: see sealedValues.ts), who owns the turn now, and whether the
 * customer was answered:
 *
 *   the trigger (run start, on the worker)   → record { owner: this execution, answered: no, items }
 *   Send Chat Message, before sending         → still the owner? (a run n8n gave up on but that still runs —
 *                                               a worker that stalled, not died — must not answer twice)
 *   Send Chat Message, after sending          → answered: yes
 *   Resume Crashed Turn (the Error Trigger)   → not answered and never resumed → owner: the new run, items back
 *
 * Only in queue mode: a single n8n that dies takes every run with it, and n8n itself marks them crashed on
 * the next start. Records expire after TURN_RECORD_TTL_MS.
 */
export const TURN_RECORD_TTL_MS = 15 * 60_000;
const PURPOSE = 'turn-record';

export type RecordOutcome = { ok: true } | { ok: false; reason: 'off' } | { ok: false; reason: 'unavailable'; detail: string } | { ok: false; reason: 'taken-over'; by: string };

export type TakeOver =
	| { ok: true; items: Array<Record<string, unknown>>; resumedFrom: string }
	| { ok: false; reason: 'off' | 'unknown' | 'answered' | 'resumed-already' | 'resumed-turn' | 'unreadable' }
	| { ok: false; reason: 'unavailable'; detail: string };

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

// Written once per execution; a later write by the same execution keeps what is there (a resumed turn's owner).
const RECORD =
	"local o = redis.call('HGET', KEYS[1], 'owner') if o and o ~= ARGV[1] then return o end " +
	"redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'answered', '0', 'turn', ARGV[2], 'from', ARGV[3]) redis.call('PEXPIRE', KEYS[1], ARGV[4]) return 'OK'";
const ANSWERED = "if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then redis.call('HSET', KEYS[1], 'answered', '1') return 'OK' end return redis.call('HGET', KEYS[1], 'owner') or ''";
const TAKE_OVER =
	"if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end " +
	"if redis.call('HGET', KEYS[1], 'answered') == '1' then return {'answered'} end " +
	"if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return {'resumed-already'} end " +
	"if (redis.call('HGET', KEYS[1], 'from') or '') ~= '' then return {'resumed-turn'} end " +
	"redis.call('HSET', KEYS[1], 'owner', ARGV[2]) return {'OK', redis.call('HGET', KEYS[1], 'turn')}";

function recordKey(prefix: string, workflowId: string, executionId: string): string {
	return `${prefix}:chat-checkout:turn-run:${digest(workflowId)}:${executionId}`;
}

async function evalScript(script: string, workflowId: string, executionId: string, args: Array<string | number>): Promise<{ reply: unknown } | { off: true } | { unavailable: string }> {
	const redis = n8nRedis();
	if (!redis) return { off: true };
	try {
		const reply = await redis.client.command(['EVAL', script, 1, recordKey(redis.settings.keyPrefix, workflowId, executionId), ...args]);
		if (reply instanceof RespError) return { unavailable: `Redis answered ${reply.message}` };
		return { reply };
	} catch (error) {
		return { unavailable: `${(error as Error).message} (n8n's Redis, ${describeRedis(redis.settings)})` };
	}
}

/** The trigger, at the start of a run: keeps what it started the run with. */
export async function recordTurnStart(workflowId: string, executionId: string, items: unknown[], resumedFrom = ''): Promise<RecordOutcome> {
	if (!n8nRedis()) return { ok: false, reason: 'off' };
	const key = readN8nEncryptionKey();
	if (!key) return { ok: false, reason: 'unavailable', detail: "n8n's encryption key was not found (N8N_ENCRYPTION_KEY or the user folder's .n8n/config)" };
	const result = await evalScript(RECORD, workflowId, executionId, [executionId, seal(items, PURPOSE, key), resumedFrom, TURN_RECORD_TTL_MS]);
	if ('off' in result) return { ok: false, reason: 'off' };
	if ('unavailable' in result) return { ok: false, reason: 'unavailable', detail: result.unavailable };
	return result.reply === 'OK' ? { ok: true } : { ok: false, reason: 'taken-over', by: String(result.reply) };
}

/** Send Chat Message, before sending: false when another run has taken this run's turn over. */
export async function ownsTurn(workflowId: string, executionId: string): Promise<{ owns: true } | { owns: false; by: string }> {
	const redis = n8nRedis();
	if (!redis) return { owns: true };
	try {
		const owner = await redis.client.command(['HGET', recordKey(redis.settings.keyPrefix, workflowId, executionId), 'owner']);
		if (typeof owner === 'string' && owner !== executionId) return { owns: false, by: owner };
	} catch {
		// Redis cannot be asked: send (the customer is answered; a double is the lesser harm than silence).
	}
	return { owns: true };
}

/** Send Chat Message, after sending: the customer of this run's turn has been answered. */
export async function markTurnAnswered(workflowId: string, executionId: string): Promise<RecordOutcome> {
	const result = await evalScript(ANSWERED, workflowId, executionId, [executionId]);
	if ('off' in result) return { ok: false, reason: 'off' };
	if ('unavailable' in result) return { ok: false, reason: 'unavailable', detail: result.unavailable };
	return result.reply === 'OK' || result.reply === '' ? { ok: true } : { ok: false, reason: 'taken-over', by: String(result.reply) };
}

/**
 * Resume Crashed Turn: if the crashed run's turn was not answered and not resumed before, it becomes
 * `resumingId`'s, and its items come back. A turn that was itself a resumed one is not resumed again.
 */
export async function takeOverCrashedTurn(workflowId: string, crashedId: string, resumingId: string): Promise<TakeOver> {
	if (!n8nRedis()) return { ok: false, reason: 'off' };
	const key = readN8nEncryptionKey();
	if (!key) return { ok: false, reason: 'unavailable', detail: "n8n's encryption key was not found (N8N_ENCRYPTION_KEY or the user folder's .n8n/config)" };
	const result = await evalScript(TAKE_OVER, workflowId, crashedId, [crashedId, resumingId]);
	if ('off' in result) return { ok: false, reason: 'off' };
	if ('unavailable' in result) return { ok: false, reason: 'unavailable', detail: result.unavailable };
	const [status, sealed] = Array.isArray(result.reply) ? (result.reply as unknown[]) : [];
	if (status !== 'OK') return { ok: false, reason: status as 'unknown' | 'answered' | 'resumed-already' | 'resumed-turn' };
	const items = typeof sealed === 'string' ? unseal<Array<Record<string, unknown>>>(sealed, PURPOSE, key) : undefined;
	if (!Array.isArray(items)) return { ok: false, reason: 'unreadable' };
	return { ok: true, items, resumedFrom: crashedId };
}
