import { createHash } from 'node:crypto';

import { readN8nRedisSettings, type N8nRedisSettings } from './n8nRedisSettings';
import { RespClient, RespError } from './respClient';

/**
 * Claims of inbound message ids shared by every n8n host of a queue-mode deployment, in the Redis that n8n's
 * own job queue already uses: `SET <key> 1 NX PX <ttl>` is atomic in Redis, so of two hosts that receive the
 * same message at the same moment exactly one gets "OK" and starts a run; the other gets nothing back and
 * starts none. The key holds digests only (no message text, no customer id).
 *
 * On by itself where n8n runs in queue mode (EXECUTIONS_MODE=queue), off elsewhere: a single n8n needs nothing
 * beyond the per-host file. CHAT_CHECKOUT_SHARED_DEDUPE=false turns it off in queue mode too.
 * When Redis cannot be reached in time the caller keeps its per-host answer (the run starts: a DM is never
 * dropped because of the claim), and is told why, to log it.
 */
export const SHARED_CLAIM_TIMEOUT_MS = 2000; // Meta wants its answer fast; n8n's own Redis is normally < 1 ms away

export type SharedClaimResult =
	| { mode: 'off' }
	| { mode: 'shared'; claimed: Set<string> }
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

let cached: { signature: string; client: RespClient } | undefined;

function clientFor(settings: N8nRedisSettings): RespClient {
	const signature = JSON.stringify(settings);
	if (cached?.signature === signature) return cached.client;
	cached?.client.close();
	const cluster = settings.clusterNodes.length > 0;
	const client = new RespClient({
		endpoints: cluster ? settings.clusterNodes : [{ host: settings.host, port: settings.port }],
		cluster,
		tls: settings.tls,
		username: settings.username,
		password: settings.password,
		db: settings.db,
		timeoutMs: SHARED_CLAIM_TIMEOUT_MS,
	});
	cached = { signature, client };
	return client;
}

/**
 * Claims `keys` (message ids) for `scope` (workflow id + trigger node id) across hosts. Returns the keys this
 * call won, or why it could not ask Redis.
 */
export async function claimAcrossHosts(
	scope: string,
	keys: string[],
	options: { ttlMs: number; env?: NodeJS.ProcessEnv },
): Promise<SharedClaimResult> {
	const env = options.env ?? process.env;
	if (!sharedClaimsWanted(env)) return { mode: 'off' };
	const settings = readN8nRedisSettings(env);
	const client = clientFor(settings);
	try {
		const unique = [...new Set(keys)];
		const replies = await Promise.all(
			unique.map(async (key) => await client.command(['SET', claimKey(settings, scope, key), '1', 'NX', 'PX', Math.max(1, Math.round(options.ttlMs))])),
		);
		const claimed = new Set<string>();
		for (const [i, reply] of replies.entries()) {
			if (reply instanceof RespError) return { mode: 'unavailable', reason: `Redis answered ${reply.message}` };
			if (reply === 'OK') claimed.add(unique[i]);
		}
		return { mode: 'shared', claimed };
	} catch (error) {
		const where = settings.clusterNodes.length > 0 ? `cluster ${settings.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}` : `${settings.host}:${settings.port}`;
		return { mode: 'unavailable', reason: `${(error as Error).message} (n8n's Redis, ${where})` };
	}
}

/** Drops the cached connection (tests; n8n never needs it). */
export function closeSharedClaimConnections(): void {
	cached?.client.close();
	cached = undefined;
}
