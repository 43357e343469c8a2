/**
 * A conversation turn through the pack's nodes in n8n-core's real execution contexts, with a real redis-server
 * as n8n's Redis (queue mode): the trigger starts the turn on the worker (lease + record), Send Chat Message
 * ends it, and Resume Crashed Turn starts again a turn whose run n8n lost — never an answered one, never twice.
 */
import type { IDataObject, INodeExecutionData, WorkflowExecuteMode } from 'n8n-workflow';

import { ChatCheckoutInstagramApi } from '../../../credentials/ChatCheckoutInstagramApi.credentials';
import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { ResumeCrashedTurn } from '../../../nodes/ResumeCrashedTurn/ResumeCrashedTurn.node';
import { SendChatMessage } from '../../../nodes/SendChatMessage/SendChatMessage.node';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { closeN8nRedis } from '../../../nodes/shared/redis/n8nRedis';
import { resetLocalChatTurns } from '../../../nodes/shared/turns/chatTurnLease';
import { executeNode } from '../../support/n8n';
import { useQueueModeEnv } from '../../support/queueEnv';
import { startRedisServer, type RedisServer } from '../../support/redisServer';
import { startGraphSim, type GraphSim } from '../../../tools/sandbox/graph';

const PHONE_ID = '100000000000001';
const CUSTOMER = '4915112345678';
const CRASH = 'This execution failed to be processed too many times and will no longer retry. To allow this execution to complete, please break down your workflow or scale up your workers or adjust your worker settings.';

function turnItem(text: string, messageId = `wamid.${text.length}`): INodeExecutionData {
	return {
		json: {
			event: 'message',
			channel: 'whatsapp',
			chatRef: { channel: 'whatsapp', accountId: PHONE_ID, userId: CUSTOMER },
			messageId,
			timestamp: '2026-11-28T12:00:00.000Z',
			type: 'text',
			text,
			reply: null,
			profileName: 'Ada',
			status: null,
			raw: {},
		},
	};
}

let graph: GraphSim;
let redis: RedisServer;

async function triggerStarts(executionId: string, items: INodeExecutionData[], mode: WorkflowExecuteMode = 'webhook') {
	return await executeNode({ nodeType: new WhatsAppTrigger(), parameters: { options: {} }, items, executionId, mode });
}

async function shopAnswers(executionId: string, text = 'Here is your link') {
	return await executeNode({
		nodeType: new SendChatMessage(),
		parameters: { messageType: 'text', text, retry: { baseDelayMs: 1, maxDelayMs: 20 } },
		credentials: {
			chatCheckoutWhatsAppApi: { appSecret: 's', verifyToken: 'v', graphApiVersion: 'v25.0', baseUrl: graph.url, accessToken: 'token', phoneNumberId: PHONE_ID },
		},
		credentialTypes: [new ChatCheckoutWhatsAppApi(), new ChatCheckoutInstagramApi()],
		items: [{ json: { chatRef: { channel: 'whatsapp', accountId: PHONE_ID, userId: CUSTOMER } } }],
		executionId,
		mode: 'webhook',
	});
}

async function resume(executionId: string, errorItem: IDataObject) {
	const [resumed, notResumed] = await executeNode({ nodeType: new ResumeCrashedTurn(), parameters: {}, items: [{ json: errorItem }], executionId, mode: 'error' });
	return { resumed: resumed.map((i) => i.json), notResumed: notResumed.map((i) => i.json) };
}

const crashOf = (executionId: string, message = CRASH, workflowId = 'wf-test') => ({
	execution: { id: executionId, error: { message }, mode: 'webhook' },
	workflow: { id: workflowId, name: 'Chat checkout: conversation' },
});

beforeEach(async () => {
	graph = await startGraphSim({ accessTokens: ['token'], whatsappNumbers: [{ id: PHONE_ID }] });
	resetLocalChatTurns();
});
afterEach(async () => {
	await graph.stop();
	closeN8nRedis();
});

