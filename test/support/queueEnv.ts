/**
 * Makes this test process look like an n8n process in queue mode (EXECUTIONS_MODE, QUEUE_BULL_REDIS_*) for the
 * modules that read n8n's settings from process.env, and puts it back after. n8n's encryption key is the one
 * n8n-core's own InstanceSettings keeps in the user folder (it refuses an N8N_ENCRYPTION_KEY that differs).
 */
const KEYS = ['EXECUTIONS_MODE', 'QUEUE_BULL_REDIS_HOST', 'QUEUE_BULL_REDIS_PORT', 'N8N_REDIS_KEY_PREFIX'] as const;

export function useQueueModeEnv(port: () => number, extra: Partial<Record<(typeof KEYS)[number], string>> = {}): void {
	const saved: Record<string, string | undefined> = {};
	beforeAll(() => {
		for (const key of KEYS) saved[key] = process.env[key];
		Object.assign(process.env, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(port()),
			N8N_REDIS_KEY_PREFIX: 'n8n',
			...extra,
		});
	});
	afterAll(() => {
		for (const key of KEYS) {
			if (saved[key] === undefined) delete process.env[key];
			else process.env[key] = saved[key];
		}
	});
}
