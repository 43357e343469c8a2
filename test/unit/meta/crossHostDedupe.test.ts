import type { Logger } from 'n8n-workflow';

import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { claimEventsAcrossHosts } from '../../../nodes/shared/meta/crossHostDedupe';
import { flushSeenEventWrites, forgetInMemoryStateForTests } from '../../../nodes/shared/meta/dedupe';
import type { InboundEvent } from '../../../nodes/shared/meta/inboundEvents';
import { closeSharedClaimConnections } from '../../../nodes/shared/redis/sharedDeliveryClaims';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import { APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, metaSignature, waText, whatsAppBody, whatsAppValue } from '../../../tools/sandbox/metaWebhooks';
import { freePort, startRedisServer, type RedisServer } from '../../support/redisServer';

/** The trigger as it runs on a webhook host of a queue-mode n8n whose Redis is `port`. */
const QUEUE_ENV = ['EXECUTIONS_MODE', 'QUEUE_BULL_REDIS_HOST', 'QUEUE_BULL_REDIS_PORT', 'CHAT_CHECKOUT_SHARED_DEDUPE'];
function useQueueModeEnv(port: () => number) {
	const saved: Record<string, string | undefined> = {};
	beforeEach(() => {
		for (const name of QUEUE_ENV) saved[name] = process.env[name];
		Object.assign(process.env, { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port()) });
		delete process.env.CHAT_CHECKOUT_SHARED_DEDUPE;
	});
	afterEach(() => {
		closeSharedClaimConnections();
		for (const name of QUEUE_ENV) {
			if (saved[name] === undefined) delete process.env[name];
			else process.env[name] = saved[name];
		}
	});
}

async function deliver(body: object) {
	const raw = JSON.stringify(body);
	return await callWebhook(
		{
			nodeType: new WhatsAppTrigger(),
			parameters: { options: {} },
			credentials: { chatCheckoutWhatsAppApi: { accessToken: 't', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphApiVersion: 'v25.0', baseUrl: 'http://127.0.0.1:9' } },
			credentialTypes: [new ChatCheckoutWhatsAppApi()],
			staticData: {},
		},
		{ method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json', 'X-Hub-Signature-256': metaSignature(raw) } },
	);
}

/**
 * Plays webhook host `name`: its own user folder and none of the other hosts' memory (this test process plays
 * every host in turn; what a host wrote to its folder stays there).
 */
async function asHost(userFolder: { folder: () => string }, name: string) {
	await flushSeenEventWrites();
	forgetInMemoryStateForTests();
	process.env.N8N_USER_FOLDER = `${userFolder.folder()}/${name}`;
}

/** n8n has answered Meta (after queuing the run, or with an error): Express emits 'finish'. */
async function answered(outcome: Awaited<ReturnType<typeof deliver>>, statusCode: number) {
	outcome.res.statusCode = statusCode;
	outcome.res.emit('finish');
	await new Promise((r) => setTimeout(r, 50)); // the claim is settled in Redis without holding anything up
}

describe('WhatsApp Trigger in queue mode, with a real redis-server', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	const userFolder = useIsolatedUserFolder();
	useQueueModeEnv(() => redis.port);
	const body = (id: string) => whatsAppBody([whatsAppValue({ messages: [waText(id, '111', 'hello')] })]);

	it('a message another host already started (its run queued) starts no run here: 200, nothing emitted', async () => {
		await asHost(userFolder, 'host-1');
		const first = await deliver(body('wamid.CROSS1'));
		expect(first.items).toHaveLength(1);
		await answered(first, 200);
		await asHost(userFolder, 'host-2');
		const copy = await deliver(body('wamid.CROSS1'));
		expect(copy.items).toHaveLength(0);
		expect(copy.response.statusCode).toBe(200);
		// Without the shared claims (opt-out) another host would have started a second run.
		process.env.CHAT_CHECKOUT_SHARED_DEDUPE = 'false';
		await asHost(userFolder, 'host-3');
		expect((await deliver(body('wamid.CROSS1'))).items).toHaveLength(1);
	});

	it('a copy arriving while the other host is still starting it is refused (503), so Meta retries it', async () => {
		await asHost(userFolder, 'host-1');
		const first = await deliver(body('wamid.CROSS2'));
		expect(first.items).toHaveLength(1); // host 1 is starting it; n8n has not answered yet
		await asHost(userFolder, 'host-2');
		const copy = await deliver(body('wamid.CROSS2'));
		expect(copy.response.statusCode).toBe(503);
		expect(copy.items).toHaveLength(0);
		// Host 1 could not queue its run (n8n answered 500): its claim is released …
		await asHost(userFolder, 'host-1');
		await answered(first, 500);
		// … and Meta's retry of the refused copy starts the run on host 2, which did not keep the refused copy.
		await asHost(userFolder, 'host-2');
		const retry = await deliver(body('wamid.CROSS2'));
		expect(retry.items).toHaveLength(1);
		expect(retry.response.statusCode).toBe(200);
	});

	it('a batch with a message started elsewhere and a new one emits only the new one', async () => {
		await asHost(userFolder, 'host-1');
		await answered(await deliver(body('wamid.CROSS3')), 200);
		await asHost(userFolder, 'host-2');
		const mixed = whatsAppBody([whatsAppValue({ messages: [waText('wamid.CROSS3', '111', 'a'), waText('wamid.CROSS4', '111', 'b')] })]);
		expect((await deliver(mixed)).items.map((i) => i.json.messageId)).toEqual(['wamid.CROSS4']);
	});
});

describe('when Redis cannot be asked', () => {
	let port = 0;
	beforeAll(async () => {
		port = await freePort(); // nothing listens there
	});
	useIsolatedUserFolder();
	useQueueModeEnv(() => port);

	const event = (id: string) => ({ dedupeKey: `whatsapp:message:${id}`, messageId: id }) as unknown as InboundEvent;

	it('keeps the events (the run starts) and warns once, naming the setting to check', async () => {
		const logger = { warn: jest.fn(), info: jest.fn(), error: jest.fn(), debug: jest.fn() } as unknown as Logger;
		const claim = await claimEventsAcrossHosts(logger, 'WhatsApp', 'wf:node', [event('a'), event('b')]);
		expect(claim.events.map((e) => e.messageId)).toEqual(['a', 'b']);
		expect(claim.copyInFlightElsewhere).toBe(false);
		expect(claim.shared).toBe(false); // the per-host answer stands; nothing to settle later
		expect(logger.warn).toHaveBeenCalledTimes(1);
		const [message] = (logger.warn as jest.Mock).mock.calls[0] as [string];
		expect(message).toContain(`127.0.0.1:${port}`);
		expect(message).toContain('QUEUE_BULL_REDIS_');
		expect(message).toMatch(/may start a second run/);
		await claimEventsAcrossHosts(logger, 'WhatsApp', 'wf:node', [event('c')]);
		expect(logger.warn).toHaveBeenCalledTimes(1); // at most once a minute
	});

	it('the trigger still answers 200 and starts the run', async () => {
		const out = await deliver(whatsAppBody([whatsAppValue({ messages: [waText('wamid.NOREDIS', '111', 'hi')] })]));
		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(1);
	});
});
