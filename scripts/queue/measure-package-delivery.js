// @ts-check
'use strict';
/**
 * Measures how the community package reaches each process of a queue-mode deployment (n8n 2.40.7), with
 * one main, one webhook host and one worker from the queue harness, plus processes set up differently:
 *   1. what each process has on disk after boot, and what its log says;
 *   2. a webhook host whose n8n refuses the custom registry (the licence gate as shipped);
 *   3. a worker without the pack (N8N_REINSTALL_MISSING_PACKAGES=false): what happens to runs it takes;
 *   4. an update to a new version on main while the others run (pub/sub 'community-package-update').
 * Prints JSON and writes .sandbox/queue-package-delivery.json. Run:
 *   bash scripts/with-node24.sh node scripts/queue/measure-package-delivery.js   (≈ 5 min; bounded)
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../../tools/register');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { postMetaWebhook } = require('../../tools/sandbox/metaWebhooks');
const { startQueueSandbox } = require('../../tools/n8n/queue/sandbox');
const { whatsAppWebhookBody, nextMessageId } = require('../../tools/n8n/sandbox');
const { eventually, sleep } = require('../../tools/wait');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
const log = (/** @type {string} */ line) => process.stdout.write(`[package] ${line}\n`);

/** @param {any} proc */
function onDisk(proc) {
	const file = path.join(proc.handle().userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name, 'package.json');
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : null;
}
/** @param {any} proc @param {RegExp} pattern */
const logLines = (proc, pattern) => proc.handle().logs().split('\n').filter((/** @type {string} */ l) => pattern.test(l)).map((/** @type {string} */ l) => l.trim().slice(0, 300));
const PACKAGE_LOG = /community package|missing packages|packages are missing|reinstall|Unrecognized node type|not licensed|Community package|custom registry|license gate/i;

/** The packed pack with another version number (what publishing a new release would put on the registry). */
function packWithVersion(version) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-pack-'));
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
	const tgz = path.join(dir, JSON.parse(out)[0].filename);
	execFileSync('tar', ['-xzf', tgz, '-C', dir]);
	const manifest = path.join(dir, 'package', 'package.json');
	fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), version }, null, 2));
	const target = path.join(dir, `${PACKAGE.name}-${version}.tgz`);
	execFileSync('tar', ['-czf', target, '-C', dir, 'package']);
	return { dir, tgz: target };
}

