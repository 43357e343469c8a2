// @ts-check
'use strict';
/**
 * A throwaway Redis (Debian's redis-server) on 127.0.0.1:<free port>, in its own temp folder, as a child of
 * this process (not daemonized, so it cannot outlive the harness). Persistence is an append-only file
 * (appendfsync everysec), as an operator would run the queue's Redis: a restart keeps the queued jobs.
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { freePort, stopChild } = require('../registry');

/** True when something accepts TCP connections on 127.0.0.1:port. @param {number} port */
function portOpen(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/**
 * @typedef {object} Redis
 * @property {string} host
 * @property {number} port
 * @property {string} password           '' when none
 * @property {string} dir
 * @property {string} logFile
 * @property {Record<string, string>} n8nEnv   QUEUE_BULL_REDIS_* variables that point n8n at this server
 * @property {(...args: string[]) => string} cli  redis-cli against this server (trimmed output)
 * @property {(o?: { kill?: boolean, downMs?: number }) => Promise<number>} restart  SHUTDOWN (or SIGKILL), stay down
 *           `downMs`, start again on the same port with the same files; ms it was away
 * @property {() => Promise<void>} stop
 */

/**
 * @param {{ log?: (line: string) => void, password?: string, port?: number, extraArgs?: string[], persistence?: boolean }} [opts]
 * @returns {Promise<Redis>}
 */
async function startRedis(opts = {}) {
	const log = opts.log ?? (() => {});
	const port = opts.port ?? (await freePort());
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-redis-'));
	const logFile = path.join(dir, 'redis.log');
	const password = opts.password ?? '';
	const args = [
		'--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', logFile, '--daemonize', 'no',
		'--save', '',
		...(opts.persistence === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'everysec']),
		...(password ? ['--requirepass', password] : []),
		...(opts.extraArgs ?? []),
	];
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let child;
	const start = async () => {
		child = spawn('redis-server', args, { cwd: dir, stdio: 'ignore' });
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}); see ${logFile}`);
			if (await portOpen(port)) return;
			await new Promise((r) => setTimeout(r, 50));
		}
		throw new Error(`redis-server did not open 127.0.0.1:${port} within 15 s; see ${logFile}`);
	};
	await start();
	log(`Redis up on 127.0.0.1:${port} (folder ${dir})`);
	// If the harness process ends without stop(), do not leave the server behind.
	const onExit = () => {
		try {
			child?.kill('SIGKILL');
		} catch {}
	};
	process.once('exit', onExit);
	/** @param {string[]} a */
	const cli = (...a) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...(password ? ['--no-auth-warning', '-a', password] : []), ...a], { encoding: 'utf8', timeout: 10_000 }).trim();
	let stopped = false;
	return {
		host: '127.0.0.1',
		port,
		password,
		dir,
		logFile,
		n8nEnv: {
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(port),
			...(password ? { QUEUE_BULL_REDIS_PASSWORD: password } : {}),
		},
		cli,
		async restart(o = {}) {
			const t0 = Date.now();
			const old = /** @type {import('node:child_process').ChildProcess} */ (child);
			if (o.kill) old.kill('SIGKILL');
			else old.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM (fsyncs the AOF)
			await stopChild(old, 10_000);
			if (o.downMs) await new Promise((r) => setTimeout(r, o.downMs));
			await start();
			return Date.now() - t0;
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			process.off('exit', onExit);
			if (child) await stopChild(child, 5_000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { startRedis, portOpen };
