import { connect, type Socket } from 'node:net';

import { closeN8nRedis, redisClientFor } from '../../../nodes/shared/redis/n8nRedis';
import { readN8nRedisSettings } from '../../../nodes/shared/redis/n8nRedisSettings';
import { checkPackProcesses, packVersion, processRole, writePackProcess } from '../../../nodes/shared/redis/packProcesses';
import { encodeCommand } from '../../../nodes/shared/redis/respClient';
import { eventuallyOrUndefined, sleep } from '../../../tools/wait';
import { moduleAsAnotherProcess } from '../../support/anotherProcess';
import { startRedisServer, type RedisServer } from '../../support/redisServer';

type ProcessesModule = typeof import('../../../nodes/shared/redis/packProcesses');

const queueEnv = (port: number, extra: Record<string, string> = {}) => ({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port), ...extra });

/** An n8n process as n8n's own view counts it: a connection subscribed to <prefix>:n8n.commands. */
async function n8nProcess(port: number, prefix = 'n8n'): Promise<Socket> {
	const socket = connect({ host: '127.0.0.1', port });
	await new Promise((resolve) => socket.once('connect', resolve));
	socket.write(encodeCommand(['SUBSCRIBE', `${prefix}:n8n.commands`]));
	await new Promise((resolve) => socket.once('data', resolve));
	return socket;
}


describe('who runs n8n and who has the pack', () => {
	it("the process's n8n command and the pack's version", () => {
		expect(processRole(['node', '/usr/lib/n8n/bin/n8n', 'worker', '--concurrency=5'])).toBe('worker');
		expect(processRole(['node', 'n8n', 'webhook'])).toBe('webhook');
		expect(processRole(['node', 'n8n', 'start'])).toBe('main');
		expect(processRole(['node', 'n8n'])).toBe('main');
		expect(packVersion()).toBe(require('../../../package.json').version);
		expect(packVersion('/')).toBe('?');
	});
});

describe("pack processes compared with n8n's own view, in a real redis-server", () => {
	let redis: RedisServer;
	const sockets: Socket[] = [];
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	beforeEach(() => redis.cli('FLUSHALL'));
	afterEach(() => {
		for (const socket of sockets.splice(0)) socket.destroy();
		closeN8nRedis();
	});

	it('three n8n processes, two with the pack: one without it is reported, with the ones that have it', async () => {
		const env = queueEnv(redis.port);
		for (let i = 0; i < 3; i++) sockets.push(await n8nProcess(redis.port));
		const client = redisClientFor(readN8nRedisSettings(env));
		await writePackProcess(client, 'n8n', { role: 'main', host: 'host-a', pid: 11, version: '0.1.0' });
		await writePackProcess(client, 'n8n', { role: 'webhook', host: 'host-b', pid: 12, version: '0.1.0' });
		const report = await checkPackProcesses(env);
		expect(report.n8nProcesses).toBe(3);
		expect(report.withPack.map((p) => `${p.role}@${p.host}`)).toEqual(['main@host-a', 'webhook@host-b']);
		expect(report.withoutPack).toBe(1);
		expect(report.problems).toHaveLength(1);
		expect(report.problems[0]).toMatch(/^1 of the 3 n8n processes connected to this Redis has not loaded n8n-nodes-chat-checkout \(loaded in: main on host-a \(pid 11, 0\.1\.0\), webhook on host-b \(pid 12, 0\.1\.0\)\)/);
		expect(report.problems[0]).toMatch(/A worker without it fails every run it takes/);

		await writePackProcess(client, 'n8n', { role: 'worker', host: 'host-c', pid: 13, version: '0.1.0' });
		expect((await checkPackProcesses(env)).problems).toEqual([]);
	});

	it('two versions of the pack are reported; a process that stopped writing itself drops out (and is removed)', async () => {
		const env = queueEnv(redis.port);
		for (let i = 0; i < 2; i++) sockets.push(await n8nProcess(redis.port));
		const client = redisClientFor(readN8nRedisSettings(env));
		await writePackProcess(client, 'n8n', { role: 'main', host: 'a', pid: 1, version: '0.1.0' });
		await writePackProcess(client, 'n8n', { role: 'worker', host: 'b', pid: 2, version: '0.1.1' });
		const mixed = await checkPackProcesses(env);
		expect(mixed.versions).toEqual(['0.1.0', '0.1.1']);
		expect(mixed.problems).toEqual([expect.stringMatching(/run different versions of n8n-nodes-chat-checkout \(main on a \(pid 1, 0\.1\.0\), worker on b \(pid 2, 0\.1\.1\)\)/)]);
		await writePackProcess(client, 'n8n', { role: 'worker', host: 'b', pid: 2, version: '0.1.1' }, Date.now() - 10 * 60_000);
		const later = await checkPackProcesses(env);
		expect(later.withPack.map((p) => p.host)).toEqual(['a']);
		expect(later.withoutPack).toBe(1);
		expect(redis.cli('HLEN', 'n8n:chat-checkout:processes')).toBe('1');
	});

	it('outside queue mode there is nothing to compare; Redis unreachable is said', async () => {
		expect((await checkPackProcesses({})).problems[0]).toMatch(/does not run in queue mode/);
		const down = await checkPackProcesses(queueEnv(1));
		expect(down.problems[0]).toMatch(/n8n's Redis \(127\.0\.0\.1:1\) could not be asked/);
	});

	it("each process with the pack writes itself at load and reports a process without it in n8n's log, until it is gone", async () => {
		const env = queueEnv(redis.port, { CHAT_CHECKOUT_PROCESS_CHECK_SECONDS: '1' });
		const errors: string[] = [];
		const infos: string[] = [];
		const log = { error: (m: string) => errors.push(m), info: (m: string) => infos.push(m) };
		const loaded = moduleAsAnotherProcess<ProcessesModule>(require.resolve('../../../nodes/shared/redis/packProcesses'));
		sockets.push(await n8nProcess(redis.port)); // this process (as n8n) …
		const packless = await n8nProcess(redis.port); // … and a worker without the pack
		loaded.announcePackProcess(log, env);
		loaded.announcePackProcess(log, env); // a second node file loading: nothing more
		await sleep(300);
		expect(redis.cli('HKEYS', 'n8n:chat-checkout:processes')).toMatch(/^main:[^:]+:\d+$/); // written at load: role:host:pid
		await eventuallyOrUndefined('the missing pack reported', () => errors.length > 0, { timeoutMs: 4_000, intervalMs: 100 });
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/^n8n-nodes-chat-checkout: 1 of the 2 n8n processes connected to this Redis has not loaded n8n-nodes-chat-checkout/);
		packless.destroy();
		await eventuallyOrUndefined('the pack reported back on every process', () => infos.length > 0, { timeoutMs: 4_000, intervalMs: 100 });
		expect(infos[0]).toMatch(/every n8n process connected to this Redis has the pack loaded again \(1 processes/);
		expect(errors).toHaveLength(1);
	}, 15_000);
});
