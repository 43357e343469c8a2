// @ts-check
'use strict';
/**
 * The sandbox in n8n's queue mode, from real parts on 127.0.0.1 (no containers):
 *
 *   simulators (Meta, Stripe) ──► load balancer (proxy.js, round robin)
 *                                   ├──► n8n webhook  "webhook-1"  (own user folder, pack installed in it)
 *                                   └──► n8n webhook  "webhook-2"  (own user folder, pack installed in it)
 *   n8n main (editor/REST only: N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true)
 *   n8n worker "worker-1", "worker-2" (own user folders, pack installed in each)
 *   PostgreSQL (postgres.js: n8n's database, so also the Data Tables) · Redis (redis.js: the Bull job queue)
 *
 * Every n8n process shares only what separate hosts would share: the database, Redis and
 * N8N_ENCRYPTION_KEY. How the pack reaches each process (see docs/queue-mode-notes.md): main installs it
 * through the editor's REST call (Settings → Community nodes), which records name and version in the
 * database's `installed_packages`; each webhook and worker process starts with
 * N8N_REINSTALL_MISSING_PACKAGES=true and the same N8N_COMMUNITY_PACKAGES_REGISTRY, so at boot n8n's own code
 * (CommunityPackagesService.checkForMissingPackages) installs exactly the recorded version into that
 * process's own user folder from the registry.
 *
 * startQueueSandbox() returns what startSandbox() returns (the same helpers work: customerSays goes through
 * the load balancer, n8n/api is main) plus `queue`: handles to every process, the load balancer, Redis and
 * PostgreSQL, and `postToHost` to deliver a Meta webhook to one given host.
 */
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { startSandbox } = require('../sandbox');
const { startN8n } = require('../instance');
const { startPostgres } = require('./postgres');
const { startRedis, portOpen } = require('./redis');
const { startProxy } = require('./proxy');

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * One n8n process of the topology, by name.
 * @typedef {object} QueueProcess
 * @property {string} name                 'main', 'webhook-1', 'worker-2', …
 * @property {'start' | 'webhook' | 'worker'} command
 * @property {() => import('../instance').N8nHandle} handle   the current handle (changes on restart)
 * @property {() => Promise<void>} kill     SIGKILL to the process group (n8n and its task runner); waits until its port is closed
 * @property {(env?: Record<string, string | undefined>) => Promise<void>} restart  start again (after kill or a clean stop) on the same folder
 *           and ports; `env` changes its environment from then on (undefined removes a variable)
 * @property {() => Promise<void>} stop     SIGTERM (n8n's graceful shutdown), SIGKILL after a bound
 * @property {() => boolean} running
 */

/**
 * @param {{ userFolder?: string, port?: number, log?: (line: string) => void, n8nEnv?: Record<string, string | undefined>,
 *   webhookHosts?: number, workers?: number, hostEnv?: (name: string) => Record<string, string | undefined>,
 *   redisPassword?: string, [k: string]: any }} [opts]
 *   webhookHosts / workers: how many (default 2 and 2);
 *   n8nEnv: extra environment for every n8n process; hostEnv(name): extra environment for one of them
 */
async function startQueueSandbox(opts = {}) {
	const log = opts.log ?? (() => {});
	// CI runs on a clean machine: the project's own script installs PostgreSQL and Redis when missing.
	execFileSync('bash', [path.join(ROOT, 'scripts', 'queue', 'ensure-services.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });

	/** @type {any} */
	let topology;
	/** @type {Array<() => Promise<unknown>>} */
	const stops = [];
	const stopTopology = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};

	/** @param {any} n8nOptions  what startSandbox passes to startN8n */
	const launchN8n = async (n8nOptions) => {
		const baseFolder = n8nOptions.userFolder;
		const postgres = await startPostgres({ log });
		stops.push(() => postgres.stop());
		const redis = await startRedis({ log, ...(opts.redisPassword ? { password: opts.redisPassword } : {}) });
		stops.push(() => redis.stop());
		const proxy = await startProxy();
		stops.push(() => proxy.stop());
		log(`load balancer on ${proxy.url}`);
		const encryptionKey = crypto.randomBytes(24).toString('hex');
		/** Environment every process shares, as separate hosts of one deployment would. */
		const sharedEnv = {
			...postgres.n8nEnv,
			...redis.n8nEnv,
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: encryptionKey,
			// The public URL of webhooks is the load balancer's (shown in the editor, used by the template).
			N8N_WEBHOOK_URL: proxy.url,
			N8N_PROXY_HOPS: '1',
			// Each non-main process installs the pack version recorded in the database at boot (see above).
			N8N_REINSTALL_MISSING_PACKAGES: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...(n8nOptions.env ?? {}),
		};
		/** @type {Map<string, QueueProcess>} */
		const processes = new Map();
		/**
		 * @param {string} name
		 * @param {'start' | 'webhook' | 'worker'} command
		 * @param {Record<string, string | undefined>} [extraEnv]
		 * @param {Partial<import('../instance').StartN8nOptions>} [startOptions]
		 */
		const startProcess = async (name, command, extraEnv = {}, startOptions = {}) => {
			const t0 = Date.now();
			/** @type {Record<string, string | undefined>} */
			const env = { ...sharedEnv, ...(command === 'start' ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : {}), ...(opts.hostEnv?.(name) ?? {}), ...extraEnv };
			let handle = await startN8n({
				userFolder: path.join(baseFolder, name),
				registryUrl: n8nOptions.registryUrl,
				command,
				...(command === 'start' && n8nOptions.port ? { port: n8nOptions.port } : {}),
				env,
				stopGraceMs: 15_000,
				...startOptions,
			});
			log(`${name} (n8n ${command}) up on ${handle.baseUrl} in ${Math.round((Date.now() - t0) / 1000)} s`);
			let alive = true;
			/** @type {QueueProcess} */
			const proc = {
				name,
				command,
				handle: () => handle,
				running: () => alive,
				async kill() {
					try {
						process.kill(-handle.pid, 'SIGKILL');
					} catch {}
					alive = false;
					const deadline = Date.now() + 10_000;
					while (Date.now() < deadline && (await portOpen(handle.port))) await new Promise((r) => setTimeout(r, 50));
				},
				async restart(over = {}) {
					// Overrides stay for later restarts too (as a changed deployment setting would).
					Object.assign(env, over);
					handle = await handle.restart({ env });
					alive = true;
				},
				async stop() {
					alive = false;
					await handle.stop();
				},
			};
			processes.set(name, proc);
			return proc;
		};

		const main = await startProcess('main', 'start');
		stops.push(async () => {
			// Webhook hosts and workers first (in parallel), main last.
			await Promise.all([...processes.values()].filter((p) => p.name !== 'main').map((p) => p.stop().catch(() => undefined)));
			await main.stop();
		});

		topology = {
			postgres,
			redis,
			proxy,
			processes,
			main,
			/** @param {{ tarball: string }} _ctx */
			async startHostsAndWorkers(_ctx) {
				const starting = [];
				for (let i = 1; i <= (opts.webhookHosts ?? 2); i++) starting.push(startProcess(`webhook-${i}`, 'webhook'));
				for (let i = 1; i <= (opts.workers ?? 2); i++) starting.push(startProcess(`worker-${i}`, 'worker'));
				await Promise.all(starting);
				proxy.setTargets(topology.webhookHosts().map((/** @type {QueueProcess} */ p) => p.handle().baseUrl));
			},
			startProcess,
			webhookHosts: () => [...processes.values()].filter((p) => p.command === 'webhook'),
			workers: () => [...processes.values()].filter((p) => p.command === 'worker'),
		};
		// startSandbox's "n8n" is main, but webhook URLs are the load balancer's and stop() ends everything.
		/** @param {import('../instance').N8nHandle} h @returns {any} */
		const facade = (h) => ({
			...h,
			webhookUrl: (/** @type {string} */ p) => `${proxy.url}webhook/${p.replace(/^\/+/, '')}`,
			stop: stopTopology,
			restart: async (/** @type {any} */ over) => {
				await main.restart(over?.env ?? {});
				return facade(main.handle());
			},
		});
		return facade(main.handle());
	};

	try {
		const sandbox = await startSandbox({
			...opts,
			launchN8n,
			afterPackageInstalled: async (ctx) => {
				log('starting the webhook hosts and workers (each installs the pack version main recorded) …');
				await topology.startHostsAndWorkers(ctx);
			},
		});
		const queue = {
			postgres: topology.postgres,
			redis: topology.redis,
			proxy: topology.proxy,
			main: topology.main,
			webhookHosts: topology.webhookHosts(),
			workers: topology.workers(),
			/** @param {string} name */
			process: (name) => topology.processes.get(name),
			/**
			 * One more n8n process of the deployment (not behind the load balancer), e.g. a host set up
			 * differently; stopped with the sandbox.
			 * @type {(name: string, command: 'webhook' | 'worker', env?: Record<string, string | undefined>, startOptions?: object) => Promise<QueueProcess>}
			 */
			addProcess: (name, command, env, startOptions) => topology.startProcess(name, command, env, startOptions),
		};
		/**
		 * Signs and posts a Meta webhook body to one webhook host directly (not through the load balancer),
		 * as Meta's retry could land on either host behind it.
		 * @param {number} hostIndex   0-based
		 * @param {'whatsapp' | 'instagram'} channel
		 * @param {any} body
		 */
		const postToHost = async (hostIndex, channel, body) => {
			const raw = typeof body === 'string' ? body : JSON.stringify(body);
			const signature = `sha256=${crypto.createHmac('sha256', sandbox.secrets.appSecret).update(raw).digest('hex')}`;
			const host = queue.webhookHosts[hostIndex].handle();
			const url = sandbox.urls[channel].replace(topology.proxy.url, host.baseUrl);
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw });
			return { status: response.status, responseBody: await response.text() };
		};
		return Object.assign(sandbox, { queue, postToHost });
	} catch (error) {
		await stopTopology();
		throw error;
	}
}

module.exports = { startQueueSandbox };
