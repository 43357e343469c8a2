// @ts-check
'use strict';
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
 * process that make `License.prototype.isCustomNpmRegistryEnabled()` return true, and nothing else;
 * the install itself then runs n8n's own code path (npm pack from the registry, strip dev/peer deps,
 * npm install --ignore-scripts, load, record in installed_packages).
 */
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { paths, assertNode24 } = require('./runtime');
const { freePort, waitForHttp, stopChild, sleep } = require('./registry');

/** @typedef {(line: string) => void} LogFn */

const OWNER = Object.freeze({
	email: 'owner@e2e.example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-harness-Passw0rd',
});
const BROWSER_ID = 'e2e-harness-browser';

const PRELOAD_SOURCE = `'use strict';
// Written by test/e2e/harness/n8n.js. Loaded with \`node -r\` into the n8n process under test only.
// n8n refuses a non-default community-package registry unless its license has
// feat:communityNodes:customRegistry; this opens that one gate (and nothing else) so the
// e2e tests can install packages from a loopback verdaccio through n8n's own install path.
const Module = require('node:module');
const origRequire = Module.prototype.require;
let patched = false;
Module.prototype.require = function (id) {
  const exp = origRequire.apply(this, arguments);
  if (!patched && typeof id === 'string' && /(^|\\/)license(\\.js)?$/.test(id)) {
    try {
      const L = exp && exp.License;
      if (typeof L === 'function' && typeof L.prototype.isCustomNpmRegistryEnabled === 'function') {
        L.prototype.isCustomNpmRegistryEnabled = function () { return true; };
        patched = true;
        Module.prototype.require = origRequire;
        process.stderr.write('[e2e-harness] custom community-package registry allowed (license gate opened)\\n');
      }
    } catch {}
  }
  return exp;
};
`;

/**
 * A loopback HTTP proxy that refuses everything: n8n's outbound calls end here.
 * @returns {Promise<{ url: string, port: number, blocked: Array<{ method: string, target: string, at: string }>, close: () => Promise<void> }>}
 */
async function startOutboundSink() {
	/** @type {Array<{ method: string, target: string, at: string }>} */
	const blocked = [];
	const srv = http.createServer((req, res) => {
		blocked.push({ method: req.method ?? '?', target: req.url ?? '', at: new Date().toISOString() });
		res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
		res.end('e2e harness: outbound traffic is blocked (loopback only)\n');
	});
	srv.on('connect', (req, socket) => {
		blocked.push({ method: 'CONNECT', target: req.url ?? '', at: new Date().toISOString() });
		socket.on('error', () => {});
		socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
	});
	srv.on('clientError', (_e, socket) => socket.destroy());
	await new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(undefined)));
	const addr = srv.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		blocked,
		close: () =>
			new Promise((resolve) => {
				srv.closeAllConnections?.();
				srv.close(() => resolve(undefined));
			}),
	};
}

/**
 * @typedef {object} StartN8nOptions
 * @property {string} userFolder          N8N_USER_FOLDER (n8n keeps `.n8n/` with the SQLite DB, config, nodes/ in it)
 * @property {string} [registryUrl]       verdaccio URL for N8N_COMMUNITY_PACKAGES_REGISTRY (e.g. registry.url)
 * @property {number} [port]              N8N_PORT (default: a free port)
 * @property {number} [brokerPort]        N8N_RUNNERS_BROKER_PORT (default: a free port)
 * @property {Record<string, string | undefined>} [env]  extra env (wins over the defaults; undefined removes)
 * @property {LogFn} [log]
 * @property {number} [bootTimeoutMs]     default 120000
 * @property {number} [stopGraceMs]       SIGKILL after this many ms of SIGTERM (default 20000)
 * @property {boolean} [login]            set up the owner / log in before returning (default true)
 * @property {{ email: string, firstName: string, lastName: string, password: string }} [owner]  default OWNER
 * @property {boolean} [licenseGate]      open the custom-registry licence gate (default true; false = n8n as shipped)
 * @property {{ n8nBin: string, nodeBin: string, Api?: typeof N8nApi, preload?: string }} [runtime]  another n8n line
 *           (n8n-1x.js): its n8n, the Node that runs it, its REST client and licence-gate preload (default: 2.40.7 under this Node)
 * @property {'start' | 'webhook' | 'worker'} [command]  n8n's command (default 'start'); 'webhook' and 'worker' are
 *           queue-mode processes: they never log in, and a worker answers /healthz on `port` through its
 *           health server (QUEUE_HEALTH_CHECK_ACTIVE / QUEUE_HEALTH_CHECK_PORT / N8N_WORKER_SERVER_ADDRESS)
 */

