import { closeN8nRedis } from '../../../nodes/shared/redis/n8nRedis';
import {
	acquireChatTurn,
	extendChatTurn,
	releaseChatTurn,
	resetLocalChatTurns,
	takeOverChatTurn,
} from '../../../nodes/shared/turns/chatTurnLease';
import { sleep } from '../../../tools/wait';
import { moduleAsAnotherProcess } from '../../support/anotherProcess';
import { useQueueModeEnv } from '../../support/queueEnv';
import { freePort, startRedisServer, type RedisServer } from '../../support/redisServer';

type LeaseModule = typeof import('../../../nodes/shared/turns/chatTurnLease');

/** What another worker runs: the module with its own Redis connection. */
const anotherWorker = () => moduleAsAnotherProcess<LeaseModule>(require.resolve('../../../nodes/shared/turns/chatTurnLease'));

const chat = { workflowId: 'wf-1', chatKey: 'whatsapp:100:4915112345678' };

/** Two turns of one chat: the second waits until the first gives the chat back, then starts. */
async function secondWaitsForFirst(first: LeaseModule, second: LeaseModule): Promise<{ order: string[]; waitedMs: number }> {
	const order: string[] = [];
	expect((await first.acquireChatTurn(chat, 'run-1', { waitMs: 0 })).ok).toBe(true);
	order.push('run-1 starts');
	const waiting = second.acquireChatTurn(chat, 'run-2', { waitMs: 5000, pollMs: 20 }).then((outcome) => {
		order.push('run-2 starts');
		return outcome;
	});
	await sleep(300);
	order.push('run-1 answered');
	expect(await first.releaseChatTurn(chat, 'run-1')).toEqual({ ok: true });
	const outcome = await waiting;
	expect(outcome.ok).toBe(true);
	return { order, waitedMs: outcome.waitedMs };
}

describe('one turn at a time per chat, in one n8n (process memory)', () => {
	beforeEach(() => resetLocalChatTurns());

	it('a second turn of the chat waits for the first to be answered; other chats do not wait', async () => {
		const { order, waitedMs } = await secondWaitsForFirst(
			{ acquireChatTurn, releaseChatTurn } as LeaseModule,
			{ acquireChatTurn, releaseChatTurn } as LeaseModule,
		);
		expect(order).toEqual(['run-1 starts', 'run-1 answered', 'run-2 starts']);
		expect(waitedMs).toBeGreaterThanOrEqual(250);
		const other = await acquireChatTurn({ ...chat, chatKey: 'whatsapp:100:4915199999999' }, 'run-3', { waitMs: 0 });
		expect(other.ok).toBe(true);
		const otherWorkflow = await acquireChatTurn({ ...chat, workflowId: 'wf-2' }, 'run-4', { waitMs: 0 });
		expect(otherWorkflow.ok).toBe(true);
	});

	it('a holder that never answers lets the lease expire; only the holder releases or extends it', async () => {
		expect((await acquireChatTurn(chat, 'run-1', { ttlMs: 200, waitMs: 0 })).ok).toBe(true);
		expect(await acquireChatTurn(chat, 'run-2', { waitMs: 0 })).toMatchObject({ ok: false, reason: 'held', heldBy: 'run-1' });
		expect(await releaseChatTurn(chat, 'run-2')).toMatchObject({ ok: false, heldBy: 'run-1' });
		expect(await extendChatTurn(chat, 'run-2', 1000)).toMatchObject({ ok: false, heldBy: 'run-1' });
		const late = await acquireChatTurn(chat, 'run-2', { waitMs: 2000, pollMs: 20 });
		expect(late.ok).toBe(true);
		expect(late.waitedMs).toBeGreaterThanOrEqual(150);
		expect(await extendChatTurn(chat, 'run-2', 1000)).toEqual({ ok: true });
	});

	it('gives up waiting after waitMs and says who holds it (the turn then runs anyway)', async () => {
		await acquireChatTurn(chat, 'run-1', { waitMs: 0 });
		const outcome = await acquireChatTurn(chat, 'run-2', { waitMs: 200, pollMs: 20 });
		expect(outcome).toMatchObject({ ok: false, reason: 'held', heldBy: 'run-1' });
		expect(outcome.waitedMs).toBeGreaterThanOrEqual(200);
	});

	it('a resumed turn takes the lease over from the run that died, not from a later turn', async () => {
		await acquireChatTurn(chat, 'dead-run', { waitMs: 0 });
		expect(await takeOverChatTurn(chat, 'dead-run', 'resumed-run')).toEqual({ ok: true });
		expect(await acquireChatTurn(chat, 'run-3', { waitMs: 0 })).toMatchObject({ ok: false, heldBy: 'resumed-run' });
		expect(await takeOverChatTurn(chat, 'dead-run', 'another-resume')).toMatchObject({ ok: false, heldBy: 'resumed-run' });
	});
});

