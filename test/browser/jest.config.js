/**
 * Browser suite: the sandbox's chat page in Debian's Chromium (playwright-core), against a real n8n with the
 * pack and the template, simulators on 127.0.0.1. One sandbox and one browser per file; run in band.
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	maxWorkers: 1,
	testTimeout: 180_000,
};
