// @ts-check
'use strict';
/**
 * Installs the end-to-end runtime (a real n8n 2.40.7 and verdaccio) into `<repo>/.n8n-runtime/`.
 *
 * The source of truth is `test/e2e/runtime/{package.json,package-lock.json}`. They are copied into
 * `.n8n-runtime/` and installed with `npm ci`, but only when their content hash differs from the
 * marker written after the last good install, so later runs start at once.
 *
 * Needs Node.js >= 24 (n8n 2.38+ and isolated-vm@7 require it): run through `scripts/with-node24.sh`,
 * which also sets `npm_config_nodedir` so sqlite3 builds against Node 24's headers.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNTIME_SRC = path.join(REPO_ROOT, 'test', 'e2e', 'runtime');
const RUNTIME_DIR = path.join(REPO_ROOT, '.n8n-runtime');
const MARKER = path.join(RUNTIME_DIR, '.installed-lock-hash');
const INSTALL_LOG = path.join(RUNTIME_DIR, 'install.log');

/** @typedef {(line: string) => void} LogFn */

/** Throws a clear error unless this process runs on Node.js 24 or newer. */
function assertNode24() {
	const major = Number(process.versions.node.split('.')[0]);
	if (!(major >= 24)) {
		throw new Error(
			`The n8n e2e runtime needs Node.js >= 24 (n8n 2.40 and isolated-vm@7 require it); this is ` +
				`Node ${process.versions.node}. Run through the wrapper: ` +
				`bash scripts/with-node24.sh node <script>  (or: bash scripts/with-node24.sh npx jest …)`,
		);
	}
}

/** Hash of the runtime's package.json + package-lock.json (what decides a reinstall). */
function lockHash() {
	const h = crypto.createHash('sha256');
	for (const f of ['package.json', 'package-lock.json']) {
		h.update(f + '\0');
		h.update(fs.readFileSync(path.join(RUNTIME_SRC, f)));
		h.update('\0');
	}
	h.update('node-major:' + process.versions.node.split('.')[0]); // sqlite3 is built per ABI
	return h.digest('hex');
}

/** @param {string} p */
function exists(p) {
	try {
		fs.accessSync(p);
		return true;
	} catch {
		return false;
	}
}

/**
 * Paths inside the installed runtime.
 */
const paths = {
	repoRoot: REPO_ROOT,
	runtimeDir: RUNTIME_DIR,
	nodeModules: path.join(RUNTIME_DIR, 'node_modules'),
	n8nBin: path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n'),
	n8nDist: path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'dist'),
	verdaccioBin: path.join(RUNTIME_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
	installLog: INSTALL_LOG,
};

/** True when `.n8n-runtime` holds an install matching the current lockfile. */
function isRuntimeCurrent() {
	return (
		exists(MARKER) &&
		exists(paths.n8nBin) &&
		exists(paths.verdaccioBin) &&
		fs.readFileSync(MARKER, 'utf8').trim() === lockHash()
	);
}

/**
 * Runs `npm ci` in `.n8n-runtime` when the lockfile changed since the last install.
 * Output of npm goes to `.n8n-runtime/install.log`; short progress lines go to `log`.
 * @param {{ log?: LogFn, force?: boolean }} [opts]
 * @returns {Promise<{ installed: boolean, ms: number, paths: typeof paths }>}
 */
async function ensureRuntime(opts = {}) {
	const log = opts.log ?? ((l) => process.stderr.write(`[n8n-runtime] ${l}\n`));
	assertNode24();
	const t0 = Date.now();
	if (!opts.force && isRuntimeCurrent()) {
		log(`up to date in ${path.relative(process.cwd(), RUNTIME_DIR) || RUNTIME_DIR}`);
		return { installed: false, ms: Date.now() - t0, paths };
	}
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const release = await acquireLock(log);
	try {
		// Another process may have installed it while we waited for the lock.
		if (!opts.force && isRuntimeCurrent()) {
			log('installed by another process meanwhile');
			return { installed: false, ms: Date.now() - t0, paths };
		}
		return await install(log, t0);
	} finally {
		release();
	}
}

/**
 * @param {LogFn} log
 * @param {number} t0
 * @returns {Promise<{ installed: boolean, ms: number, paths: typeof paths }>}
 */
