import type { Logger } from 'n8n-workflow';

import { ChatCheckoutWhatsAppApi } from '../../../credentials/ChatCheckoutWhatsAppApi.credentials';
import { WhatsAppTrigger } from '../../../nodes/WhatsAppTrigger/WhatsAppTrigger.node';
import { dropEventsClaimedByOtherHosts } from '../../../nodes/shared/meta/crossHostDedupe';
import { flushSeenEventWrites, forgetInMemoryStateForTests } from '../../../nodes/shared/meta/dedupe';
import type { InboundEvent } from '../../../nodes/shared/meta/inboundEvents';
import { closeSharedClaimConnections } from '../../../nodes/shared/redis/sharedDeliveryClaims';
import { useIsolatedUserFolder } from '../../support/dedupeDir';
import { callWebhook } from '../../support/n8n';
import { APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, metaSignature, waText, whatsAppBody, whatsAppValue } from '../../support/metaPayloads';
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

/** What another webhook host is to this one: no shared memory and no shared disk (its own user folder). */
let hosts = 0;
async function becomeAnotherHost(userFolder: { folder: () => string }) {
	await flushSeenEventWrites();
	forgetInMemoryStateForTests();
	hosts += 1;
	process.env.N8N_USER_FOLDER = `${userFolder.folder()}/host-${hosts}`;
}

describe('WhatsApp Trigger in queue mode, with a real redis-server', () => {
	let redis: RedisServer;
	beforeAll(async () => {
		redis = await startRedisServer();
	});
	afterAll(async () => await redis.stop());
	const userFolder = useIsolatedUserFolder();
	useQueueModeEnv(() => redis.port);

	it('a message another host already took starts no run here (same id, separate memory and disk)', async () => {
		const body = whatsAppBody([whatsAppValue({ messages: [waText('wamid.CROSS1', '111', 'hello')] })]);
		expect((await deliver(body)).items).toHaveLength(1);
		await becomeAnotherHost(userFolder);
		const copy = await deliver(body);
		expect(copy.items).toHaveLength(0);
		expect(copy.response.statusCode).toBe(200);
		// Without the shared claims (opt-out) the other host would have started a second run.
		process.env.CHAT_CHECKOUT_SHARED_DEDUPE = 'false';
		await becomeAnotherHost(userFolder);
		expect((await deliver(body)).items).toHaveLength(1);
	});

	it('a batch with a message taken elsewhere and a new one emits only the new one', async () => {
		await deliver(whatsAppBody([whatsAppValue({ messages: [waText('wamid.CROSS2', '111', 'a')] })]));
		await becomeAnotherHost(userFolder);
		const mixed = whatsAppBody([whatsAppValue({ messages: [waText('wamid.CROSS2', '111', 'a'), waText('wamid.CROSS3', '111', 'b')] })]);
		expect((await deliver(mixed)).items.map((i) => i.json.messageId)).toEqual(['wamid.CROSS3']);
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
		const kept = await dropEventsClaimedByOtherHosts(logger, 'WhatsApp', 'wf:node', [event('a'), event('b')]);
		expect(kept.map((e) => e.messageId)).toEqual(['a', 'b']);
		expect(logger.warn).toHaveBeenCalledTimes(1);
		const [message] = (logger.warn as jest.Mock).mock.calls[0] as [string];
		expect(message).toContain(`127.0.0.1:${port}`);
		expect(message).toContain('QUEUE_BULL_REDIS_');
		expect(message).toMatch(/may start a second run/);
		await dropEventsClaimedByOtherHosts(logger, 'WhatsApp', 'wf:node', [event('c')]);
		expect(logger.warn).toHaveBeenCalledTimes(1); // at most once a minute
	});

	it('the trigger still answers 200 and starts the run', async () => {
		const out = await deliver(whatsAppBody([whatsAppValue({ messages: [waText('wamid.NOREDIS', '111', 'hi')] })]));
		expect(out.response.statusCode).toBe(200);
		expect(out.items).toHaveLength(1);
	});
});
