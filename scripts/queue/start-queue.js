// @ts-check
'use strict';
/**
 * `npm run start:queue`: the sandbox of `npm start`, in n8n's queue mode — PostgreSQL, Redis, one main,
 * two webhook hosts behind a round-robin load balancer, two workers (tools/n8n/queue/sandbox.ts) —
 * with the same two demo conversations and the same chat prompt.
 *
 * It runs scripts/sandbox.js itself (one source for the conversations and the prompt): before that script
 * loads, the harness's startSandbox is replaced by one that starts the queue sandbox instead.
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../../tools/register');
const fs = require('node:fs');
const path = require('node:path');
const harness = require('../../tools/n8n/sandbox');
const { startQueueSandbox } = require('../../tools/n8n/queue/sandbox');

const ROOT = path.resolve(__dirname, '..', '..');

/** @param {any} opts  what scripts/sandbox.js passes */
harness.startSandbox = async (opts = {}) => {
	const log = opts.log ?? (() => {});
	const sandbox = await startQueueSandbox({ ...opts, userFolder: path.join(ROOT, '.sandbox', 'queue') });
	const { queue } = sandbox;
	log('queue mode:');
	log(`  load balancer (Meta and Stripe call it)  ${queue.proxy.url}`);
	for (const p of [queue.main, ...queue.webhookHosts, ...queue.workers]) {
		log(`  ${p.name.padEnd(10)} n8n ${p.command.padEnd(7)} ${p.handle().baseUrl}   log ${path.relative(ROOT, p.handle().logFile)}`);
	}
	log(`  PostgreSQL 127.0.0.1:${queue.postgres.port}, Redis 127.0.0.1:${queue.redis.port}`);
	// `npm run queue:check` reads n8n's Redis settings from here (no secrets: the sandbox's Redis has no password).
	const envFile = path.join(ROOT, '.sandbox', 'queue', 'queue.env');
	fs.writeFileSync(envFile, ['EXECUTIONS_MODE=queue', ...Object.entries(queue.redis.n8nEnv).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
	log(`  which processes have the pack: npm run queue:check`);
	return sandbox;
};

require('../sandbox');