async function install(log, t0) {
	try {
		fs.rmSync(MARKER, { force: true });
	} catch {}
	for (const f of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(RUNTIME_SRC, f), path.join(RUNTIME_DIR, f));
	}
	log(
		`installing n8n 2.40.7 + verdaccio into ${RUNTIME_DIR} with npm ci — the first install takes ` +
			`several minutes (~2,350 packages, ~3 GB, sqlite3 builds from source); log: ${INSTALL_LOG}`,
	);
	const env = { ...process.env };
	// Native addons (sqlite3) must build against the headers of the Node that will load them.
	if (!env.npm_config_nodedir) {
		const guess = path.resolve(process.execPath, '..', '..');
		if (exists(path.join(guess, 'include', 'node', 'node.h'))) env.npm_config_nodedir = guess;
	}
	// sqlite3's `prebuild-install` would try to download a prebuilt binary from GitHub (unreachable
	// here, and no traffic may leave loopback): make it skip straight to `node-gyp rebuild`.
	// The value is a package name, so isolated-vm / msgpackr-extract still use their shipped prebuilds.
	env.npm_config_build_from_source = 'sqlite3';
	// The registry mirror now and then answers ETARGET / resets for a version it does serve: one retry.
	const transient = /ETARGET|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ESOCKETTIMEDOUT|socket hang up|ERR_SOCKET_TIMEOUT/;
	for (let attempt = 1; ; attempt++) {
		const code = await runNpmCi(env, log, t0, attempt);
		if (code === 0) break;
		const text = fs.readFileSync(INSTALL_LOG, 'utf8');
		if (attempt < 2 && transient.test(text)) {
			log(`npm ci failed with a transient-looking registry error (see ${INSTALL_LOG}); retrying once`);
			fs.copyFileSync(INSTALL_LOG, `${INSTALL_LOG}.attempt${attempt}`);
			continue;
		}
		const tail = text.split('\n').slice(-40).join('\n');
		throw new Error(`npm ci in ${RUNTIME_DIR} failed (exit ${code}). Last lines of ${INSTALL_LOG}:\n${tail}`);
	}
	if (!exists(paths.n8nBin)) throw new Error(`npm ci finished but ${paths.n8nBin} is missing`);
	fs.writeFileSync(MARKER, lockHash() + '\n');
	const ms = Date.now() - t0;
	log(`installed in ${Math.round(ms / 1000)}s`);
	return { installed: true, ms, paths };
}

/**
 * A directory lock in `.n8n-runtime/.install.lock` (holder pid inside), so parallel test workers do
 * not run `npm ci` at once. A lock whose holder is gone is taken over.
 * @param {LogFn} log
 * @returns {Promise<() => void>} release
 */
async function acquireLock(log) {
	const lockDir = path.join(RUNTIME_DIR, '.install.lock');
	const pidFile = path.join(lockDir, 'pid');
	let said = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(pidFile, String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (e) {
			if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(pidFile, 'utf8'));
		} catch {}
		let alive = false;
		if (holder > 0) {
			try {
				process.kill(holder, 0);
				alive = true;
			} catch {}
		}
		if (!alive) {
			// holder died (or is between mkdir and writing its pid: give it a moment first)
			await new Promise((r) => setTimeout(r, 1000));
			let again = 0;
			try {
				again = Number(fs.readFileSync(pidFile, 'utf8'));
			} catch {}
			if (again === holder) fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!said) log(`waiting for the install running in process ${holder}`);
		said = true;
		await new Promise((r) => setTimeout(r, 2000));
	}
}

/**
 * One `npm ci` in RUNTIME_DIR, output to INSTALL_LOG, a progress line every 30 s.
 * @param {NodeJS.ProcessEnv} env
 * @param {LogFn} log
 * @param {number} t0
 * @param {number} attempt
 * @returns {Promise<number | null>}
 */
async function runNpmCi(env, log, t0, attempt) {
	const out = fs.openSync(INSTALL_LOG, 'w');
	const child = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=http', '--foreground-scripts'], {
		cwd: RUNTIME_DIR,
		env,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const ticker = setInterval(() => {
		const s = Math.round((Date.now() - t0) / 1000);
		let bytes = 0;
		try {
			bytes = fs.statSync(INSTALL_LOG).size;
		} catch {}
		log(`… npm ci${attempt > 1 ? ` (attempt ${attempt})` : ''} still running (${s}s, log ${Math.round(bytes / 1024)} KiB)`);
	}, 30_000);
	try {
		return await new Promise((resolve) => {
			child.on('error', () => resolve(-1));
			child.on('close', (c) => resolve(c));
		});
	} finally {
		clearInterval(ticker);
	}
}

module.exports = { ensureRuntime, assertNode24, isRuntimeCurrent, lockHash, paths, REPO_ROOT };

if (require.main === module) {
	// node test/e2e/harness/runtime.js [--force]
	ensureRuntime({ force: process.argv.includes('--force') }).catch((e) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	});
}
