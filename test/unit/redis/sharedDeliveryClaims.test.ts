import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import {
	claimAcrossHosts,
	claimKey,
	closeSharedClaimConnections,
	sharedClaimsWanted,
} from '../../../nodes/shared/redis/sharedDeliveryClaims';
import { freePort, startRedisServer, type RedisServer } from '../../support/redisServer';

type ClaimsModule = typeof import('../../../nodes/shared/redis/sharedDeliveryClaims');

/** A second copy of the module, with its own connection: what another webhook host runs. */
function anotherHost(): ClaimsModule {
	let copy: ClaimsModule | undefined;
	jest.isolateModules(() => {
		copy = jest.requireActual<ClaimsModule>('../../../nodes/shared/redis/sharedDeliveryClaims');
	});
	return copy as ClaimsModule;
}

const queueEnv = (port: number, extra: Record<string, string> = {}) => ({
	EXECUTIONS_MODE: 'queue',
	QUEUE_BULL_REDIS_HOST: '127.0.0.1',
	QUEUE_BULL_REDIS_PORT: String(port),
	...extra,
});
const DAY = 24 * 60 * 60 * 1000;

afterEach(() => closeSharedClaimConnections());

describe('claims shared across hosts, in a real redis-server', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	beforeEach(() => redis.cli('FLUSHALL'));

	it('claims each message id once per trigger node, also within one batch', async () => {
		const env = queueEnv(redis.port);
		expect(await claimAcrossHosts('wf:node', ['a', 'b', 'a'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['a', 'b']) });
		expect(await claimAcrossHosts('wf:node', ['a', 'c'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['c']) });
		expect(await claimAcrossHosts('wf:other-node', ['a'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['a']) });
	});

	it('of two hosts asking at the same moment, exactly one wins each id (200 ids)', async () => {
		const env = queueEnv(redis.port);
		const hostA = anotherHost();
		const hostB = anotherHost();
		// Both connections open first, then each id is asked by both, in alternating order, all at once.
		await Promise.all([hostA.claimAcrossHosts('wf:warm', ['a'], { ttlMs: DAY, env }), hostB.claimAcrossHosts('wf:warm', ['b'], { ttlMs: DAY, env })]);
		const ids = Array.from({ length: 200 }, (_, i) => `wamid.race-${i}`);
		const a: Array<Promise<Awaited<ReturnType<ClaimsModule['claimAcrossHosts']>>>> = [];
		const b: typeof a = [];
		for (const [i, id] of ids.entries()) {
			const askA = () => a.push(hostA.claimAcrossHosts('wf:node', [id], { ttlMs: DAY, env }));
			const askB = () => b.push(hostB.claimAcrossHosts('wf:node', [id], { ttlMs: DAY, env }));
			if (i % 2 === 0) {
				askA();
				askB();
			} else {
				askB();
				askA();
			}
		}
		const [resultsA, resultsB] = [await Promise.all(a), await Promise.all(b)];
		hostA.closeSharedClaimConnections();
		hostB.closeSharedClaimConnections();
		let wonByA = 0;
		for (let i = 0; i < ids.length; i++) {
			const [ra, rb] = [resultsA[i], resultsB[i]];
			const aWon = ra.mode === 'shared' && ra.claimed.has(ids[i]);
			const bWon = rb.mode === 'shared' && rb.claimed.has(ids[i]);
			expect(aWon !== bWon).toBe(true);
			if (aWon) wonByA += 1;
		}
		expect(wonByA).toBeGreaterThan(0); // both hosts really raced
		expect(wonByA).toBeLessThan(ids.length);
	});

	it('forgets a claim after its time to live', async () => {
		const env = queueEnv(redis.port);
		expect((await claimAcrossHosts('wf:node', ['m'], { ttlMs: 300, env })).mode).toBe('shared');
		const ttl = Number(redis.cli('PTTL', claimKey({ keyPrefix: 'n8n' }, 'wf:node', 'm')));
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(300);
		await new Promise((r) => setTimeout(r, 400));
		expect(await claimAcrossHosts('wf:node', ['m'], { ttlMs: 300, env })).toEqual({ mode: 'shared', claimed: new Set(['m']) });
	});

	it("keeps digests only, under n8n's own key prefix (N8N_REDIS_KEY_PREFIX), never under Bull's", async () => {
		await claimAcrossHosts('wf:node', ['wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBEQzVDMjk4'], { ttlMs: DAY, env: queueEnv(redis.port, { N8N_REDIS_KEY_PREFIX: 'shop1' }) });
		const keys = redis.cli('KEYS', '*').split('\n');
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(/^shop1:chat-checkout:seen:[\w-]{12}:[\w-]{22}$/);
		expect(keys[0]).not.toContain('wamid');
	});

	it('is off outside queue mode and when CHAT_CHECKOUT_SHARED_DEDUPE=false, and then touches no Redis', async () => {
		expect(sharedClaimsWanted({})).toBe(false);
		expect(sharedClaimsWanted(queueEnv(redis.port))).toBe(true);
		expect(sharedClaimsWanted(queueEnv(redis.port, { CHAT_CHECKOUT_SHARED_DEDUPE: 'false' }))).toBe(false);
		expect(await claimAcrossHosts('wf:node', ['a'], { ttlMs: DAY, env: { QUEUE_BULL_REDIS_PORT: String(redis.port) } })).toEqual({ mode: 'off' });
		expect(await claimAcrossHosts('wf:node', ['a'], { ttlMs: DAY, env: queueEnv(redis.port, { CHAT_CHECKOUT_SHARED_DEDUPE: 'off' }) })).toEqual({ mode: 'off' });
		expect(redis.cli('DBSIZE')).toBe('0');
	});

	it('says why when Redis cannot be reached, within the time bound', async () => {
		const port = await freePort(); // nothing listens there
		const t0 = Date.now();
		const result = await claimAcrossHosts('wf:node', ['a'], { ttlMs: DAY, env: queueEnv(port) });
		expect(Date.now() - t0).toBeLessThan(2500);
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toContain(`127.0.0.1:${port}`);
	});

	it('reconnects after Redis dropped the connection', async () => {
		const env = queueEnv(redis.port);
		expect((await claimAcrossHosts('wf:node', ['before'], { ttlMs: DAY, env })).mode).toBe('shared');
		redis.cli('CLIENT', 'KILL', 'TYPE', 'normal');
		await new Promise((r) => setTimeout(r, 50));
		expect(await claimAcrossHosts('wf:node', ['after'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['after']) });
	});
});

