import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/n8n/processes';
import { waitForRedis } from '../../tools/n8n/queue/redis';

export { freePort };

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
		await waitForRedis(child, port, join(dir, 'redis.log'));
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