/**
 * @typedef {object} N8nHandle
 * @property {string} baseUrl            http://127.0.0.1:<port>/
 * @property {number} port
 * @property {number} brokerPort
 * @property {string} userFolder
 * @property {string} logFile            <userFolder>/n8n.log (appended across restarts)
 * @property {number} pid
 * @property {number} bootMs             spawn → /healthz/readiness 200
 * @property {N8nApi} api
 * @property {(p: string) => string} webhookUrl       production URL: <baseUrl>webhook/<p>
 * @property {() => Array<{ method: string, target: string, at: string }>} blockedOutbound  outbound attempts the sink refused
 * @property {() => string} logs         current content of the log file
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after stopGraceMs; also closes the sink
 * @property {(over?: Partial<StartN8nOptions>) => Promise<N8nHandle>} restart  stop(), then startN8n with the
 *           same options on the same user folder and the same ports (so webhook URLs stay valid)
 */

/**
 * Starts n8n and waits until it is ready (and, by default, logged in as the owner).
 * @param {StartN8nOptions} opts
 * @returns {Promise<N8nHandle>}
 */
async function startN8n(opts) {
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

	/** @type {Record<string, string | undefined>} */
	const env = {};
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
		env: /** @type {NodeJS.ProcessEnv} */ (env),
		stdio: ['ignore', out, out],
		detached: true, // own process group: stop() also ends the task runner it spawns
	});
	fs.closeSync(out);
	const pid = /** @type {number} */ (child.pid);
	// If the harness process itself goes away, do not leave n8n behind.
	const onExit = () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
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

class N8nHttpError extends Error {
	/**
	 * @param {string} message
	 * @param {number} status
	 * @param {any} body
	 */
	constructor(message, status, body) {
		super(message);
		this.name = 'N8nHttpError';
		this.status = status;
		this.body = body;
	}
}

/** Authenticated client of n8n's internal REST API (`/rest/...`, as used by the editor UI). */
class N8nApi {
	/** @param {string} baseUrl @param {{ email: string, firstName: string, lastName: string, password: string }} [owner] */
	constructor(baseUrl, owner = OWNER) {
		this.baseUrl = baseUrl;
		/** @type {string | undefined} */
		this.cookie = undefined;
		/** @type {string | undefined} */
		this._projectId = undefined;
		this.owner = owner;
	}

