/**
 * Child processes and ports on 127.0.0.1: what every part of the harness (verdaccio, n8n, Redis,
 * PostgreSQL) and the unit tests' own redis-server need to start, wait for and stop a server.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { eventually, WaitTimeoutError } from '../wait';

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
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

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
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
 * An error as soon as `child` has exited (for PollOptions.abort), saying so. Its exit event covers a signal;
 * its exitCode also a spawn that failed (ENOENT sets it without any exit event).
 */
export function exitWatch(child: ChildProcess | undefined, says: (code: number | null) => string): { abort: () => Error | undefined; done: () => void } {
	let exited = false;
	let exitCode: number | null = null;
	const onExit = (code: number | null) => {
		exited = true;
		exitCode = code;
	};
	child?.once('exit', onExit);
	return {
		abort: () => {
			if (!exited && (child?.exitCode ?? null) === null) return undefined;
			return new Error(says(exited ? exitCode : (child?.exitCode ?? null)));
		},
		done: () => void child?.off('exit', onExit),
	};
}

/** The last lines of a log file, as a block to append to an error (empty when unreadable). */
function logTail(logFile: string | undefined): string {
	if (!logFile) return '';
	try {
		return '\n--- last lines of ' + logFile + ' ---\n' + fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
	} catch {
		return '';
	}
}

/** Polls `url` until it answers 2xx (resolves with the ms it took), the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, o: { timeoutMs: number; child?: ChildProcess; what: string; logFile?: string }): Promise<number> {
	const t0 = Date.now();
	const exit = exitWatch(o.child, (code) => `${o.what} exited (code ${code}) before ${url} answered${logTail(o.logFile)}`);
	try {
		await eventually(
			`${o.what} to answer ${url}`,
			async () => {
				const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
				return res.ok;
			},
			{ timeoutMs: o.timeoutMs, abort: exit.abort },
		);
		return Date.now() - t0;
	} catch (error) {
		if (error instanceof WaitTimeoutError) throw new Error(`${o.what} did not answer ${url} within ${o.timeoutMs} ms${logTail(o.logFile)}`);
		throw error;
	} finally {
		exit.done();
	}
}

/**
 * Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited.
 * Signals the whole process group when the child was spawned detached.
 */
export async function stopChild(child: ChildProcess, graceMs: number, group = false): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	const kill = (sig: NodeJS.Signals) => {
		try {
			if (group && child.pid) process.kill(-child.pid, sig);
			else child.kill(sig);
		} catch {
			// already gone
		}
	};
	kill('SIGTERM');
	const timer = setTimeout(() => kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	if (group) kill('SIGKILL'); // leftovers in the group (none expected)
}
