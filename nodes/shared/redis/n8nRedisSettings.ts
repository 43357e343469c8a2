import { readFileSync } from 'node:fs';

/**
 * n8n's own queue-mode settings, read from the environment exactly as n8n 2.40 reads them (@n8n/config:
 * `ExecutionsConfig.mode`, `ScalingModeConfig.bull.redis.*`, `RedisConfig.prefix`), so the pack reaches the very
 * Redis that n8n's job queue uses without any setting of its own:
 * - a variable `X` wins; otherwise the file named by `X_FILE` is read and trimmed (Docker/Kubernetes secrets);
 * - strings are trimmed and lose one pair of surrounding quotes; numbers that do not parse and booleans other
 *   than true/1/false/0 fall back to the default (n8n warns; here `problems` says so);
 * - n8n loads `.env` from its working directory into the environment before anything else runs (dotenv in
 *   bin/n8n), so settings kept there are seen here too.
 * n8n 2.40 has no Redis Sentinel settings; a cluster is `QUEUE_BULL_REDIS_CLUSTER_NODES` (host:port,…).
 */
export interface N8nRedisSettings {
	/** EXECUTIONS_MODE = 'queue' (n8n's worker command forces it too). */
	queueMode: boolean;
	host: string;
	port: number;
	db: number;
	username: string;
	password: string;
	/** QUEUE_BULL_REDIS_CLUSTER_NODES, parsed; empty = a single server. */
	clusterNodes: Array<{ host: string; port: number }>;
	tls: false | { servername: string | undefined; rejectUnauthorized: boolean };
	/** QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD (ms): how long n8n keeps trying to reconnect. */
	timeoutThresholdMs: number;
	/** N8N_REDIS_KEY_PREFIX: the prefix of n8n's own (non-queue) keys. */
	keyPrefix: string;
	/** QUEUE_BULL_PREFIX: Bull's key prefix (n8n wraps it in {} in a cluster). */
	bullPrefix: string;
	/** Values that were present but invalid (n8n ignores them the same way). */
	problems: string[];
}

type Env = NodeJS.ProcessEnv;

function readEnv(env: Env, name: string): string | undefined {
	if (name in env) return env[name];
	const file = env[`${name}_FILE`];
	if (file) return readFileSync(file, 'utf8').trim();
	return undefined;
}

const normalise = (value: string): string => value.trim().replace(/^(['"])(.*)\1$/, '$2');

function stringSetting(env: Env, name: string, fallback: string): string {
	const value = readEnv(env, name);
	return value === undefined ? fallback : normalise(value);
}

function numberSetting(env: Env, name: string, fallback: number, problems: string[]): number {
	const value = readEnv(env, name);
	if (value === undefined || normalise(value) === '') return fallback;
	const parsed = Number(value);
	if (Number.isNaN(parsed)) {
		problems.push(`${name}=${JSON.stringify(value)} is not a number (n8n uses ${fallback} too)`);
		return fallback;
	}
	return parsed;
}

function booleanSetting(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
	const value = readEnv(env, name);
	if (value === undefined) return fallback;
	if (['true', '1'].includes(value.toLowerCase())) return true;
	if (['false', '0'].includes(value.toLowerCase())) return false;
	problems.push(`${name}=${JSON.stringify(value)} is not true/false (n8n uses ${String(fallback)} too)`);
	return fallback;
}

/** Reads n8n's queue-mode Redis settings from `env` (default: this process's, i.e. n8n's). */
export function readN8nRedisSettings(env: Env = process.env): N8nRedisSettings {
	const problems: string[] = [];
	const mode = stringSetting(env, 'EXECUTIONS_MODE', 'regular');
	const clusterNodes = stringSetting(env, 'QUEUE_BULL_REDIS_CLUSTER_NODES', '')
		.split(',')
		.filter((pair) => pair.trim().length > 0)
		.map((pair) => {
			const [host, port] = pair.split(':');
			return { host: host.trim(), port: parseInt(port, 10) };
		});
	for (const node of clusterNodes) {
		if (!Number.isInteger(node.port)) problems.push(`QUEUE_BULL_REDIS_CLUSTER_NODES has "${node.host}" without a port`);
	}
	const tls = booleanSetting(env, 'QUEUE_BULL_REDIS_TLS', false, problems);
	return {
		queueMode: mode === 'queue',
		host: stringSetting(env, 'QUEUE_BULL_REDIS_HOST', 'localhost'),
		port: numberSetting(env, 'QUEUE_BULL_REDIS_PORT', 6379, problems),
		db: numberSetting(env, 'QUEUE_BULL_REDIS_DB', 0, problems),
		username: stringSetting(env, 'QUEUE_BULL_REDIS_USERNAME', ''),
		password: stringSetting(env, 'QUEUE_BULL_REDIS_PASSWORD', ''),
		clusterNodes: clusterNodes.filter((node) => Number.isInteger(node.port)),
		tls: tls
			? {
					servername: stringSetting(env, 'QUEUE_BULL_REDIS_TLS_SERVERNAME', '') || undefined,
					rejectUnauthorized: booleanSetting(env, 'QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE', true, problems),
				}
			: false,
		timeoutThresholdMs: numberSetting(env, 'QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD', 10_000, problems),
		keyPrefix: stringSetting(env, 'N8N_REDIS_KEY_PREFIX', 'n8n'),
		bullPrefix: stringSetting(env, 'QUEUE_BULL_PREFIX', 'bull'),
		problems,
	};
}
