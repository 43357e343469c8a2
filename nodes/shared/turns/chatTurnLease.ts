import { createHash } from 'node:crypto';

import { describeRedis, n8nRedis } from '../redis/n8nRedis';
import { RespError } from '../redis/respClient';

/**
 * One run at a time per chat. n8n runs executions side by side (several at once in one n8n, on several
 * workers in queue mode), so two turns of one chat — the customer writes again while the shop is still
 * answering, e.g. during a slow model call — would each read the chat's row before the other wrote it: the
 * second answer is then built on a stale pending order (a detail lost, or a second payable link). The lease
 * orders them: the trigger takes the chat's lease when the run starts on the worker, before the chat's row is
 * read; Read Chat Order extends it while the model and Stripe work; Send Chat Message gives it back once the
 * chat has been answered (every branch of the template ends with one). A run that ends without a send (the
 * chat is with a person) or dies simply lets it expire.
 *
 * Where: n8n's Redis in queue mode (turns of one chat may run on different workers), this process's memory in
 * a single n8n. The holder is the execution id. A run that cannot get the lease within TURN_WAIT_MS runs anyway
 * (and says so): the lease orders turns, it never drops one.
 */
export const TURN_START_TTL_MS = 10_000; // run start → Read Chat Order (reading the chat's row, the catalog)
export const TURN_READ_TTL_MS = 120_000; // Read Chat Order → the send (model call with its retry, Stripe, Meta)
export const TURN_WAIT_MS = 120_000;
const POLL_MS = 150;

export interface ChatTurn {
	workflowId: string;
	/** `channel:accountId:userId`, as the template keys its chat rows. */
	chatKey: string;
}

export type LeaseOutcome = { ok: true } | { ok: false; reason: 'held'; heldBy: string } | { ok: false; reason: 'unavailable'; detail: string };

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url').slice(0, 22);

// Acquire (or refresh when already ours) / release / take over from a named holder: each one atomic.
const ACQUIRE = "local v = redis.call('GET', KEYS[1]) if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 'OK' end return v";
const EXTEND = ACQUIRE; // keep it, or take it again if it expired meanwhile and nobody else took it
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 'OK' end return redis.call('GET', KEYS[1]) or ''";
const TAKE_OVER = "local v = redis.call('GET', KEYS[1]) if v == false or v == ARGV[1] or v == ARGV[3] then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2]) return 'OK' end return v";

/** Leases of a single n8n (no queue mode). */
const local = new Map<string, { holder: string; expiresAt: number }>();

function localStep(turn: ChatTurn, script: string, holder: string, ttlMs: number, newHolder?: string): string {
	const key = `${turn.workflowId}\n${turn.chatKey}`;
	const now = Date.now();
	const current = local.get(key);
	const value = current && current.expiresAt > now ? current.holder : undefined;
	if (script === ACQUIRE && (value === undefined || value === holder)) local.set(key, { holder, expiresAt: now + ttlMs });
	else if (script === RELEASE && value === holder) local.delete(key);
	else if (script === TAKE_OVER && (value === undefined || value === holder || value === newHolder)) local.set(key, { holder: newHolder as string, expiresAt: now + ttlMs });
	else return value ?? '';
	return 'OK';
}

async function step(turn: ChatTurn, script: string, holder: string, ttlMs: number, newHolder?: string): Promise<LeaseOutcome> {
	const redis = n8nRedis();
	if (!redis) {
		const answer = localStep(turn, script, holder, ttlMs, newHolder);
		return answer === 'OK' ? { ok: true } : { ok: false, reason: 'held', heldBy: answer };
	}
	const key = `${redis.settings.keyPrefix}:chat-checkout:chat-turn:${digest(turn.workflowId)}:${digest(turn.chatKey)}`;
	try {
		const reply = await redis.client.command(['EVAL', script, 1, key, holder, Math.max(1, Math.round(ttlMs)), newHolder ?? '']);
		if (reply instanceof RespError) return { ok: false, reason: 'unavailable', detail: `Redis answered ${reply.message}` };
		return reply === 'OK' ? { ok: true } : { ok: false, reason: 'held', heldBy: String(reply ?? '') };
	} catch (error) {
		return { ok: false, reason: 'unavailable', detail: `${(error as Error).message} (n8n's Redis, ${describeRedis(redis.settings)})` };
	}
}

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> =>
	await new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve(undefined);
		}, { once: true });
	});

/**
 * Takes the chat's lease for `holder`, waiting while another run holds it (at most `waitMs`). Resolves with
 * how it went: `ok` false after the wait (`held`) or when Redis cannot be asked (`unavailable`: the run goes on).
 */
export async function acquireChatTurn(
	turn: ChatTurn,
	holder: string,
	options: { ttlMs?: number; waitMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<LeaseOutcome & { waitedMs: number }> {
	const started = Date.now();
	const deadline = started + (options.waitMs ?? TURN_WAIT_MS);
	for (;;) {
		const outcome = await step(turn, ACQUIRE, holder, options.ttlMs ?? TURN_START_TTL_MS);
		if (outcome.ok || outcome.reason === 'unavailable' || Date.now() >= deadline || options.signal?.aborted) {
			return { ...outcome, waitedMs: Date.now() - started };
		}
		await sleep(Math.min(options.pollMs ?? POLL_MS, Math.max(1, deadline - Date.now())), options.signal);
	}
}

/** Keeps the lease for another `ttlMs` if `holder` still has it (or takes it back if it expired and is free). */
export async function extendChatTurn(turn: ChatTurn, holder: string, ttlMs = TURN_READ_TTL_MS): Promise<LeaseOutcome> {
	return await step(turn, EXTEND, holder, ttlMs);
}

/** Gives the lease back if `holder` still has it (the next turn of the chat may start at once). */
export async function releaseChatTurn(turn: ChatTurn, holder: string): Promise<LeaseOutcome> {
	return await step(turn, RELEASE, holder, 1);
}

/** A resumed turn takes the lease over from the run that died (or takes it if free). */
export async function takeOverChatTurn(turn: ChatTurn, from: string, to: string, ttlMs = TURN_START_TTL_MS): Promise<LeaseOutcome> {
	return await step(turn, TAKE_OVER, from, ttlMs, to);
}

/** Forgets every lease of a single n8n (tests). */
export function resetLocalChatTurns(): void {
	local.clear();
}