describe("one turn at a time per chat, across workers (n8n's Redis, queue mode)", () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	useQueueModeEnv(() => redis.port);
	beforeEach(() => redis.cli('FLUSHALL'));
	afterEach(() => closeN8nRedis());

	it('a turn on one worker waits for the turn of the same chat on the other; the key holds digests only', async () => {
		const workerA = anotherWorker();
		const workerB = anotherWorker();
		const { order } = await secondWaitsForFirst(workerA, workerB);
		expect(order).toEqual(['run-1 starts', 'run-1 answered', 'run-2 starts']);
		const keys = redis.cli('--scan', '--pattern', 'n8n:chat-checkout:chat-turn:*').split('\n').filter(Boolean);
		expect(keys).toHaveLength(1);
		expect(keys[0]).not.toContain('4915112345678');
		expect(redis.cli('GET', keys[0])).toBe('run-2');
		expect(Number(redis.cli('PTTL', keys[0]))).toBeGreaterThan(0);
		expect(await workerB.releaseChatTurn(chat, 'run-2')).toEqual({ ok: true });
	});

	it('of 20 runs of one chat on two workers, never two hold the chat at once', async () => {
		const workers = [anotherWorker(), anotherWorker()];
		let inside = 0;
		let most = 0;
		await Promise.all(Array.from({ length: 20 }, async (_, i) => {
			const worker = workers[i % 2];
			const got = await worker.acquireChatTurn(chat, `run-${i}`, { waitMs: 20_000, pollMs: 10 });
			expect(got.ok).toBe(true);
			inside += 1;
			most = Math.max(most, inside);
			await sleep(15);
			inside -= 1;
			await worker.releaseChatTurn(chat, `run-${i}`);
		}));
		expect(most).toBe(1);
	}, 30_000);

	it('an expired lease is taken by the next turn; a resume takes it over from the dead run', async () => {
		expect((await acquireChatTurn(chat, 'dead-run', { ttlMs: 150, waitMs: 0 })).ok).toBe(true);
		expect(await takeOverChatTurn(chat, 'dead-run', 'resumed-run', 5000)).toEqual({ ok: true });
		expect(await acquireChatTurn(chat, 'run-3', { waitMs: 0 })).toMatchObject({ ok: false, heldBy: 'resumed-run' });
		expect(await releaseChatTurn(chat, 'resumed-run')).toEqual({ ok: true });
		expect((await acquireChatTurn(chat, 'run-3', { ttlMs: 150, waitMs: 0 })).ok).toBe(true);
		const next = await acquireChatTurn(chat, 'run-4', { waitMs: 2000, pollMs: 20 });
		expect(next.ok).toBe(true);
		expect(next.waitedMs).toBeGreaterThanOrEqual(100);
	});

	it("Redis unreachable: 'unavailable' at once with the reason (the run goes on, never waits for it)", async () => {
		const port = await freePort();
		const saved = process.env.QUEUE_BULL_REDIS_PORT;
		process.env.QUEUE_BULL_REDIS_PORT = String(port);
		try {
			const t0 = Date.now();
			const outcome = await acquireChatTurn(chat, 'run-1', { waitMs: 10_000 });
			expect(outcome).toMatchObject({ ok: false, reason: 'unavailable' });
			expect(outcome.ok === false && outcome.reason === 'unavailable' ? outcome.detail : '').toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
			expect(Date.now() - t0).toBeLessThan(2500);
		} finally {
			process.env.QUEUE_BULL_REDIS_PORT = saved;
		}
	});
});
