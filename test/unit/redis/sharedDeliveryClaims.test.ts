import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import {
	claimAcrossHosts,
	claimKey,
	closeSharedClaimConnections,
	settleClaims,
	sharedClaimsWanted,
} from '../../../nodes/shared/redis/sharedDeliveryClaims';
import { moduleAsAnotherProcess } from '../../support/anotherProcess';
import { freePort, startRedisServer, type RedisServer } from '../../support/redisServer';

type ClaimsModule = typeof import('../../../nodes/shared/redis/sharedDeliveryClaims');

/** What another webhook host runs: the module with its own connection. */
const anotherHost = () => moduleAsAnotherProcess<ClaimsModule>(require.resolve('../../../nodes/shared/redis/sharedDeliveryClaims'));

const queueEnv = (port: number, extra: Record<string, string> = {}) => ({
	EXECUTIONS_MODE: 'queue',
	QUEUE_BULL_REDIS_HOST: '127.0.0.1',
	QUEUE_BULL_REDIS_PORT: String(port),
	...extra,
});
const DAY = 24 * 60 * 60 * 1000;

afterEach(() => closeSharedClaimConnections());

const claimed = (result: Awaited<ReturnType<typeof claimAcrossHosts>>) => (result.mode === 'shared' ? [...result.claimed].sort() : result.mode);
const inFlight = (result: Awaited<ReturnType<typeof claimAcrossHosts>>) => (result.mode === 'shared' ? [...result.inFlightElsewhere].sort() : result.mode);
const tokenOf = (result: Awaited<ReturnType<typeof claimAcrossHosts>>) => (result.mode === 'shared' ? result.token : '');

