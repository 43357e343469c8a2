/** Unit tests run in-process; test/e2e (a real n8n) has its own config, and `npm test` runs both. */
// n8n-core's logger writes every node log line to the console; tests assert behaviour, not log noise.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
