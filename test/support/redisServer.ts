import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real redis-server (Debian's package; `bash scripts/queue/ensure-services.sh` installs it) on 127.0.0.1,
 * started and stopped by the test that needs it.
 */
export interface RedisServer {
	port: number;
	dir: string;
	cli: (...args: string[]) => string;
	stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

async function waitForPort(port: number, child: ChildProcess, dir: string): Promise<void> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}); see ${dir}/redis.log`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = connect({ host: '127.0.0.1', port }, () => {
				socket.destroy();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`redis-server did not listen on ${port}`);
}

/**
 * @param args extra redis-server arguments; `listenPort` replaces the plain port (e.g. `--port 0` with a TLS port)
 * @param cliArgs arguments redis-cli needs to reach it (e.g. -a password, --tls …)
 */
export async function startRedisServer(o: { args?: string[]; port?: number; cliArgs?: string[]; plainPort?: boolean } = {}): Promise<RedisServer> {
	const port = o.port ?? (await freePort());
	const dir = mkdtempSync(join(tmpdir(), 'chat-checkout-unit-redis-'));
	const portArgs = o.plainPort === false ? ['--port', '0'] : ['--port', String(port)];
	const child = spawn('redis-server', [...portArgs, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', join(dir, 'redis.log'), ...(o.args ?? [])], {
		stdio: 'ignore',
	});
	child.on('error', () => undefined);
	try {
		await waitForPort(port, child, dir);
	} catch (error) {
		child.kill('SIGKILL');
		throw new Error(`${(error as Error).message}. Is redis-server installed? Run: bash scripts/queue/ensure-services.sh`);
	}
	return {
		port,
		dir,
		cli: (...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...(o.cliArgs ?? []), ...args], { encoding: 'utf8' }).trim(),
		stop: async () => {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGKILL');
				await exited;
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