describe('password, ACL user and database, as n8n connects', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer({ args: ['--requirepass', 'default-pass'], cliArgs: ['--no-auth-warning', '-a', 'default-pass'] });
		redis.cli('ACL', 'SETUSER', 'claims', 'on', '>claims-pass', '~*', '+set', '+select', '+auth', '+ping');
	});
	afterAll(async () => await redis.stop());

	it('authenticates with QUEUE_BULL_REDIS_PASSWORD and writes into QUEUE_BULL_REDIS_DB', async () => {
		const result = await claimAcrossHosts('wf:node', ['x'], { ttlMs: DAY, env: queueEnv(redis.port, { QUEUE_BULL_REDIS_PASSWORD: 'default-pass', QUEUE_BULL_REDIS_DB: '3' }) });
		expect(result).toEqual({ mode: 'shared', claimed: new Set(['x']) });
		expect(redis.cli('-n', '3', 'DBSIZE')).toBe('1');
		expect(redis.cli('-n', '0', 'DBSIZE')).toBe('0');
	});

	it('authenticates as QUEUE_BULL_REDIS_USERNAME', async () => {
		const env = queueEnv(redis.port, { QUEUE_BULL_REDIS_USERNAME: 'claims', QUEUE_BULL_REDIS_PASSWORD: 'claims-pass' });
		expect(await claimAcrossHosts('wf:node', ['y'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['y']) });
	});

	it('reports refused credentials instead of claiming', async () => {
		const result = await claimAcrossHosts('wf:node', ['z'], { ttlMs: DAY, env: queueEnv(redis.port, { QUEUE_BULL_REDIS_PASSWORD: 'wrong' }) });
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toMatch(/refused the credentials/);
		const noPassword = await claimAcrossHosts('wf:node', ['z'], { ttlMs: DAY, env: queueEnv(redis.port) });
		expect(noPassword.mode === 'unavailable' && noPassword.reason).toMatch(/NOAUTH/);
	});
});

