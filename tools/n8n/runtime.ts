/**
 * Installs the end-to-end runtime (a real n8n 2.40.7 and verdaccio) into `<repo>/.n8n-runtime/`.
 *
 * The source of truth is `tools/n8n/runtime-2x/{package.json,package-lock.json}`. They are copied into
 * `.n8n-runtime/` and installed with `npm ci`, but only when their content hash differs from the
 * marker written after the last good install, so later runs start at once.
 *
 * Needs Node.js >= 24 (n8n 2.38+ and isolated-vm@7 require it): run through `scripts/with-node24.sh`,
 * which also sets `npm_config_nodedir` so sqlite3 builds against Node 24's headers.
 *
 * Another pinned runtime folder (the n8n 1.x line, runtime1x.ts) uses the same installer with its own
 * `runtimeSpec(...)` passed as the last argument; without one, everything here is the 2.40 runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { eventually, sleep } from '../wait';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const RUNTIME_SRC = path.join(REPO_ROOT, 'tools', 'n8n', 'runtime-2x');
const RUNTIME_DIR = path.join(REPO_ROOT, '.n8n-runtime');
const MARKER_NAME = '.installed-lock-hash';

export type LogFn = (line: string) => void;

/** Throws a clear error unless this process runs on Node.js 24 or newer. */
export function assertNode24(): void {
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
export function lockHash(rt: RuntimeSpec = RUNTIME): string {
	const h = crypto.createHash('sha256');
	for (const f of ['package.json', 'package-lock.json']) {
		h.update(f + '\0');
		h.update(fs.readFileSync(path.join(rt.src, f)));
		h.update('\0');
	}
	h.update('node-major:' + rt.nodeMajor()); // sqlite3 is built per ABI
	return h.digest('hex');
}

/** Paths inside an installed runtime folder. */
function runtimePaths(runtimeDir: string) {
	return {
		repoRoot: REPO_ROOT,
		runtimeDir,
		nodeModules: path.join(runtimeDir, 'node_modules'),
		n8nBin: path.join(runtimeDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nDist: path.join(runtimeDir, 'node_modules', 'n8n', 'dist'),
		verdaccioBin: path.join(runtimeDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
		installLog: path.join(runtimeDir, 'install.log'),
	};
}
export type RuntimePaths = ReturnType<typeof runtimePaths>;
export const paths = runtimePaths(RUNTIME_DIR);

/** One pinned runtime folder. */
export interface RuntimeSpec {
	/** committed package.json + package-lock.json */
	src: string;
	/** git-ignored install folder */
	dir: string;
	/** what it holds, for the log */
	label: string;
	/** how big the first install is, for the log */
	size: string;
	/** the Node that will load its native addons (part of the marker) */
	nodeMajor: () => string;
	/** throws unless the harness can install and run it from here */
	assertNode: () => void;
	/** env for npm ci (e.g. another Node first on PATH) */
	prepare?: (log: LogFn) => Promise<Record<string, string>>;
	paths: RuntimePaths;
}

export interface InstallResult {
	installed: boolean;
	ms: number;
	paths: RuntimePaths;
}

export function runtimeSpec(spec: Omit<RuntimeSpec, 'paths'>): RuntimeSpec {
	return { ...spec, paths: runtimePaths(spec.dir) };
}
/** The 2.40 runtime (the default everywhere). */
const RUNTIME: RuntimeSpec = runtimeSpec({
	src: RUNTIME_SRC,
	dir: RUNTIME_DIR,
	label: 'n8n 2.40.7 + verdaccio',
	size: '~2,350 packages, ~3 GB',
	nodeMajor: () => process.versions.node.split('.')[0],
	assertNode: assertNode24,
});

/** True when `.n8n-runtime` (or `rt`'s folder) holds an install matching the current lockfile. */
export function isRuntimeCurrent(rt: RuntimeSpec = RUNTIME): boolean {
	const marker = path.join(rt.dir, MARKER_NAME);
	return (
		fs.existsSync(marker) &&
		fs.existsSync(rt.paths.n8nBin) &&
		fs.existsSync(rt.paths.verdaccioBin) &&
		fs.readFileSync(marker, 'utf8').trim() === lockHash(rt)
	);
}

/**
 * Runs `npm ci` in `.n8n-runtime` (or `rt`'s folder) when the lockfile changed since the last install.
 * Output of npm goes to `.n8n-runtime/install.log`; short progress lines go to `log`.
 */
export async function ensureRuntime(opts: { log?: LogFn; force?: boolean } = {}, rt: RuntimeSpec = RUNTIME): Promise<InstallResult> {
	const log = opts.log ?? ((l) => process.stderr.write(`[${path.basename(rt.dir).slice(1)}] ${l}\n`));
	rt.assertNode();
	const t0 = Date.now();
	if (!opts.force && isRuntimeCurrent(rt)) {
		log(`up to date in ${path.relative(process.cwd(), rt.dir) || rt.dir}`);
		return { installed: false, ms: Date.now() - t0, paths: rt.paths };
	}
	fs.mkdirSync(rt.dir, { recursive: true });
	const release = await acquireLock(log, rt);
	try {
		// Another process may have installed it while we waited for the lock.
		if (!opts.force && isRuntimeCurrent(rt)) {
			log('installed by another process meanwhile');
			return { installed: false, ms: Date.now() - t0, paths: rt.paths };
		}
		return await install(log, t0, rt);
	} finally {
		release();
	}
}

async function install(log: LogFn, t0: number, rt: RuntimeSpec): Promise<InstallResult> {
	const MARKER = path.join(rt.dir, MARKER_NAME);
	const INSTALL_LOG = rt.paths.installLog;
	const RUNTIME_DIR = rt.dir;
	fs.rmSync(MARKER, { force: true });
	for (const f of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(rt.src, f), path.join(RUNTIME_DIR, f));
	}
	log(
		`installing ${rt.label} into ${RUNTIME_DIR} with npm ci — the first install takes ` +
			`several minutes (${rt.size}, sqlite3 builds from source); log: ${INSTALL_LOG}`,
	);
	const env: NodeJS.ProcessEnv = { ...process.env, ...(rt.prepare ? await rt.prepare(log) : {}) };
	// Native addons (sqlite3) must build against the headers of the Node that will load them.
	if (!env.npm_config_nodedir) {
		const guess = path.resolve(process.execPath, '..', '..');
		if (fs.existsSync(path.join(guess, 'include', 'node', 'node.h'))) env.npm_config_nodedir = guess;
	}
	// sqlite3's `prebuild-install` would try to download a prebuilt binary from GitHub (unreachable
	// here, and no traffic may leave loopback): make it skip straight to `node-gyp rebuild`.
	// The value is a package name, so isolated-vm / msgpackr-extract still use their shipped prebuilds.
	env.npm_config_build_from_source = 'sqlite3';
	// The registry mirror now and then answers ETARGET / resets for a version it does serve: one retry.
	const transient = /ETARGET|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ESOCKETTIMEDOUT|socket hang up|ERR_SOCKET_TIMEOUT/;
	for (let attempt = 1; ; attempt++) {
		const code = await runNpmCi(env, log, t0, attempt, rt);
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
	if (!fs.existsSync(rt.paths.n8nBin)) throw new Error(`npm ci finished but ${rt.paths.n8nBin} is missing`);
	fs.writeFileSync(MARKER, lockHash(rt) + '\n');
	const ms = Date.now() - t0;
	log(`installed in ${Math.round(ms / 1000)}s`);
	return { installed: true, ms, paths: rt.paths };
}

/**
 * A directory lock in `.n8n-runtime/.install.lock` (holder pid inside), so parallel test workers do
 * not run `npm ci` at once. A lock whose holder is gone is taken over. Resolves with its release.
 */
async function acquireLock(log: LogFn, rt: RuntimeSpec): Promise<() => void> {
	const lockDir = path.join(rt.dir, '.install.lock');
	const pidFile = path.join(lockDir, 'pid');
	const pidInFile = () => {
		try {
			return Number(fs.readFileSync(pidFile, 'utf8'));
		} catch {
			return 0; // no pid yet, or removed meanwhile
		}
	};
	const alive = (pid: number) => {
		try {
			return pid > 0 && (process.kill(pid, 0), true);
		} catch {
			return false;
		}
	};
	let said = false;
	// Bounded like every wait: another process's npm ci took up to ~19 min on this 2-core machine under load.
	return await eventually(`the install lock of ${path.basename(rt.dir)} (another process is installing)`, async () => {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(pidFile, String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
		const holder = pidInFile();
		if (!alive(holder)) {
			// The holder died (or is between mkdir and writing its pid: give it a moment first).
			await sleep(1000);
			if (pidInFile() === holder) fs.rmSync(lockDir, { recursive: true, force: true });
			return undefined;
		}
		if (!said) log(`waiting for the install running in process ${holder}`);
		said = true;
		return undefined;
	}, { timeoutMs: 40 * 60_000, intervalMs: 2000, retryErrors: false });
}

/** One `npm ci` in the runtime folder, output to its install log, a progress line every 30 s; resolves with its exit code. */
async function runNpmCi(env: NodeJS.ProcessEnv, log: LogFn, t0: number, attempt: number, rt: RuntimeSpec): Promise<number | null> {
	const INSTALL_LOG = rt.paths.installLog;
	const out = fs.openSync(INSTALL_LOG, 'w');
	const child = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=http', '--foreground-scripts'], {
		cwd: rt.dir,
		env,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	const ticker = setInterval(() => {
		const s = Math.round((Date.now() - t0) / 1000);
		let bytes = 0;
		try {
			bytes = fs.statSync(INSTALL_LOG).size;
		} catch {
			// not written yet
		}
		log(`… npm ci${attempt > 1 ? ` (attempt ${attempt})` : ''} still running (${s}s, log ${Math.round(bytes / 1024)} KiB)`);
	}, 30_000);
	try {
		return await new Promise<number | null>((resolve) => {
			child.on('error', () => resolve(-1));
			child.on('close', (c) => resolve(c));
		});
	} finally {
		clearInterval(ticker);
	}
}
