// @ts-check
'use strict';
/**
 * `npm run queue:check`: which n8n processes of a queue-mode deployment have this pack loaded, compared with
 * n8n's own count of its processes — the report every process with the pack also writes to its log when
 * something is wrong (nodes/shared/redis/packProcesses.ts). Exit code 1 when a process lacks the pack or
 * versions differ, 2 when it cannot tell.
 *
 * It reads n8n's settings from the environment, as n8n does (EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_*,
 * N8N_REDIS_KEY_PREFIX): run it with the environment of any n8n process of the deployment. Without
 * EXECUTIONS_MODE set, it uses .sandbox/queue/queue.env, which `npm run start:queue` writes.
 * On a host where only the installed pack is at hand, the same report:
 *   node -e "require('<n8n user folder>/.n8n/nodes/node_modules/n8n-nodes-chat-checkout/dist/nodes/shared/redis/packProcesses').checkPackProcesses().then((r) => console.log(r))"
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function environment() {
	if (process.env.EXECUTIONS_MODE) return process.env;
	const file = path.join(ROOT, '.sandbox', 'queue', 'queue.env');
	if (!fs.existsSync(file)) return process.env;
	/** @type {Record<string, string>} */
	const env = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (m) env[m[1]] = m[2];
	}
	console.log(`(settings from ${path.relative(ROOT, file)}: the sandbox of npm run start:queue)`);
	return { ...process.env, ...env };
}

async function main() {
	const { checkPackProcesses } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'redis', 'packProcesses.js'));
	const { closeN8nRedis } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'redis', 'n8nRedis.js'));
	const report = await checkPackProcesses(environment());
	closeN8nRedis();
	console.log(`n8n processes connected to n8n's Redis (its own count): ${report.n8nProcesses ?? '?'}`);
	console.log(`with n8n-nodes-chat-checkout loaded: ${report.withPack.length}`);
	for (const p of report.withPack) console.log(`  ${p.role.padEnd(8)} ${p.host}  pid ${p.pid}  version ${p.version}  seen ${Math.round((Date.now() - p.seenAt) / 1000)} s ago`);
	if (report.problems.length === 0) {
		console.log('all good: every n8n process has the pack, in one version');
		return 0;
	}
	for (const problem of report.problems) console.log(`PROBLEM: ${problem}`);
	return report.n8nProcesses === null ? 2 : 1;
}

main().then((code) => process.exit(code), (error) => {
	console.error(error);
	process.exit(2);
});
