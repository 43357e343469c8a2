import { readN8nRedisSettings, type N8nRedisSettings } from './n8nRedisSettings';
import { RespClient } from './respClient';

/**
 * The one connection (per process) the pack keeps to n8n's own Redis in queue mode: the claims of message ids,
 * the cross-host turns, the chat turn leases, the turn records and the process registry all use it. Found from
 * n8n's own settings (n8nRedisSettings.ts); reopened when the settings change (tests) or after an error.
 */
export const REDIS_TIMEOUT_MS = 2000; // Meta wants its answer fast; n8n's own Redis is normally < 1 ms away

let cached: { signature: string; client: RespClient } | undefined;

export function redisClientFor(settings: N8nRedisSettings): RespClient {
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
		timeoutMs: REDIS_TIMEOUT_MS,
	});
	cached = { signature, client };
	return client;
}

/** Where n8n's Redis is, for messages to operators (no password). */
export function describeRedis(settings: N8nRedisSettings): string {
	return settings.clusterNodes.length > 0 ? `cluster ${settings.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}` : `${settings.host}:${settings.port}`;
}

/** n8n's Redis when this process runs in queue mode; undefined in a single n8n (no I/O at all then). */
export function n8nRedis(env: NodeJS.ProcessEnv = process.env): { settings: N8nRedisSettings; client: RespClient } | undefined {
	const settings = readN8nRedisSettings(env);
	if (!settings.queueMode) return undefined;
	return { settings, client: redisClientFor(settings) };
}

/** Drops the cached connection (tests; n8n never needs it). */
export function closeN8nRedis(): void {
	cached?.client.close();
	cached = undefined;
}
