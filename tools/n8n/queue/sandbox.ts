/**
 * The sandbox in n8n's queue mode, from real parts on 127.0.0.1 (no containers):
 *
 *   simulators (Meta, Stripe) ──► load balancer (proxy.ts, round robin)
 *                                   ├──► n8n webhook  "webhook-1"  (own user folder, pack installed in it)
 *                                   └──► n8n webhook  "webhook-2"  (own user folder, pack installed in it)
 *   n8n main (editor/REST only: N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true)
 *   n8n worker "worker-1", "worker-2" (own user folders, pack installed in each)
 *   PostgreSQL (postgres.ts: n8n's database, so also the Data Tables) · Redis (redis.ts: the Bull job queue)
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
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startSandbox, type SandboxOptions } from '../sandbox';
import { startN8n, type N8nCommand, type N8nHandle, type StartN8nOptions } from '../instance';
import { startPostgres, type Postgres } from './postgres';
import { startRedis, type Redis } from './redis';
import { startProxy, type Proxy } from './proxy';
import { postMetaWebhook } from '../../sandbox/metaWebhooks';
import { portOpen } from '../processes';
import { eventuallyOrUndefined } from '../../wait';

const ROOT = path.resolve(__dirname, '..', '..', '..');

type Env = Record<string, string | undefined>;

/** One n8n process of the topology, by name. */
export interface QueueProcess {
	/** 'main', 'webhook-1', 'worker-2', … */
	name: string;
	command: N8nCommand;
	/** the current handle (changes on restart) */
	handle: () => N8nHandle;
	/** SIGKILL to the process group (n8n and its task runner); waits (10 s at most) until its port is closed */
	kill: () => Promise<void>;
	/**
	 * start again (after kill or a clean stop) on the same folder and ports; `env` changes its environment from
	 * then on (undefined removes a variable)
	 */
	restart: (env?: Env) => Promise<void>;
	/** SIGTERM (n8n's graceful shutdown), SIGKILL after a bound */
	stop: () => Promise<void>;
	running: () => boolean;
}

interface Topology {
	postgres: Postgres;
	redis: Redis;
	proxy: Proxy;
	processes: Map<string, QueueProcess>;
	main: QueueProcess;
	startHostsAndWorkers: (ctx: { tarball: string }) => Promise<void>;
	startProcess: (name: string, command: N8nCommand, extraEnv?: Env, startOptions?: Partial<StartN8nOptions>) => Promise<QueueProcess>;
	webhookHosts: () => QueueProcess[];
	workers: () => QueueProcess[];
}

export interface QueueSandboxOptions extends Omit<SandboxOptions, 'launchN8n' | 'afterPackageInstalled'> {
	/** how many webhook processes (default 2) */
	webhookHosts?: number;
	/** how many workers (default 2) */
	workers?: number;
	/** extra environment for one of the processes (n8nEnv: for every one) */
	hostEnv?: (name: string) => Env;
	redisPassword?: string;
}

export async function startQueueSandbox(opts: QueueSandboxOptions = {}) {
	const log = opts.log ?? (() => {});
	// CI runs on a clean machine: the project's own script installs PostgreSQL and Redis when missing.
	execFileSync('bash', [path.join(ROOT, 'scripts', 'queue', 'ensure-services.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });

	let topology: Topology | undefined;
	const stops: Array<() => Promise<unknown>> = [];
	const stopTopology = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};

	/** `n8nOptions`: what startSandbox passes to startN8n */
	const launchN8n = async (n8nOptions: StartN8nOptions): Promise<N8nHandle> => {
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
		const processes = new Map<string, QueueProcess>();
		const startProcess = async (name: string, command: N8nCommand, extraEnv: Env = {}, startOptions: Partial<StartN8nOptions> = {}): Promise<QueueProcess> => {
			const t0 = Date.now();
			const env: Env = { ...sharedEnv, ...(command === 'start' ? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } : {}), ...(opts.hostEnv?.(name) ?? {}), ...extraEnv };
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
			const proc: QueueProcess = {
				name,
				command,
				handle: () => handle,
				running: () => alive,
				async kill() {
					try {
						process.kill(-handle.pid, 'SIGKILL');
					} catch {
						// already gone
					}
					alive = false;
					// Bounded, and not an error when the port is still open after it (the caller's checks say what matters).
					await eventuallyOrUndefined(`${name}'s port to close after SIGKILL`, async () => !(await portOpen(handle.port)), { timeoutMs: 10_000, intervalMs: 50 });
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

		const built: Topology = {
			postgres,
			redis,
			proxy,
			processes,
			main,
			async startHostsAndWorkers() {
				const starting: Array<Promise<QueueProcess>> = [];
				for (let i = 1; i <= (opts.webhookHosts ?? 2); i++) starting.push(startProcess(`webhook-${i}`, 'webhook'));
				for (let i = 1; i <= (opts.workers ?? 2); i++) starting.push(startProcess(`worker-${i}`, 'worker'));
				await Promise.all(starting);
				proxy.setTargets(built.webhookHosts().map((p) => p.handle().baseUrl));
			},
			startProcess,
			webhookHosts: () => [...processes.values()].filter((p) => p.command === 'webhook'),
			workers: () => [...processes.values()].filter((p) => p.command === 'worker'),
		};
		topology = built;
		// startSandbox's "n8n" is main, but webhook URLs are the load balancer's and stop() ends everything.
		const facade = (h: N8nHandle): N8nHandle => ({
			...h,
			webhookUrl: (p: string) => `${proxy.url}webhook/${p.replace(/^\/+/, '')}`,
			stop: stopTopology,
			restart: async (over?: Partial<StartN8nOptions>) => {
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
				await (topology as Topology).startHostsAndWorkers(ctx);
			},
		});
		const built = topology as Topology;
		const queue = {
			postgres: built.postgres,
			redis: built.redis,
			proxy: built.proxy,
			main: built.main,
			webhookHosts: built.webhookHosts(),
			workers: built.workers(),
			process: (name: string) => built.processes.get(name),
			/**
			 * One more n8n process of the deployment (not behind the load balancer), e.g. a host set up
			 * differently; stopped with the sandbox.
			 */
			addProcess: (name: string, command: 'webhook' | 'worker', env?: Env, startOptions?: Partial<StartN8nOptions>) => built.startProcess(name, command, env, startOptions),
		};
		/**
		 * Signs and posts a Meta webhook body to one webhook host (`hostIndex`, 0-based) directly (not through the
		 * load balancer), as Meta's retry could land on either host behind it.
		 */
		const postToHost = async (hostIndex: number, channel: 'whatsapp' | 'instagram', body: unknown) => {
			const host = queue.webhookHosts[hostIndex].handle();
			return postMetaWebhook(sandbox.urls[channel].replace(built.proxy.url, host.baseUrl), body, { secret: sandbox.secrets.appSecret });
		};
		return Object.assign(sandbox, { queue, postToHost });
	} catch (error) {
		await stopTopology();
		throw error;
	}
}