async function main() {
	const sandbox = await startQueueSandbox({ log, webhookHosts: 1, workers: 1 });
	/** @type {Record<string, unknown>} */
	const facts = { n8n: '2.40.7', at: new Date().toISOString() };
	try {
		const { main: mainProc, webhookHosts: [host], workers: [worker] } = sandbox.queue;
		facts.afterBoot = [mainProc, host, worker].map((p) => ({ name: p.name, versionOnDisk: onDisk(p), log: logLines(p, PACKAGE_LOG).slice(0, 6) }));
		log(JSON.stringify(facts.afterBoot));

		// 2. A webhook host as n8n ships: a non-default registry needs the licence feature.
		const gated = await sandbox.queue.addProcess('webhook-gated', 'webhook', {}, { licenseGate: false });
		const user = '4915300099001';
		const body = whatsAppWebhookBody({ from: user, text: 'I want the deluxe room June 20-23', messageId: nextMessageId('whatsapp'), name: 'Gated' });
		const answer = await postMetaWebhook(sandbox.urls.whatsapp.replace(sandbox.queue.proxy.url, gated.handle().baseUrl), body, { secret: sandbox.secrets.appSecret });
		facts.webhookHostWithoutLicenceGate = { versionOnDisk: onDisk(gated), log: logLines(gated, PACKAGE_LOG).slice(0, 8), dmAnswer: { status: answer.status, body: answer.responseBody.slice(0, 300) } };
		log(JSON.stringify(facts.webhookHostWithoutLicenceGate));
		await gated.stop();

		// 3. A worker without the pack next to the good one: which runs fail?
		const bare = await sandbox.queue.addProcess('worker-without-pack', 'worker', { N8N_REINSTALL_MISSING_PACKAGES: 'false' });
		const since = Date.now();
		const users = [];
		for (let i = 0; i < 6; i++) {
			const u = `49153001${String(i).padStart(5, '0')}`;
			users.push(u);
			await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: u });
			await sleep(300);
		}
		await sleep(20_000);
		const runs = (await sandbox.api.listExecutions(sandbox.workflowId, { limit: 50 })).filter((/** @type {any} */ e) => Date.parse(e.startedAt) >= since);
		const onBare = runs.filter((/** @type {any} */ e) => new RegExp(`Worker started execution ${e.id} \\(`).test(bare.handle().logs()));
		facts.workerWithoutPack = {
			versionOnDisk: onDisk(bare),
			bootLog: logLines(bare, PACKAGE_LOG).slice(0, 6),
			dms: users.length,
			runs: runs.map((/** @type {any} */ e) => e.status),
			runsTakenByWorkerWithoutPack: onBare.map((/** @type {any} */ e) => e.status),
			dmsAnswered: users.filter((u) => sandbox.graph.sent.some((/** @type {any} */ s) => s.to === u)).length,
			errorOfOneSuchRun: onBare.length ? (await sandbox.api.getExecution(onBare[0].id)).data?.resultData?.error?.message : null,
		};
		log(JSON.stringify(facts.workerWithoutPack));
		await bare.stop();

		// 4. A new release installed on main (Settings → Community nodes → Update) while the others run.
		// (First keep a copy of the worker's nodes folder as it is now, for 5.)
		const oldNodes = path.join(path.dirname(mainProc.handle().userFolder), 'worker-old', '.n8n', 'nodes');
		fs.mkdirSync(path.dirname(oldNodes), { recursive: true });
		fs.cpSync(path.join(worker.handle().userFolder, '.n8n', 'nodes'), oldNodes, { recursive: true });
		const next = packWithVersion('0.1.1-queue.1');
		await sandbox.registry.publishTarball(next.tgz);
		fs.rmSync(next.dir, { recursive: true, force: true });
		const t0 = Date.now();
		await sandbox.api.updateCommunityPackage(PACKAGE.name, '0.1.1-queue.1');
		const followed = await eventually('the other processes to follow', () => (onDisk(host) === '0.1.1-queue.1' && onDisk(worker) === '0.1.1-queue.1' ? Date.now() - t0 : undefined), 120_000).catch(() => null);
		facts.updateOnMain = {
			main: onDisk(mainProc),
			webhookHost: onDisk(host),
			worker: onDisk(worker),
			othersFollowedAfterMs: followed,
			hostLog: logLines(host, PACKAGE_LOG).slice(-4),
			workerLog: logLines(worker, PACKAGE_LOG).slice(-4),
		};
		log(JSON.stringify(facts.updateOnMain));
		// … and the template still runs end to end on the new version.
		const after = '4915300099002';
		await sandbox.customerSays('whatsapp', 'I want to book the Deluxe Suite for June 15-17', { from: after });
		facts.updateOnMain.dmAnsweredAfterUpdate = (await sandbox.graph.waitForSends(1, { to: after, timeoutMs: 90_000 }).then(() => true, () => false));

		// 5. A worker whose disk still holds the old version (an image baked before the update) starts now.
		const old = await sandbox.queue.addProcess('worker-old', 'worker');
		facts.workerWithOlderVersionOnDisk = { recorded: '0.1.1-queue.1', versionOnDiskAfterBoot: onDisk(old), bootLog: logLines(old, PACKAGE_LOG).slice(0, 6) };
		log(JSON.stringify(facts.workerWithOlderVersionOnDisk));
		await old.stop();
	} finally {
		const file = path.join(ROOT, '.sandbox', 'queue-package-delivery.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(facts, null, 2));
		await sandbox.stop();
	}
	process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
