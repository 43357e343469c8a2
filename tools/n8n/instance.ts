/**
 * Runs a real n8n (2.40.7, from `.n8n-runtime`) on 127.0.0.1 and drives it over its own REST API,
 * the way the editor UI does.
 *
 *   const n8n = await startN8n({ userFolder, registryUrl });
 *   await n8n.api.installCommunityPackage('n8n-nodes-chat-checkout', '0.1.0');
 *   ...
 *   await n8n.stop();                       // SIGTERM, SIGKILL after a bound
 *   const again = await startN8n({ userFolder, registryUrl });   // same DB, packages, workflows
 *
 * Loopback only:
 * - every listener (HTTP, task broker) binds 127.0.0.1 on free ports;
 * - diagnostics, version notifications, templates, banners, AI, license renewal are off by env;
 * - HTTP(S)_PROXY / ALL_PROXY point at a sink on 127.0.0.1 that refuses every request and records
 *   the host (see `handle.blockedOutbound()`), with NO_PROXY=127.0.0.1,localhost,::1: whatever n8n
 *   (or the npm it spawns) would send to the outside world ends on this machine instead.
 *
 * Custom registry: n8n 2.40 allows `N8N_COMMUNITY_PACKAGES_REGISTRY` other than registry.npmjs.org only
 * with the enterprise license feature `feat:communityNodes:customRegistry`
 * (CommunityPackagesService.getNpmRegistry). The harness preloads (node -r) a few lines into the n8n
 * process that make `License.prototype.isCustomNpmRegistryEnabled()` return true, and nothing else
 * (licenseGatePreload.ts); the install itself then runs n8n's own code path (npm pack from the registry,
 * strip dev/peer deps, npm install --ignore-scripts, load, record in installed_packages).
 *
 * The REST client is api.ts, the refusing proxy outboundSink.ts; both are re-exported here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { paths, assertNode24, type LogFn } from './runtime';
import { freePort, waitForHttp, stopChild } from './processes';
import { N8nApi, N8nHttpError, OWNER, type Owner } from './api';
import { startOutboundSink, type BlockedRequest } from './outboundSink';
import { PRELOAD_SOURCE } from './licenseGatePreload';

export { N8nApi, N8nHttpError, OWNER, startOutboundSink };

export type N8nCommand = 'start' | 'webhook' | 'worker';

export interface StartN8nOptions {
	/** N8N_USER_FOLDER (n8n keeps `.n8n/` with the SQLite DB, config, nodes/ in it) */
	userFolder: string;
	/** verdaccio URL for N8N_COMMUNITY_PACKAGES_REGISTRY (e.g. registry.url) */
	registryUrl?: string;
	/** N8N_PORT (default: a free port) */
	port?: number;
	/** N8N_RUNNERS_BROKER_PORT (default: a free port) */
	brokerPort?: number;
	/** extra env (wins over the defaults; undefined removes) */
	env?: Record<string, string | undefined>;
	log?: LogFn;
	/** default 120000 */
	bootTimeoutMs?: number;
	/** SIGKILL after this many ms of SIGTERM (default 20000) */
	stopGraceMs?: number;
	/** set up the owner / log in before returning (default true) */
	login?: boolean;
	/** default OWNER */
	owner?: Owner;
	/** open the custom-registry licence gate (default true; false = n8n as shipped) */
	licenseGate?: boolean;
	/**
	 * another n8n line (instance1x.ts): its n8n, the Node that runs it, its REST client and licence-gate preload
	 * (default: 2.40.7 under this Node)
	 */
	runtime?: { n8nBin: string; nodeBin: string; Api?: typeof N8nApi; preload?: string };
	/**
	 * n8n's command (default 'start'); 'webhook' and 'worker' are queue-mode processes: they never log in, and a
	 * worker answers /healthz on `port` through its health server (QUEUE_HEALTH_CHECK_ACTIVE /
	 * QUEUE_HEALTH_CHECK_PORT / N8N_WORKER_SERVER_ADDRESS)
	 */
	command?: N8nCommand;
}

export interface N8nHandle {
	/** http://127.0.0.1:<port>/ */
	baseUrl: string;
	port: number;
	brokerPort: number;
	userFolder: string;
	/** <userFolder>/n8n.log (appended across restarts) */
	logFile: string;
	pid: number;
	/** spawn → /healthz/readiness 200 */
	bootMs: number;
	api: N8nApi;
	/** production URL: <baseUrl>webhook/<p> */
	webhookUrl: (p: string) => string;
	/** outbound attempts the sink refused */
	blockedOutbound: () => BlockedRequest[];
	/** current content of the log file */
	logs: () => string;
	/** SIGTERM, then SIGKILL after stopGraceMs; also closes the sink */
	stop: () => Promise<void>;
	/** stop(), then startN8n with the same options on the same user folder and the same ports (so webhook URLs stay valid) */
	restart: (over?: Partial<StartN8nOptions>) => Promise<N8nHandle>;
}

