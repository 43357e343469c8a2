import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

import { LoggerProxy } from 'n8n-workflow';

import { describeRedis, n8nRedis } from './n8nRedis';
import type { RespClient, RespEndpoint } from './respClient';
import { RespError } from './respClient';

/**
 * Which n8n processes of a queue-mode deployment have this pack loaded, compared with n8n's own view of its
 * processes. n8n 2.40 says nothing useful when a webhook host or a worker lacks a community package (one
 * generic warning at boot, no package named); a worker without it then fails every run it takes after Meta
 * already had its 200 — the DM is lost. So:
 *
 * - every n8n process that loads the pack (main, webhook hosts, workers) writes itself — role, host, pid, pack
 *   version — into a hash in n8n's Redis when n8n loads it, and again every half check interval;
 * - n8n's own count of its processes is the subscribers of its command channel (`PUBSUB NUMSUB
 *   <N8N_REDIS_KEY_PREFIX>:n8n.commands`: main, every webhook process and every worker subscribe to it in
 *   queue mode; summed over the nodes of a cluster);
 * - more n8n processes than pack processes, or two pack versions, for two checks in a row → an error in the
 *   log of every process that has the pack, repeated while it lasts; `checkPackProcesses` gives the same
 *   report to a script (scripts/queue/check.js, `npm run queue:check`).
 */
const CHECK_EVERY_MS = 60_000;
const REPEAT_REPORT_MS = 10 * 60_000;

/** CHAT_CHECKOUT_PROCESS_CHECK_SECONDS: how often each process compares (default 60; the registry follows it). */
function checkEveryMs(env: NodeJS.ProcessEnv): number {
	const seconds = Number(env.CHAT_CHECKOUT_PROCESS_CHECK_SECONDS);
	return Number.isFinite(seconds) && seconds >= 1 ? seconds * 1000 : CHECK_EVERY_MS;
}
const PACKAGE_NAME = 'n8n-nodes-chat-checkout';

export interface PackProcess {
	role: string;
	host: string;
	pid: number;
	version: string;
	seenAt: number;
}

export interface PackProcessReport {
	/** n8n processes subscribed to n8n's command channel (n8n's own view); null when Redis could not say. */
	n8nProcesses: number | null;
	/** Processes that loaded the pack and wrote themselves lately (within 1.5 check intervals). */
	withPack: PackProcess[];
	/** n8nProcesses − withPack (never below 0). */
	withoutPack: number;
	versions: string[];
	/** What is wrong, in words for an operator; empty when all is well. */
	problems: string[];
}

/** The pack's version: its package.json, found from where this file runs (dist/… or the sources). */
export function packVersion(from: string = __dirname): string {
	for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
		const file = join(dir, 'package.json');
		if (!existsSync(file)) continue;
		try {
			const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
			if (manifest.name === PACKAGE_NAME) return String(manifest.version ?? '?');
		} catch {
			// not ours: keep looking upwards
		}
	}
	return '?';
}

/** The n8n command this process runs (`n8n start` = main, `n8n webhook`, `n8n worker`). */
export function processRole(argv: string[] = process.argv): string {
	const command = argv.slice(2).find((arg) => /^[a-z][\w:-]*$/.test(arg)); // n8n's commands: worker, webhook, import:workflow …
	if (command === undefined || command === 'start') return 'main';
	return command;
}

const registryKey = (prefix: string) => `${prefix}:chat-checkout:processes`;

/** Writes this process into the registry (one HSET; the field is `role:host:pid`). */
export async function writePackProcess(client: RespClient, prefix: string, self: Omit<PackProcess, 'seenAt'>, now = Date.now()): Promise<void> {
	const entry: PackProcess = { ...self, seenAt: now };
	const reply = await client.command(['HSET', registryKey(prefix), `${self.role}:${self.host}:${self.pid}`, JSON.stringify(entry)]);
	if (reply instanceof RespError) throw reply;
}

async function countN8nProcesses(client: RespClient, prefix: string, cluster: boolean, seeds: RespEndpoint[]): Promise<number> {
	const channel = `${prefix}:n8n.commands`;
	const numsub = (reply: unknown): number => (Array.isArray(reply) && reply.length >= 2 ? Number(reply[1]) : 0);
	if (!cluster) return numsub(await client.command(['PUBSUB', 'NUMSUB', channel]));
	// In a cluster each node counts only its own subscribers: ask every node CLUSTER NODES lists.
	const nodes = await client.command(['CLUSTER', 'NODES']);
	const endpoints = typeof nodes === 'string'
		? nodes.split('\n').map((line) => /^\S+ ([^:\s]*):(\d+)@/.exec(line)).filter((m): m is RegExpExecArray => m !== null).map((m) => ({ host: m[1] || seeds[0].host, port: Number(m[2]) }))
		: seeds;
	let total = 0;
	for (const endpoint of endpoints) total += numsub(await client.commandOn(endpoint, ['PUBSUB', 'NUMSUB', channel]));
	return total;
}

