/** Unit tests run in-process; test/e2e (a real n8n) and test/browser (Chromium) have their own configs; `npm test` runs all three. */
// n8n-core's logger writes every node log line to the console; tests assert behaviour, not log noise.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/browser/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