	/**
	 * One REST call. Returns the `data` field of n8n's `{ data }` envelope (or the whole body if none).
	 * @param {string} method
	 * @param {string} route     e.g. '/workflows' (prefixed with /rest)
	 * @param {{ body?: any, query?: Record<string, string | number | boolean | undefined>, timeoutMs?: number, raw?: boolean }} [o]
	 * @returns {Promise<any>}
	 */
	async request(method, route, o = {}) {
		const url = new URL(`rest${route}`, this.baseUrl);
		for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': BROWSER_ID };
		if (this.cookie) headers.cookie = this.cookie;
		if (o.body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, {
			method,
			headers,
			body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
			signal: AbortSignal.timeout(o.timeoutMs ?? 60_000),
		});
		const setCookies = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookies) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		/** @type {any} */
		let body = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {}
		if (!res.ok) {
			const msg = (body && typeof body === 'object' && (body.message || body.error)) || text.slice(0, 500);
			throw new N8nHttpError(`${method} ${url.pathname}${url.search} → ${res.status}: ${msg}`, res.status, body);
		}
		if (o.raw) return body;
		return body && typeof body === 'object' && 'data' in body ? body.data : body;
	}

	/** Owner setup on a fresh instance, else log in. Keeps the auth cookie. */
	async ensureOwnerSession() {
		try {
			await this.request('POST', '/owner/setup', { body: this.owner });
			return 'setup';
		} catch (e) {
			if (!(e instanceof N8nHttpError) || e.status !== 400) throw e;
		}
		await this.login();
		return 'login';
	}

	/** POST /rest/login as the owner. */
	async login(email = this.owner.email, password = this.owner.password) {
		return this.request('POST', '/login', { body: { emailOrLdapLoginId: email, password } });
	}

	/** The owner's personal project id (GET /rest/projects/personal). */
	async projectId() {
		if (!this._projectId) this._projectId = String((await this.request('GET', '/projects/personal')).id);
		return this._projectId;
	}

	// ---- community packages (Settings → Community nodes) ----

	/**
	 * POST /rest/community-packages { name, version } — what the UI's "Install" does.
	 * Node types of the package become `<name>.<nodeType>`.
	 * @param {string} name
	 * @param {string} [version]
	 */
	async installCommunityPackage(name, version) {
		return this.request('POST', '/community-packages', { body: { name, version }, timeoutMs: 300_000 });
	}
	/** GET /rest/community-packages */
	async listCommunityPackages() {
		return this.request('GET', '/community-packages', { timeoutMs: 120_000 });
	}
	/** PATCH /rest/community-packages { name, version } */
	async updateCommunityPackage(/** @type {string} */ name, /** @type {string | undefined} */ version) {
		return this.request('PATCH', '/community-packages', { body: { name, version }, timeoutMs: 300_000 });
	}
	/** DELETE /rest/community-packages?name= */
	async uninstallCommunityPackage(/** @type {string} */ name) {
		return this.request('DELETE', '/community-packages', { query: { name }, timeoutMs: 120_000 });
	}
	/** Node type descriptions known to the instance (GET /types/nodes.json, as the editor loads them). */
	async nodeTypes() {
		const res = await fetch(new URL('types/nodes.json', this.baseUrl), {
			headers: { 'browser-id': BROWSER_ID, ...(this.cookie ? { cookie: this.cookie } : {}) },
		});
		if (!res.ok) throw new N8nHttpError(`GET /types/nodes.json → ${res.status}`, res.status, await res.text());
		return /** @type {Promise<any[]>} */ (res.json());
	}

	// ---- credentials ----

	/**
	 * POST /rest/credentials → id
	 * @param {string} name
	 * @param {string} type   credential type name, e.g. 'httpHeaderAuth' or a package's own type
	 * @param {Record<string, unknown>} data
	 */
	async createCredential(name, type, data) {
		const c = await this.request('POST', '/credentials', { body: { name, type, data } });
		return String(c.id);
	}

	// ---- data tables (n8n 2.x; live under a project) ----

	/**
	 * POST /rest/projects/:projectId/data-tables → id
	 * @param {string} name
	 * @param {Array<{ name: string, type: 'string' | 'number' | 'boolean' | 'date' }>} columns
	 */
	async createDataTable(name, columns) {
		const pid = await this.projectId();
		const t = await this.request('POST', `/projects/${pid}/data-tables`, { body: { name, columns } });
		return String(t.id);
	}
	/**
	 * POST /rest/projects/:projectId/data-tables/:id/insert → inserted rows (returnType 'all')
	 * @param {string} tableId
	 * @param {Array<Record<string, string | number | boolean | null>>} rows
	 */
	async insertRows(tableId, rows) {
		const pid = await this.projectId();
		return this.request('POST', `/projects/${pid}/data-tables/${tableId}/insert`, { body: { data: rows, returnType: 'all' } });
	}
	/**
	 * GET /rest/projects/:projectId/data-tables/:id/rows → { count, data }
	 * @param {string} tableId
	 * @param {{ take?: number, skip?: number, filter?: { type?: 'and' | 'or', filters: Array<{ columnName: string, condition?: string, value: any }> }, sortBy?: string }} [q]
	 */
	async listRows(tableId, q = {}) {
		const pid = await this.projectId();
		return this.request('GET', `/projects/${pid}/data-tables/${tableId}/rows`, {
			query: { take: q.take ?? 250, skip: q.skip, sortBy: q.sortBy, filter: q.filter ? JSON.stringify(q.filter) : undefined },
		});
	}
	/**
	 * PATCH /rest/projects/:projectId/data-tables/:id/rows: rows matching every `where` column get `data`.
	 * @param {string} tableId
	 * @param {Record<string, string | number>} where
	 * @param {Record<string, unknown>} data
	 */
	async updateRows(tableId, where, data) {
		const pid = await this.projectId();
		const filters = Object.entries(where).map(([columnName, value]) => ({ columnName, condition: 'eq', value }));
		return this.request('PATCH', `/projects/${pid}/data-tables/${tableId}/rows`, { body: { filter: { type: 'and', filters }, data, returnData: true } });
	}
	/** GET /rest/projects/:projectId/data-tables */
	async listDataTables() {
		const pid = await this.projectId();
		return this.request('GET', `/projects/${pid}/data-tables`);
	}

	// ---- workflows ----

	/**
	 * POST /rest/workflows (an exported workflow JSON; unpublished, like an import) → id
	 * @param {any} json  { name, nodes, connections, settings?, pinData?, staticData?, meta? }
	 */
	async importWorkflow(json) {
		const body = {
			name: json.name ?? 'e2e workflow',
			nodes: json.nodes,
			connections: json.connections ?? {},
			settings: json.settings ?? { executionOrder: 'v1' },
			...(json.pinData ? { pinData: json.pinData } : {}),
			...(json.staticData ? { staticData: json.staticData } : {}),
			...(json.meta ? { meta: json.meta } : {}),
			active: false,
		};
		const w = await this.request('POST', '/workflows', { body });
		return String(w.id);
	}
	/** GET /rest/workflows/:id */
	async getWorkflow(/** @type {string} */ id) {
		return this.request('GET', `/workflows/${id}`);
	}
	/**
	 * "Publish" (n8n 2.x; was "activate"): POST /rest/workflows/:id/activate { versionId } with the
	 * workflow's current versionId.
	 *
	 * In 2.40 publishing goes through an outbox (N8N_USE_WORKFLOW_PUBLICATION_SERVICE, on by default):
	 * the call returns `active: true` at once, and the triggers/webhooks are registered a moment later
	 * by the outbox consumer. Unless `wait: false`, this polls GET /rest/workflows/:id/publication-status
	 * until it is 'published' and throws when it ends 'failed' / 'partial' (with the trigger errors).
	 * @param {string} id
	 * @param {{ wait?: boolean, timeoutMs?: number }} [o]
	 * @returns {Promise<{ workflow: any, publication?: { status: string, liveVersionId: string | null, triggers: any[] }, waitedMs: number }>}
	 */
	async publishWorkflow(id, o = {}) {
		const w = await this.getWorkflow(id);
		const workflow = await this.request('POST', `/workflows/${id}/activate`, { body: { versionId: w.versionId } });
		const t0 = Date.now();
		if (o.wait === false) return { workflow, waitedMs: 0 };
		const deadline = t0 + (o.timeoutMs ?? 30_000);
		/** @type {any} */
		let st;
		while (Date.now() < deadline) {
			try {
				st = await this.request('GET', `/workflows/${id}/publication-status`);
			} catch (e) {
				// N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false: activation was synchronous, nothing to wait for.
				if (e instanceof N8nHttpError && e.status === 404) return { workflow, waitedMs: Date.now() - t0 };
				throw e;
			}
			if (st.status === 'published' && st.liveVersionId === w.versionId) return { workflow, publication: st, waitedMs: Date.now() - t0 };
			if (st.status === 'failed' || st.status === 'partial') {
				const errs = (st.triggers ?? []).filter((/** @type {any} */ t) => t.status === 'failed').map((/** @type {any} */ t) => `${t.nodeId}: ${t.errorMessage}`);
				throw new Error(`publishing workflow ${id} ended '${st.status}': ${errs.join('; ')}`);
			}
			await sleep(100);
		}
		throw new Error(`publishing workflow ${id}: still '${st?.status}' after ${o.timeoutMs ?? 30_000} ms`);
	}
	/** POST /rest/workflows/:id/deactivate */
	async unpublishWorkflow(/** @type {string} */ id) {
		return this.request('POST', `/workflows/${id}/deactivate`, { body: {} });
	}
	/** GET /rest/workflows */
	async listWorkflows() {
		return this.request('GET', '/workflows');
	}

	// ---- executions ----

	/**
	 * GET /rest/executions?filter={"workflowId":…} → summaries, newest first (at most `limit`, ≤ 100)
	 * @param {string} workflowId
	 * @param {{ limit?: number, status?: string[] }} [o]
	 * @returns {Promise<Array<{ id: string, status: string, finished: boolean, mode: string, startedAt: string, stoppedAt?: string, workflowId: string }>>}
	 */
	async listExecutions(workflowId, o = {}) {
		const filter = { workflowId: String(workflowId), ...(o.status ? { status: o.status } : {}) };
		const r = await this.request('GET', '/executions', { query: { filter: JSON.stringify(filter), limit: o.limit ?? 100 } });
		return r.results ?? r;
	}
	/**
	 * GET /rest/executions/:id with its run data decoded (n8n sends it `flatted`-encoded):
	 * `execution.data.resultData.runData[nodeName][0].data.main[0]` are a node's output items.
	 * @param {string} id
	 */
	async getExecution(id) {
		const e = await this.request('GET', `/executions/${id}`);
		if (e && typeof e.data === 'string') {
			const { parse } = require(path.join(paths.nodeModules, 'flatted'));
			e.data = parse(e.data);
		}
		return e;
	}
	/**
	 * Output items (json) of `nodeName` in an execution (first run, first output by default).
	 * @param {any} execution  result of getExecution
	 * @param {string} nodeName
	 * @param {{ run?: number, output?: number }} [o]
	 * @returns {any[]}
	 */
	nodeOutput(execution, nodeName, o = {}) {
		const run = execution?.data?.resultData?.runData?.[nodeName]?.[o.run ?? 0];
		if (!run) return [];
		return (run.data?.main?.[o.output ?? 0] ?? []).map((/** @type {any} */ i) => i.json);
	}
	/**
	 * Polls until the workflow has at least `count` executions that are no longer running.
	 * @param {string} workflowId
	 * @param {number} count
	 * @param {{ timeoutMs?: number }} [o]
	 */
	async waitForExecutions(workflowId, count, o = {}) {
		const deadline = Date.now() + (o.timeoutMs ?? 30_000);
		/** @type {any[]} */
		let list = [];
		while (Date.now() < deadline) {
			list = await this.listExecutions(workflowId);
			const done = list.filter((e) => !['running', 'new', 'waiting', 'queued'].includes(e.status));
			if (done.length >= count) return done;
			await sleep(200);
		}
		throw new Error(`workflow ${workflowId}: ${list.length} executions (${list.map((e) => e.status).join(',')}) after ${o.timeoutMs ?? 30_000} ms, wanted ${count} finished`);
	}
}

module.exports = { startN8n, N8nApi, N8nHttpError, startOutboundSink, OWNER };