/** Reads the registry (dropping entries not written for 1.5 check intervals) and n8n's count of its processes. */
export async function checkPackProcesses(env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<PackProcessReport> {
	const staleMs = (3 * checkEveryMs(env)) / 2;
	const redis = n8nRedis(env);
	if (!redis) return { n8nProcesses: null, withPack: [], withoutPack: 0, versions: [], problems: ['this n8n does not run in queue mode (EXECUTIONS_MODE is not "queue"): nothing to compare'] };
	const { client, settings } = redis;
	const problems: string[] = [];
	let n8nProcesses: number | null = null;
	const withPack: PackProcess[] = [];
	try {
		const cluster = settings.clusterNodes.length > 0;
		n8nProcesses = await countN8nProcesses(client, settings.keyPrefix, cluster, settings.clusterNodes);
		const all = await client.command(['HGETALL', registryKey(settings.keyPrefix)]);
		const pairs = Array.isArray(all) ? all : [];
		for (let i = 0; i + 1 < pairs.length; i += 2) {
			let entry: PackProcess | undefined;
			try {
				entry = JSON.parse(String(pairs[i + 1])) as PackProcess;
			} catch {
				entry = undefined;
			}
			if (entry && now - entry.seenAt <= staleMs) withPack.push(entry);
			else await client.command(['HDEL', registryKey(settings.keyPrefix), String(pairs[i])]);
		}
	} catch (error) {
		problems.push(`n8n's Redis (${describeRedis(settings)}) could not be asked: ${(error as Error).message}`);
		return { n8nProcesses, withPack, withoutPack: 0, versions: [], problems };
	}
	withPack.sort((a, b) => `${a.role}${a.host}${a.pid}`.localeCompare(`${b.role}${b.host}${b.pid}`));
	const versions = [...new Set(withPack.map((p) => p.version))].sort();
	const withoutPack = Math.max(0, (n8nProcesses ?? 0) - withPack.length);
	const list = withPack.map((p) => `${p.role} on ${p.host} (pid ${p.pid}, ${p.version})`).join(', ') || 'none';
	if (withoutPack > 0) {
		problems.push(
			`${withoutPack} of the ${n8nProcesses} n8n processes connected to this Redis ${withoutPack === 1 ? 'has' : 'have'} not loaded ${PACKAGE_NAME} (loaded in: ${list}). ` +
				'A worker without it fails every run it takes after Meta already got its answer (the customer\'s message is lost); a webhook process without it answers Meta and Stripe 400. ' +
				`Install ${PACKAGE_NAME}@${versions[versions.length - 1] ?? '<version>'} on every host (Settings → Community nodes on main while every process runs, or N8N_REINSTALL_MISSING_PACKAGES=true on each host, or in each host's image), then restart the process that lacks it.`,
		);
	}
	if (versions.length > 1) {
		problems.push(`n8n processes run different versions of ${PACKAGE_NAME} (${list}): update them all to one version.`);
	}
	return { n8nProcesses, withPack, withoutPack, versions, problems };
}

let started = false;

/**
 * Called when n8n loads one of the pack's nodes (every process loads them at boot): in queue mode, keeps this
 * process in the registry and reports what checkPackProcesses finds to `log` (n8n's own log by default). Does nothing outside queue mode,
 * and nothing the second time. Timers never keep n8n alive.
 */
export function announcePackProcess(
	log: { error: (message: string) => void; info: (message: string) => void } = LoggerProxy,
	env: NodeJS.ProcessEnv = process.env,
): void {
	if (started) return;
	const redis = n8nRedis(env);
	if (!redis) return;
	started = true;
	const self = { role: processRole(), host: hostname(), pid: process.pid, version: packVersion() };
	const every = checkEveryMs(env);
	const beat = () => void writePackProcess(redis.client, redis.settings.keyPrefix, self).catch(() => undefined);
	beat();
	setInterval(beat, every / 2).unref();
	let suspicious = '';
	let reportedAt = 0;
	const check = async () => {
		const report = await checkPackProcesses(env).catch(() => undefined);
		const problem = report?.problems.join(' ') ?? '';
		const confirmed = problem !== '' && problem === suspicious; // the same finding twice in a row (a process may be booting)
		if (confirmed && Date.now() - reportedAt >= REPEAT_REPORT_MS) {
			log.error(`${PACKAGE_NAME}: ${problem}`);
			reportedAt = Date.now();
		} else if (problem === '' && reportedAt > 0) {
			log.info(`${PACKAGE_NAME}: every n8n process connected to this Redis has the pack loaded again (${report?.withPack.length} processes, ${report?.versions.join(', ')})`);
			reportedAt = 0;
		}
		suspicious = problem;
	};
	setTimeout(() => {
		void check();
		setInterval(() => void check(), every).unref();
	}, every / 2 + Math.round(Math.random() * (every / 6))).unref();
}