describe('queue mode: a turn from the trigger to the answer', () => {
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	useQueueModeEnv(() => redis.port);
	beforeEach(() => redis.cli('FLUSHALL'));

	it('the trigger passes its items on unchanged and keeps the turn sealed; the next turn of the chat starts once the first is answered', async () => {
		const first = await triggerStarts('101', [turnItem('I want the deluxe room June 20-23')]);
		expect(first[0].map((i) => i.json.text)).toEqual(['I want the deluxe room June 20-23']);
		expect(first[0][0].pairedItem).toEqual({ item: 0 });
		const records = redis.cli('--scan', '--pattern', 'n8n:chat-checkout:turn-run:*').split('\n').filter(Boolean);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatch(/:101$/);
		expect(redis.cli('HGET', records[0], 'owner')).toBe('101');
		expect(redis.cli('HGET', records[0], 'turn')).not.toContain('deluxe');

		const order: string[] = [];
		const second = triggerStarts('102', [turnItem('make it 2 rooms')]).then(() => order.push('turn 2 starts'));
		await new Promise((r) => setTimeout(r, 400));
		order.push('turn 1 answered');
		await shopAnswers('101');
		await second;
		expect(order).toEqual(['turn 1 answered', 'turn 2 starts']);
		expect(redis.cli('HGET', records[0], 'answered')).toBe('1');
		// An answered turn is never resumed, whatever n8n says about its run later.
		const late = await resume('103', crashOf('101'));
		expect(late.resumed).toEqual([]);
		expect(late.notResumed[0]).toMatchObject({ resumed: false, executionId: '101', reason: 'the customer had already been answered' });
	});

	it('a run n8n lost is resumed once, with its items; the lost run, if it still runs, cannot answer too', async () => {
		await triggerStarts('201', [turnItem('I want the deluxe room June 20-23', 'wamid.CRASHED')]);
		const { resumed, notResumed } = await resume('202', crashOf('201'));
		expect(notResumed).toEqual([]);
		expect(resumed).toHaveLength(1);
		expect(resumed[0]).toMatchObject({ text: 'I want the deluxe room June 20-23', messageId: 'wamid.CRASHED', resumedFrom: '201', chatRef: { userId: CUSTOMER } });
		// The run n8n gave up on (a stalled, not dead, worker) reaches its send: refused.
		await expect(shopAnswers('201')).rejects.toThrow(/Not sent: n8n reported this run as failed and its turn was resumed by execution 202/);
		expect(graph.requests).toHaveLength(0);
		// The resumed run holds the chat: a new turn waits for its answer.
		let started = false;
		const next = triggerStarts('203', [turnItem('thanks')]).then(() => (started = true));
		await new Promise((r) => setTimeout(r, 300));
		expect(started).toBe(false);
		await shopAnswers('202');
		await next;
		expect(graph.requests).toHaveLength(1);
		// Never twice.
		expect((await resume('204', crashOf('201'))).notResumed[0].reason).toBe('that turn was resumed already');
		expect((await resume('205', crashOf('202'))).notResumed[0].reason).toBe('the customer had already been answered');
	});

	it('a resumed turn whose run is lost again is not started a third time', async () => {
		await triggerStarts('301', [turnItem('hello')]);
		expect((await resume('302', crashOf('301'))).resumed).toHaveLength(1);
		expect((await resume('303', crashOf('302'))).notResumed[0].reason).toBe('that run was itself a resumed turn; it is not started a third time');
	});

	it("what is not resumed: a run that failed in the workflow, another workflow's run, a run never kept, a test run", async () => {
		await triggerStarts('401', [turnItem('hello')]);
		expect((await resume('402', crashOf('401', 'The chat model failed: 401 Unauthorized'))).notResumed[0].reason).toMatch(/failed in the workflow itself \("The chat model failed: 401 Unauthorized"\), not because n8n lost it/);
		expect((await resume('403', crashOf('401', CRASH, 'wf-other'))).notResumed[0].reason).toMatch(/another workflow/);
		expect((await resume('404', crashOf('999'))).notResumed[0].reason).toMatch(/no turn was kept for that run/);
		expect((await resume('405', { execution: { id: '401', error: { message: CRASH }, mode: 'manual' }, workflow: { id: 'wf-test' } })).notResumed[0].reason).toBe('it was a test run from the editor');
		expect((await resume('406', { something: 'else' })).notResumed[0].reason).toMatch(/not from an Error Trigger/);
		// n8n's Redis failing under the run counts as lost by n8n: resumed.
		expect((await resume('407', crashOf('401', 'LOADING Redis is loading the dataset in memory'))).resumed).toHaveLength(1);
	});

	it("the editor's test runs take no lease and keep nothing", async () => {
		await triggerStarts('501', [turnItem('hello')], 'manual');
		expect(redis.cli('DBSIZE')).toBe('0');
	});
});

describe('a single n8n (no queue mode)', () => {
	it('turns of one chat still wait for each other (process memory); nothing is kept for a resume', async () => {
		await triggerStarts('601', [turnItem('I want the deluxe room')]);
		let started = false;
		const next = triggerStarts('602', [turnItem('make it 2 rooms')]).then(() => (started = true));
		await new Promise((r) => setTimeout(r, 300));
		expect(started).toBe(false);
		await shopAnswers('601');
		await next;
		expect((await resume('603', crashOf('601'))).notResumed[0].reason).toMatch(/only in queue mode/);
	});
});