describe('claims shared across hosts, in a real redis-server', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	beforeEach(() => redis.cli('FLUSHALL'));

	it('one claim per message id and trigger node; a copy meets "in flight" while pending and nothing once done', async () => {
		const env = queueEnv(redis.port);
		const first = await claimAcrossHosts('wf:node', ['a', 'b', 'a'], { env });
		expect(claimed(first)).toEqual(['a', 'b']);
		const copy = await claimAcrossHosts('wf:node', ['a', 'c'], { env });
		expect(claimed(copy)).toEqual(['c']);
		expect(inFlight(copy)).toEqual(['a']);
		expect(await settleClaims('wf:node', ['a', 'b'], tokenOf(first), 'done', { ttlMs: DAY, env })).toBeUndefined();
		const later = await claimAcrossHosts('wf:node', ['a', 'b'], { env });
		expect([claimed(later), inFlight(later)]).toEqual([[], []]); // done: drop it
		expect(claimed(await claimAcrossHosts('wf:other-node', ['a'], { env }))).toEqual(['a']);
	});

	it('of two hosts asking at the same moment, exactly one wins each id (200 ids); the other sees it in flight', async () => {
		const env = queueEnv(redis.port);
		const hostA = anotherHost();
		const hostB = anotherHost();
		// Both connections open first, then each id is asked by both, in alternating order, all at once.
		await Promise.all([hostA.claimAcrossHosts('wf:warm', ['a'], { env }), hostB.claimAcrossHosts('wf:warm', ['b'], { env })]);
		const ids = Array.from({ length: 200 }, (_, i) => `wamid.race-${i}`);
		const a: Array<Promise<Awaited<ReturnType<ClaimsModule['claimAcrossHosts']>>>> = [];
		const b: typeof a = [];
		for (const [i, id] of ids.entries()) {
			const askA = () => a.push(hostA.claimAcrossHosts('wf:node', [id], { env }));
			const askB = () => b.push(hostB.claimAcrossHosts('wf:node', [id], { env }));
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
			const aWon = claimed(resultsA[i]).length === 1;
			const bWon = claimed(resultsB[i]).length === 1;
			expect(aWon !== bWon).toBe(true);
			expect(inFlight(aWon ? resultsB[i] : resultsA[i])).toEqual([ids[i]]);
			if (aWon) wonByA += 1;
		}
		expect(wonByA).toBeGreaterThan(0); // both hosts really raced
		expect(wonByA).toBeLessThan(ids.length);
	});

	it('a pending claim whose host died (never settled) expires, so a retry can take the message', async () => {
		const env = queueEnv(redis.port);
		expect(claimed(await claimAcrossHosts('wf:node', ['m'], { env, pendingTtlMs: 300 }))).toEqual(['m']);
		const ttl = Number(redis.cli('PTTL', claimKey({ keyPrefix: 'n8n' }, 'wf:node', 'm')));
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(300);
		await new Promise((r) => setTimeout(r, 400));
		expect(claimed(await claimAcrossHosts('wf:node', ['m'], { env }))).toEqual(['m']);
	});

	it('done lasts its own time to live (7 days in the trigger), then the id is free again', async () => {
		const env = queueEnv(redis.port);
		const first = await claimAcrossHosts('wf:node', ['m'], { env });
		await settleClaims('wf:node', ['m'], tokenOf(first), 'done', { ttlMs: 300, env });
		expect(redis.cli('GET', claimKey({ keyPrefix: 'n8n' }, 'wf:node', 'm'))).toBe('done');
		expect(claimed(await claimAcrossHosts('wf:node', ['m'], { env }))).toEqual([]);
		await new Promise((r) => setTimeout(r, 400));
		expect(claimed(await claimAcrossHosts('wf:node', ['m'], { env }))).toEqual(['m']);
	});

	it('release (no run started) frees the id at once', async () => {
		const env = queueEnv(redis.port);
		const first = await claimAcrossHosts('wf:node', ['r'], { env });
		await settleClaims('wf:node', ['r'], tokenOf(first), 'release', { ttlMs: DAY, env });
		expect(claimed(await claimAcrossHosts('wf:node', ['r'], { env }))).toEqual(['r']);
	});

	it('only the holder settles: a claim that expired and was taken by another host stays theirs', async () => {
		const env = queueEnv(redis.port);
		const slow = await claimAcrossHosts('wf:node', ['s'], { env, pendingTtlMs: 200 });
		await new Promise((r) => setTimeout(r, 300));
		const other = await claimAcrossHosts('wf:node', ['s'], { env });
		expect(claimed(other)).toEqual(['s']);
		await settleClaims('wf:node', ['s'], tokenOf(slow), 'done', { ttlMs: DAY, env });
		await settleClaims('wf:node', ['s'], tokenOf(slow), 'release', { ttlMs: DAY, env });
		expect(redis.cli('GET', claimKey({ keyPrefix: 'n8n' }, 'wf:node', 's'))).toBe(`pending:${tokenOf(other)}`);
	});

	it("keeps digests only, under n8n's own key prefix (N8N_REDIS_KEY_PREFIX), never under Bull's", async () => {
		await claimAcrossHosts('wf:node', ['wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjBEQzVDMjk4'], { env: queueEnv(redis.port, { N8N_REDIS_KEY_PREFIX: 'shop1' }) });
		const keys = redis.cli('KEYS', '*').split('\n');
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(/^shop1:chat-checkout:seen:[\w-]{12}:[\w-]{22}$/);
		expect(keys[0]).not.toContain('wamid');
	});

	it('is off outside queue mode and when CHAT_CHECKOUT_SHARED_DEDUPE=false, and then touches no Redis', async () => {
		expect(sharedClaimsWanted({})).toBe(false);
		expect(sharedClaimsWanted(queueEnv(redis.port))).toBe(true);
		expect(sharedClaimsWanted(queueEnv(redis.port, { CHAT_CHECKOUT_SHARED_DEDUPE: 'false' }))).toBe(false);
		expect(await claimAcrossHosts('wf:node', ['a'], { env: { QUEUE_BULL_REDIS_PORT: String(redis.port) } })).toEqual({ mode: 'off' });
		expect(await claimAcrossHosts('wf:node', ['a'], { env: queueEnv(redis.port, { CHAT_CHECKOUT_SHARED_DEDUPE: 'off' }) })).toEqual({ mode: 'off' });
		expect(redis.cli('DBSIZE')).toBe('0');
	});

	it('says why when Redis cannot be reached, within the time bound', async () => {
		const port = await freePort(); // nothing listens there
		const t0 = Date.now();
		const result = await claimAcrossHosts('wf:node', ['a'], { env: queueEnv(port) });
		expect(Date.now() - t0).toBeLessThan(2500);
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toContain(`127.0.0.1:${port}`);
		expect(await settleClaims('wf:node', ['a'], 'token', 'done', { ttlMs: DAY, env: queueEnv(port) })).toContain(`127.0.0.1:${port}`);
	});

	it('reconnects after Redis dropped the connection', async () => {
		const env = queueEnv(redis.port);
		expect(claimed(await claimAcrossHosts('wf:node', ['before'], { env }))).toEqual(['before']);
		redis.cli('CLIENT', 'KILL', 'TYPE', 'normal');
		await new Promise((r) => setTimeout(r, 50));
		expect(claimed(await claimAcrossHosts('wf:node', ['after'], { env }))).toEqual(['after']);
	});
});

