/**
 * A Graph retry's wait ends when the execution is cancelled, on either n8n-workflow line: 2.x's `sleep` takes the
 * signal; 1.x's ignores it and has `sleepWithAbort` (here: n8n-workflow 1.x's exports as they are, the two functions).
 */
import { cancellableSleep } from '../../../nodes/shared/cancellableSleep';

const cancelledAfter = (ms: number) => AbortSignal.timeout(ms);

describe('cancellableSleep', () => {
	it('with n8n-workflow 2.x (the dev dependency): a cancel ends a 10 s wait at once', async () => {
		const started = Date.now();
		await expect(cancellableSleep(10_000, cancelledAfter(50))).rejects.toBeDefined();
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	it('without a signal it simply waits', async () => {
		const started = Date.now();
		await cancellableSleep(60, undefined);
		expect(Date.now() - started).toBeGreaterThanOrEqual(55);
	});

	it('with n8n-workflow 1.x\'s exports (sleep ignores a signal; sleepWithAbort honours it): a cancel ends the wait too', async () => {
		let sleptWithoutSignal = 0;
		jest.resetModules();
		jest.doMock('n8n-workflow', () => ({
			// n8n-workflow 1.120's utils: `sleep = async (ms) => …` and `sleepWithAbort = async (ms, abortSignal) => …`
			sleep: async (ms: number) => {
				sleptWithoutSignal += 1;
				await new Promise((resolve) => setTimeout(resolve, ms));
			},
			sleepWithAbort: async (ms: number, signal: AbortSignal) =>
				await new Promise<void>((resolve, reject) => {
					if (signal.aborted) return reject(new Error('cancelled'));
					const timer = setTimeout(resolve, ms);
					signal.addEventListener('abort', () => {
						clearTimeout(timer);
						reject(new Error('cancelled'));
					}, { once: true });
				}),
		}));
		const { cancellableSleep: onOneX } = jest.requireActual<typeof import('../../../nodes/shared/cancellableSleep')>('../../../nodes/shared/cancellableSleep');
		const started = Date.now();
		await expect(onOneX(10_000, cancelledAfter(50))).rejects.toThrow('cancelled');
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(sleptWithoutSignal).toBe(0);
		jest.dontMock('n8n-workflow');
	});
});
