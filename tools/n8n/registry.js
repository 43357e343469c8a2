// @ts-check
'use strict';
/**
 * A throwaway npm registry (verdaccio 6.8.0 from `.n8n-runtime`) on 127.0.0.1:<free port>.
 *
 * - Own temp folder for config, storage and htpasswd; removed on stop() unless `keep: true`.
 * - No uplinks: nothing is proxied to any outside registry; a package that was not published here
 *   is simply a 404.
 * - Anyone may read and publish (`$all`). npm's client still wants a token before `npm publish`,
 *   so start() registers one user over verdaccio's adduser route and keeps its token for
 *   publishTarball().
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFile } = require('node:child_process');
const { paths } = require('./runtime');

/** @typedef {(line: string) => void} LogFn */

/**
 * A TCP port that is free on 127.0.0.1 right now.
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes.
 * @param {string} url
 * @param {{ timeoutMs: number, child?: import('node:child_process').ChildProcess, what: string, logFile?: string }} o
 */
async function waitForHttp(url, o) {
	const t0 = Date.now();
	let exited = false;
	/** @type {number | null} */
	let exitCode = null;
	const onExit = (/** @type {number | null} */ c) => {
		exited = true;
		exitCode = c;
	};
	o.child?.once('exit', onExit);
	try {
		while (Date.now() - t0 < o.timeoutMs) {
			if (exited) break;
			try {
				const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
				if (res.ok) return Date.now() - t0;
			} catch {}
			await sleep(250);
		}
	} finally {
		o.child?.off('exit', onExit);
	}
	let tail = '';
	if (o.logFile) {
		try {
			tail = '\n--- last lines of ' + o.logFile + ' ---\n' + fs.readFileSync(o.logFile, 'utf8').split('\n').slice(-40).join('\n');
		} catch {}
	}
	throw new Error(
		exited
			? `${o.what} exited (code ${exitCode}) before ${url} answered${tail}`
			: `${o.what} did not answer ${url} within ${o.timeoutMs} ms${tail}`,
	);
}

/**
 * Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited.
 * Signals the whole process group when the child was spawned detached.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} graceMs
 * @param {boolean} [group]
 */
async function stopChild(child, graceMs, group = false) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	const kill = (/** @type {NodeJS.Signals} */ sig) => {
		try {
			if (group && child.pid) process.kill(-child.pid, sig);
			else child.kill(sig);
		} catch {}
	};
	kill('SIGTERM');
	const timer = setTimeout(() => kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	if (group) kill('SIGKILL'); // leftovers in the group (none expected)
}

/**
 * @typedef {object} Registry
 * @property {string} url           e.g. http://127.0.0.1:4873/ (trailing slash)
 * @property {number} port
 * @property {string} dir           temp folder holding config.yaml, storage/, verdaccio.log
 * @property {string} logFile
 * @property {string} token         token of the registered publisher user
 * @property {string} npmrc         a userconfig file pointing npm at this registry with that token
 * @property {(tgzPath: string) => Promise<{ name: string, version: string }>} publishTarball
 * @property {(name: string) => Promise<any>} packument   GET /<name> (404 → null)
 * @property {() => Promise<void>} stop
 */

/**
 * Starts verdaccio on loopback.
 * @param {{ port?: number, dir?: string, keep?: boolean, log?: LogFn, timeoutMs?: number, verdaccioBin?: string }} [opts]
 *   verdaccioBin: verdaccio of another runtime folder (default: the 2.40 runtime's)
 * @returns {Promise<Registry>}
 */