describe('password, ACL user and database, as n8n connects', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer({ args: ['--requirepass', 'default-pass'], cliArgs: ['--no-auth-warning', '-a', 'default-pass'] });
		redis.cli('ACL', 'SETUSER', 'claims', 'on', '>claims-pass', '~*', '+set', '+get', '+del', '+eval', '+select', '+auth', '+ping');
	});
	afterAll(async () => await redis.stop());

	it('authenticates with QUEUE_BULL_REDIS_PASSWORD and writes into QUEUE_BULL_REDIS_DB', async () => {
		const result = await claimAcrossHosts('wf:node', ['x'], { env: queueEnv(redis.port, { QUEUE_BULL_REDIS_PASSWORD: 'default-pass', QUEUE_BULL_REDIS_DB: '3' }) });
		expect(claimed(result)).toEqual(['x']);
		expect(redis.cli('-n', '3', 'DBSIZE')).toBe('1');
		expect(redis.cli('-n', '0', 'DBSIZE')).toBe('0');
	});

	it('authenticates as QUEUE_BULL_REDIS_USERNAME', async () => {
		const env = queueEnv(redis.port, { QUEUE_BULL_REDIS_USERNAME: 'claims', QUEUE_BULL_REDIS_PASSWORD: 'claims-pass' });
		const result = await claimAcrossHosts('wf:node', ['y'], { env });
		expect(claimed(result)).toEqual(['y']);
		expect(await settleClaims('wf:node', ['y'], tokenOf(result), 'done', { ttlMs: DAY, env })).toBeUndefined();
		expect(redis.cli('GET', claimKey({ keyPrefix: 'n8n' }, 'wf:node', 'y'))).toBe('done');
	});

	it('reports refused credentials instead of claiming', async () => {
		const result = await claimAcrossHosts('wf:node', ['z'], { env: queueEnv(redis.port, { QUEUE_BULL_REDIS_PASSWORD: 'wrong' }) });
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toMatch(/refused the credentials/);
		const noPassword = await claimAcrossHosts('wf:node', ['z'], { env: queueEnv(redis.port) });
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
		expect(claimed(await claimAcrossHosts('wf:node', ['t'], { env }))).toEqual(['t']);
		expect(redis.cli('DBSIZE')).toBe('1');
	});

	it('refuses a certificate it cannot verify when validation is on (the default)', async () => {
		const result = await claimAcrossHosts('wf:node', ['u'], { env: queueEnv(redis.port, { QUEUE_BULL_REDIS_TLS: 'true' }) });
		expect(result.mode).toBe('unavailable');
		expect(result.mode === 'unavailable' && result.reason).toMatch(/certificate/i);
	});

	it('does not speak plain RESP to a TLS port (QUEUE_BULL_REDIS_TLS unset)', async () => {
		const result = await claimAcrossHosts('wf:node', ['v'], { env: queueEnv(redis.port) });
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

	it('claims and settles each id once, wherever its slot lives', async () => {
		const env = queueEnv(1, { QUEUE_BULL_REDIS_CLUSTER_NODES: `127.0.0.1:${nodes[0].port}` });
		const ids = Array.from({ length: 30 }, (_, i) => `mid.cluster-${i}`);
		const first = await claimAcrossHosts('wf:node', ids, { env });
		expect(claimed(first)).toEqual([...ids].sort());
		expect(await settleClaims('wf:node', ids, tokenOf(first), 'done', { ttlMs: DAY, env })).toBeUndefined();
		const again = await claimAcrossHosts('wf:node', ids, { env });
		expect([claimed(again), inFlight(again)]).toEqual([[], []]);
		const perNode = nodes.map((n) => Number(n.cli('DBSIZE')));
		expect(perNode.reduce((a, b) => a + b, 0)).toBe(30);
		expect(perNode.filter((count) => count > 0).length).toBeGreaterThan(1); // keys really live on several nodes
	});
});