describe('TLS (QUEUE_BULL_REDIS_TLS), with a certificate made for the test', () => {
	let redis: RedisServer;
	let certDir: string;
	beforeAll(async () => {
		const port = await freePort();
		const plain = await startRedisServer(); // only for a temp folder that is removed again
		certDir = plain.dir;
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=redis.test', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
		redis = await startRedisServer({
			port,
			plainPort: false,
			args: ['--tls-port', String(port), '--tls-cert-file', join(certDir, 'cert.pem'), '--tls-key-file', join(certDir, 'key.pem'), '--tls-auth-clients', 'no'],
			cliArgs: ['--tls', '--insecure'],
		});
		(redis as RedisServer & { plain?: RedisServer }).plain = plain;
	});
	afterAll(async () => {
		await redis.stop();
		await (redis as RedisServer & { plain?: RedisServer }).plain?.stop();
	});

	it('claims over TLS when the certificate is accepted (QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE=false)', async () => {
		const env = queueEnv(redis.port, { QUEUE_BULL_REDIS_TLS: 'true', QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false' });
		expect(await claimAcrossHosts('wf:node', ['t'], { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(['t']) });
		expect(redis.cli('DBSIZE')).toBe('1');
	});

	it('refuses a certificate it cannot verify when validation is on (the default)', async () => {
		const result = await claimAcrossHosts('wf:node', ['u'], { ttlMs: DAY, env: queueEnv(redis.port, { QUEUE_BULL_REDIS_TLS: 'true' }) });
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toMatch(/certificate/i);
	});

	it('does not speak plain RESP to a TLS port (QUEUE_BULL_REDIS_TLS unset)', async () => {
		const result = await claimAcrossHosts('wf:node', ['v'], { ttlMs: DAY, env: queueEnv(redis.port) });
		expect(result.mode).toBe('unavailable');
	});
});

describe('a Redis cluster (QUEUE_BULL_REDIS_CLUSTER_NODES): MOVED redirections are followed', () => {
	const nodes: RedisServer[] = [];
	beforeAll(async () => {
		for (let i = 0; i < 3; i++) nodes.push(await startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }));
		execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
		const deadline = Date.now() + 15_000;
		while (!nodes.every((n) => n.cli('CLUSTER', 'INFO').includes('cluster_state:ok'))) {
			if (Date.now() > deadline) throw new Error('the test cluster did not become ok');
			await new Promise((r) => setTimeout(r, 100));
		}
	});
	afterAll(async () => {
		for (const node of nodes) await node.stop();
	});

	it('claims each id once, wherever its slot lives', async () => {
		const env = queueEnv(1, { QUEUE_BULL_REDIS_CLUSTER_NODES: `127.0.0.1:${nodes[0].port}` });
		const ids = Array.from({ length: 30 }, (_, i) => `mid.cluster-${i}`);
		expect(await claimAcrossHosts('wf:node', ids, { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set(ids) });
		expect(await claimAcrossHosts('wf:node', ids, { ttlMs: DAY, env })).toEqual({ mode: 'shared', claimed: new Set() });
		const perNode = nodes.map((n) => Number(n.cli('DBSIZE')));
		expect(perNode.reduce((a, b) => a + b, 0)).toBe(30);
		expect(perNode.filter((count) => count > 0).length).toBeGreaterThan(1); // keys really live on several nodes
	});
});