/** Starts n8n and waits until it is ready (and, by default, logged in as the owner). */
export async function startN8n(opts: StartN8nOptions): Promise<N8nHandle> {
	if (!opts.runtime) assertNode24();
	const log = opts.log ?? (() => {});
	const n8nBin = opts.runtime?.n8nBin ?? paths.n8nBin;
	const nodeBin = opts.runtime?.nodeBin ?? process.execPath;
	if (!fs.existsSync(n8nBin)) throw new Error(`n8n is not installed at ${n8nBin}: call ensureRuntime() first`);
	const userFolder = path.resolve(opts.userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	const port = opts.port ?? (await freePort());
	let brokerPort = opts.brokerPort ?? (await freePort());
	while (brokerPort === port) brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}/`;
	const harnessDir = path.join(userFolder, '.e2e-harness');
	fs.mkdirSync(harnessDir, { recursive: true });
	const preload = path.join(harnessDir, 'preload-license-gate.cjs');
	fs.writeFileSync(preload, opts.runtime?.preload ?? PRELOAD_SOURCE);
	const sink = await startOutboundSink();

	// npm that n8n spawns (npm pack / install / outdated): only the loopback registry, own cache.
	const npmrc = path.join(harnessDir, 'npmrc');
	fs.writeFileSync(
		npmrc,
		[
			...(opts.registryUrl ? [`registry=${opts.registryUrl}`] : []),
			'audit=false',
			'fund=false',
			'update-notifier=false',
			`cache=${path.join(harnessDir, 'npm-cache')}`,
			'',
		].join('\n'),
	);

	const env: Record<string, string | undefined> = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Drop the outer npm's lifecycle/config variables (when run via `npm test`), keep nodedir etc. out.
		if (/^npm_/i.test(k)) continue;
		// A test runner's own variables (jest sets NODE_ENV=test, which n8n treats as its own test mode).
		if (/^(JEST_|NODE_ENV$|TS_JEST)/.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		// 2.40 reads N8N_WEBHOOK_URL first and only falls back to WEBHOOK_URL (deprecated, logs a warning)
		N8N_WEBHOOK_URL: baseUrl,
		N8N_EDITOR_BASE_URL: baseUrl,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// quiet + nothing phoned home
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // no fetch of the vetted-node list from api.n8n.io
		N8N_DISABLED_MODULES: 'mcp-registry', // its system task pulls the MCP server list from api.n8n.io
		// community packages from the loopback registry
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		...(opts.registryUrl ? { N8N_COMMUNITY_PACKAGES_REGISTRY: opts.registryUrl.replace(/\/+$/, '') } : {}),
		npm_config_userconfig: npmrc,
		...(opts.registryUrl ? { npm_config_registry: opts.registryUrl } : {}),
		// outbound safety net: anything not on loopback goes to the refusing sink
		HTTP_PROXY: sink.url,
		HTTPS_PROXY: sink.url,
		ALL_PROXY: sink.url,
		http_proxy: sink.url,
		https_proxy: sink.url,
		all_proxy: sink.url,
		NO_PROXY: '127.0.0.1,localhost,::1',
		no_proxy: '127.0.0.1,localhost,::1',
		// set explicitly: silences 2.40's "default will change" deprecation notices (values = current defaults)
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_LEVEL: 'info',
		NO_COLOR: '1',
	});
	for (const [k, v] of Object.entries(opts.env ?? {})) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}

	const logFile = path.join(userFolder, 'n8n.log');
	const started = opts.command && opts.command !== 'start' ? `start n8n ${opts.command}` : 'start n8n'; // tests read this header
	fs.appendFileSync(logFile, `\n===== ${new Date().toISOString()} ${started} on ${baseUrl} (broker ${brokerPort}) =====\n`);
	const out = fs.openSync(logFile, 'a');
	const t0 = Date.now();
	const command = opts.command ?? 'start';
	if (command === 'worker') {
		// A worker serves no editor or webhooks: its health server is what says it is up.
		Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
	}
	const child = spawn(nodeBin, [...(opts.licenseGate === false ? [] : ['-r', preload]), n8nBin, command], {
		cwd: userFolder,
		env: env as NodeJS.ProcessEnv,
		stdio: ['ignore', out, out],
		detached: true, // own process group: stop() also ends the task runner it spawns
	});
	fs.closeSync(out);
	const pid = child.pid as number;
	// If the harness process itself goes away, do not leave n8n behind.
	const onExit = () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	};
	process.once('exit', onExit);

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		const t = Date.now();
		await stopChild(child, opts.stopGraceMs ?? 20_000, true);
		process.off('exit', onExit);
		await sink.close();
		log(`n8n stopped in ${Date.now() - t} ms`);
	};

	try {
		await waitForHttp(`${baseUrl}healthz`, { timeoutMs: opts.bootTimeoutMs ?? 120_000, child, what: 'n8n', logFile });
		await waitForHttp(`${baseUrl}healthz/readiness`, { timeoutMs: opts.bootTimeoutMs ?? 120_000, child, what: 'n8n', logFile });
	} catch (e) {
		await stop();
		throw e;
	}
	const bootMs = Date.now() - t0;
	log(`n8n up on ${baseUrl} in ${bootMs} ms (log ${logFile})`);

	const api = new (opts.runtime?.Api ?? N8nApi)(baseUrl, opts.owner);
	if (opts.login !== false && (opts.command ?? 'start') === 'start') {
		try {
			await api.ensureOwnerSession();
		} catch (e) {
			await stop();
			throw e;
		}
	}

	return {
		baseUrl,
		port,
		brokerPort,
		userFolder,
		logFile,
		pid,
		bootMs,
		api,
		webhookUrl: (p) => `${baseUrl}webhook/${p.replace(/^\/+/, '')}`,
		blockedOutbound: () => sink.blocked.slice(),
		logs: () => fs.readFileSync(logFile, 'utf8'),
		stop,
		restart: async (over = {}) => {
			await stop();
			return startN8n({ ...opts, port, brokerPort, ...over });
		},
	};
}
