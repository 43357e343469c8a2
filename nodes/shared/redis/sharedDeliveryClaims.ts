import { createHash, randomBytes } from 'node:crypto';

import { REDIS_TIMEOUT_MS, closeN8nRedis, describeRedis as where, redisClientFor as clientFor } from './n8nRedis';
import { readN8nRedisSettings, type N8nRedisSettings } from './n8nRedisSettings';
import { RespError } from './respClient';

/**
 * Claims of inbound message ids shared by every n8n host of a queue-mode deployment, in the Redis that n8n's
 * own job queue already uses. `SET key … NX` is atomic in Redis, so of two hosts that receive the same message at
 * the same moment exactly one wins. The key holds digests only (no message text, no customer id).
 *
 * Two phases, because n8n answers Meta only once the run is queued (its deferred `onReceived` answer):
 * 1. `SET key pending:<token> NX PX 60 s` before the run — the host that wins starts it;
 * 2. when the answer has gone out: 2xx → `done` for 7 days (the run is queued; later copies are dropped);
 *    anything else, or the host dies → the pending claim is released / expires, so Meta's retry can run it.
 * A copy that finds a claim still `pending` elsewhere is not dropped but refused (5xx), so Meta retries it later.
 *
 * On by itself where n8n runs in queue mode (EXECUTIONS_MODE=queue), off elsewhere: a single n8n needs nothing
 * beyond the per-host file. CHAT_CHECKOUT_SHARED_DEDUPE=false turns it off in queue mode too.
 * When Redis cannot be reached in time the caller keeps its per-host answer (the run starts: a DM is never
 * dropped because of the claim), and is told why, to log it.
 */
export const SHARED_CLAIM_TIMEOUT_MS = REDIS_TIMEOUT_MS;
/** How long a claim may stay `pending` (n8n queues a run within milliseconds; a dead host's claim ends here). */
export const PENDING_CLAIM_TTL_MS = 60_000;

export type SharedClaimResult =
	| { mode: 'off' }
	| {
			mode: 'shared';
			/** Keys this call won: start their run here, then settle them. */
			claimed: Set<string>;
			/** Keys another host is starting right now (claim still pending): refuse, Meta retries later. */
			inFlightElsewhere: Set<string>;
			/** Identifies this call's pending claims (settleClaims needs it). */
			token: string;
	  }
	| { mode: 'unavailable'; reason: string };

export function sharedClaimsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
	const flag = (env.CHAT_CHECKOUT_SHARED_DEDUPE ?? '').trim().toLowerCase();
	if (['false', '0', 'off'].includes(flag)) return false;
	return readN8nRedisSettings(env).queueMode;
}

const digest = (value: string, length: number): string => createHash('sha256').update(value).digest('base64url').slice(0, length);

/** The Redis key of one message id in one trigger node: under n8n's own key prefix (N8N_REDIS_KEY_PREFIX). */
export function claimKey(settings: Pick<N8nRedisSettings, 'keyPrefix'>, scope: string, key: string): string {
	return `${settings.keyPrefix}:chat-checkout:seen:${digest(scope, 12)}:${digest(key, 22)}`;
}

// Only the holder of a pending claim may settle it (a claim that expired and was taken by another host is not ours).
const CONFIRM_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2]) end return 0";
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Phase 1: claims `keys` (message ids) for `scope` (workflow id + trigger node id) across hosts. Keys already
 * `done` elsewhere are in neither set (drop them).
 */
export async function claimAcrossHosts(
	scope: string,
	keys: string[],
	options: { pendingTtlMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<SharedClaimResult> {
	const env = options.env ?? process.env;
	if (!sharedClaimsWanted(env)) return { mode: 'off' };
	const settings = readN8nRedisSettings(env);
	const client = clientFor(settings);
	const token = randomBytes(9).toString('base64url');
	const ttl = Math.max(1, Math.round(options.pendingTtlMs ?? PENDING_CLAIM_TTL_MS));
	try {
		const unique = [...new Set(keys)];
		const replies = await Promise.all(
			unique.map(async (key) => {
				const redisKey = claimKey(settings, scope, key);
				const set = await client.command(['SET', redisKey, `pending:${token}`, 'NX', 'PX', ttl]);
				if (set instanceof RespError || set === 'OK') return set;
				return await client.command(['GET', redisKey]); // who holds it, and is it done?
			}),
		);
		const claimed = new Set<string>();
		const inFlightElsewhere = new Set<string>();
		for (const [i, reply] of replies.entries()) {
			if (reply instanceof RespError) return { mode: 'unavailable', reason: `Redis answered ${reply.message}` };
			if (reply === 'OK') claimed.add(unique[i]);
			else if (reply !== 'done') inFlightElsewhere.add(unique[i]); // pending elsewhere, or released a moment ago
		}
		return { mode: 'shared', claimed, inFlightElsewhere, token };
	} catch (error) {
		return { mode: 'unavailable', reason: `${(error as Error).message} (n8n's Redis, ${where(settings)})` };
	}
}

/**
 * Phase 2: `done` for `ttlMs` (the run is queued) or `release` (no run started: let a retry take it). Resolves
 * with a reason when Redis could not be told (the pending claims then simply expire).
 */
export async function settleClaims(
	scope: string,
	keys: string[],
	token: string,
	outcome: 'done' | 'release',
	options: { ttlMs: number; env?: NodeJS.ProcessEnv },
): Promise<string | undefined> {
	const settings = readN8nRedisSettings(options.env ?? process.env);
	const client = clientFor(settings);
	try {
		const replies = await Promise.all(
			[...new Set(keys)].map(async (key) => {
				const redisKey = claimKey(settings, scope, key);
				return outcome === 'done'
					? await client.command(['EVAL', CONFIRM_SCRIPT, 1, redisKey, `pending:${token}`, Math.max(1, Math.round(options.ttlMs))])
					: await client.command(['EVAL', RELEASE_SCRIPT, 1, redisKey, `pending:${token}`]);
			}),
		);
		const refused = replies.find((reply): reply is RespError => reply instanceof RespError);
		return refused ? `Redis answered ${refused.message}` : undefined;
	} catch (error) {
		return `${(error as Error).message} (n8n's Redis, ${where(settings)})`;
	}
}

/** Drops the cached connection (tests; n8n never needs it). */
export function closeSharedClaimConnections(): void {
	closeN8nRedis();
}
