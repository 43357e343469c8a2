/**
 * Installs a real n8n line for the e2e tests, the bench and `npm start` (tools/n8n/runtime*.ts):
 * `node scripts/install-n8n.js [2x|1x] [--force]`. `npm test` runs it in the background while it builds.
 */
require('../tools/register');

const line = process.argv.includes('1x') ? '1x' : '2x';
const force = process.argv.includes('--force');
const install = line === '1x' ? require('../tools/n8n/runtime1x').ensureRuntime1x : require('../tools/n8n/runtime').ensureRuntime;
install({ force }).catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
