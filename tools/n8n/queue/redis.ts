/**
 * A throwaway Redis (Debian's redis-server) on 127.0.0.1:<free port>, in its own temp folder, as a child of
 * this process (not daemonized, so it cannot outlive the harness). Persistence is an append-only file
 * (appendfsync everysec), as an operator would run the queue's Redis: a restart keeps the queued jobs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { freePort, stopChild, portOpen, exitWatch } from '../processes';
import { eventually, sleep, WaitTimeoutError } from '../../wait';

export { portOpen };

export interface Redis {
	host: string;
	port: number;
	/** '' when none */
	password: string;
	dir: string;
	logFile: string;
	/** QUEUE_BULL_REDIS_* variables that point n8n at this server */
	n8nEnv: Record<string, string>;
	/** redis-cli against this server (trimmed output) */
	cli: (...args: string[]) => string;
	/** SHUTDOWN (or SIGKILL), stay down `downMs`, start again on the same port with the same files; ms it was away */
	restart: (o?: { kill?: boolean; downMs?: number }) => Promise<number>;
	stop: () => Promise<void>;
}

/** Waits until a redis-server just spawned listens on 127.0.0.1:port (15 s), or says it exited, and where its log is. */
export async function waitForRedis(child: ChildProcess, port: number, logFile: string): Promise<void> {
	const exit = exitWatch(child, (code) => `redis-server exited (${code}); see ${logFile}`);
	try {
		await eventually(`redis-server on 127.0.0.1:${port}`, () => portOpen(port), { timeoutMs: 15_000, intervalMs: 50, abort: exit.abort });
	} catch (error) {
		if (error instanceof WaitTimeoutError) throw new Error(`redis-server did not open 127.0.0.1:${port} within 15 s; see ${logFile}`);
		throw error;
	} finally {
		exit.done();
	}
}

export async function startRedis(opts: { log?: (line: string) => void; password?: string; port?: number; extraArgs?: string[]; persistence?: boolean } = {}): Promise<Redis> {
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
	let child: ChildProcess | undefined;
	const start = async () => {
		child = spawn('redis-server', args, { cwd: dir, stdio: 'ignore' });
		await waitForRedis(child, port, logFile);
	};
	await start();
	log(`Redis up on 127.0.0.1:${port} (folder ${dir})`);
	// If the harness process ends without stop(), do not leave the server behind.
	const onExit = () => {
		try {
			child?.kill('SIGKILL');
		} catch {
			// already gone
		}
	};
	process.once('exit', onExit);
	const cli = (...a: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...(password ? ['--no-auth-warning', '-a', password] : []), ...a], { encoding: 'utf8', timeout: 10_000 }).trim();
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
		async restart(o: { kill?: boolean; downMs?: number } = {}) {
			const t0 = Date.now();
			const old = child as ChildProcess;
			if (o.kill) old.kill('SIGKILL');
			else old.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM (fsyncs the AOF)
			await stopChild(old, 10_000);
			if (o.downMs) await sleep(o.downMs);
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