async function startRegistry(opts = {}) {
	const log = opts.log ?? (() => {});
	const verdaccioBin = opts.verdaccioBin ?? paths.verdaccioBin;
	if (!fs.existsSync(verdaccioBin)) {
		throw new Error(`verdaccio is not installed at ${verdaccioBin}: call ensureRuntime() first`);
	}
	const port = opts.port ?? (await freePort());
	const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-verdaccio-'));
	fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
	const configPath = path.join(dir, 'config.yaml');
	fs.writeFileSync(
		configPath,
		[
			'# Written by test/e2e/harness/registry.js: loopback only, no uplinks.',
			`storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
			'auth:',
			'  htpasswd:',
			`    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
			'    max_users: 1000',
			'uplinks: {}',
			'packages:',
			"  '@*/*':",
			'    access: $all',
			'    publish: $all',
			'    unpublish: $all',
			"  '**':",
			'    access: $all',
			'    publish: $all',
			'    unpublish: $all',
			'publish:',
			'  allow_offline: true',
			'web:',
			'  enable: false',
			'server:',
			'  keepAliveTimeout: 60',
			'max_body_size: 100mb',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'verdaccio.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(
		process.execPath,
		[verdaccioBin, '--config', configPath, '--listen', `127.0.0.1:${port}`],
		{ cwd: dir, stdio: ['ignore', out, out], env: { ...process.env, VERDACCIO_APPDIR: dir } },
	);
	fs.closeSync(out);
	const url = `http://127.0.0.1:${port}/`;
	const t0 = Date.now();
	try {
		await waitForHttp(`${url}-/ping`, { timeoutMs: opts.timeoutMs ?? 60_000, child, what: 'verdaccio', logFile });
	} catch (e) {
		await stopChild(child, 2000);
		throw e;
	}
	log(`verdaccio up on ${url} in ${Date.now() - t0} ms (storage ${dir})`);

	// Register a publisher so npm's client has a token (reads and publishes are open to all anyway).
	const user = 'e2e';
	const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: user, password: 'e2e-password', email: 'e2e@example.invalid', type: 'user' }),
	});
	const body = /** @type {any} */ (await res.json().catch(() => ({})));
	if (!res.ok || !body.token) {
		await stopChild(child, 2000);
		throw new Error(`verdaccio adduser failed: ${res.status} ${JSON.stringify(body)}`);
	}
	const token = String(body.token);
	const npmrc = path.join(dir, 'npmrc');
	fs.writeFileSync(
		npmrc,
		[`registry=${url}`, `//127.0.0.1:${port}/:_authToken=${token}`, 'audit=false', 'fund=false', 'update-notifier=false', ''].join('\n'),
	);

	/** @type {Registry} */
	const reg = {
		url,
		port,
		dir,
		logFile,
		token,
		npmrc,
		async publishTarball(tgzPath) {
			const abs = path.resolve(tgzPath);
			const manifest = await readTarballManifest(abs);
			await new Promise((resolve, reject) => {
				execFile(
					'npm',
					['publish', abs, '--registry', url, '--userconfig', npmrc, '--tag', 'latest', '--access', 'public', '--ignore-scripts'],
					{ cwd: dir, env: { ...process.env, npm_config_userconfig: npmrc }, timeout: 120_000 },
					(err, stdout, stderr) =>
						err ? reject(new Error(`npm publish ${abs} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
				);
			});
			log(`published ${manifest.name}@${manifest.version} to ${url}`);
			return { name: manifest.name, version: manifest.version };
		},
		async packument(name) {
			const r = await fetch(`${url}${name.replace('/', '%2f')}`);
			if (r.status === 404) return null;
			if (!r.ok) throw new Error(`GET ${name} from verdaccio: ${r.status}`);
			return r.json();
		},
		async stop() {
			await stopChild(child, 5000);
			if (!opts.keep && !opts.dir) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return reg;
}

/**
 * package.json inside a packed tarball (package/package.json), read with the system tar.
 * @param {string} tgz
 * @returns {Promise<{ name: string, version: string, [k: string]: any }>}
 */
function readTarballManifest(tgz) {
	return new Promise((resolve, reject) => {
		execFile('tar', ['-xOzf', tgz, 'package/package.json'], { maxBuffer: 10 * 1024 * 1024 }, (err, stdout) => {
			if (err) return reject(new Error(`cannot read package/package.json from ${tgz}: ${err.message}`));
			try {
				resolve(JSON.parse(stdout));
			} catch (e) {
				reject(e);
			}
		});
	});
}

module.exports = { startRegistry, freePort, waitForHttp, stopChild, readTarballManifest, sleep };
