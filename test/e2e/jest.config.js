/**
 * End-to-end suite: one real n8n (or one queue-mode deployment) per file, its tests in order with generous
 * timeouts. Two files run at a time: a suite keeps about half a core busy (it mostly waits for n8n, the quiet
 * windows and Stripe's retry delays), so two share this 2-core machine and CI stays under 30 minutes.
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	maxWorkers: 2,
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
	testTimeout: 120_000,
};
