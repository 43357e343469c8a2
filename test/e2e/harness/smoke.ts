/**
 * Proves the e2e harness end to end, and measures it:
 *   bash scripts/with-node24.sh node -r ./tools/register.js test/e2e/harness/smoke.ts
 *
 * ensure runtime → verdaccio → pack + publish a throwaway community package → n8n → install the
 * package over REST (Settings → Community nodes) → import + publish a workflow using
 * `<npm-name>.<type>` behind an n8n-nodes-base Webhook → call it → count executions → restart n8n on
 * the same user folder → package, workflow and publication still there → stop everything.
 *
 * It also checks a few runtime facts the node pack relies on (printed under "facts"):
 *   a. webhook response modes: lastNode + failing run → status; onReceived → when the 200 goes out
 *   b. getWorkflowStaticData('node') changed inside a community trigger's webhook() survives a restart
 *   c. getNodeWebhookUrl('default') inside webhook() gives the production URL
 * Exit code 0 only when every check passes. Set E2E_KEEP=1 to keep the temp folders.
 * The pieces are in smoke/ (the probe package, its workflows, fact a, the report).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmPack, PKG, PKG_VERSION, writeProbePackage } from './smoke/probePackage';
import { check, facts, failures, post, say, timed, timings } from './smoke/report';
import { responseModeFacts } from './smoke/responseModes';
import { codeNode, mainConnection, probeNode, probeTriggerWorkflow, webhookWorkflow } from './smoke/workflows';
import { ensureRuntime } from '../../../tools/n8n/runtime';
import { type Registry, startRegistry } from '../../../tools/n8n/registry';
import { type N8nHandle, startN8n } from '../../../tools/n8n/instance';

async function main(): Promise<number> {
	const tAll = Date.now();
	const rt: { installed: boolean } = await timed('ensureRuntime', () => ensureRuntime({ log: (l: string) => say(`runtime: ${l}`) }));
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-smoke-'));
	const userFolder = path.join(work, 'n8n-user');
	say(`work dir ${work}${rt.installed ? ' (runtime was installed now)' : ''}`);

	let registry: Registry | undefined;
	let n8n: N8nHandle | undefined;
	try {
		const reg: Registry = await timed('verdaccio start', () => startRegistry({ log: (l: string) => say(l) }));
		registry = reg;
		const pkgDir = path.join(work, 'probe-pkg');
		writeProbePackage(pkgDir);
		const tgz = await timed('npm pack', async () => npmPack(pkgDir, work));
		await timed('publish to verdaccio', () => reg.publishTarball(tgz));
		const packument = await reg.packument(PKG);
		check(packument?.versions?.[PKG_VERSION] !== undefined, `verdaccio serves ${PKG}@${PKG_VERSION}`);

		n8n = await timed('n8n first start (migrations + owner setup)', () =>
			startN8n({ userFolder, registryUrl: reg.url, log: (l: string) => say(l) }),
		);
		let h: N8nHandle = n8n;
		say(`n8n boot (spawn → readiness): ${h.bootMs} ms`);

		const installed: { installedNodes?: Array<{ type: string }> } = await timed('install community package over REST', () => h.api.installCommunityPackage(PKG, PKG_VERSION));
		const types = (installed.installedNodes ?? []).map((n) => n.type).sort();
		say(`installed nodes: ${types.join(', ')}`);
		check(types.includes(`${PKG}.probe`) && types.includes(`${PKG}.probeTrigger`), 'node types are <npm-name>.<nodeType>');
		check(fs.existsSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', PKG, 'package.json')), 'package unpacked under <userFolder>/.n8n/nodes/node_modules');
		const known = (await h.api.nodeTypes()).map((t) => t.name);
		check(known.includes(`${PKG}.probe`), `editor's /types/nodes.json lists ${PKG}.probe (${known.length} node types)`);

		// --- the smoke workflow: Webhook (lastNode) → community node
		const smokeWf = webhookWorkflow('e2e smoke', 'e2e-smoke', 'lastNode', [probeNode('smoke')], mainConnection('Webhook', 'Probe'));
		const wfId = await timed('import workflow', () => h.api.importWorkflow(smokeWf));
		const pub: { publication?: { status?: string }; waitedMs: number } = await timed('publish workflow (until its webhook is live)', () => h.api.publishWorkflow(wfId));
		say(`publication status '${pub.publication?.status}' after ${pub.waitedMs} ms of polling`);
		const r1 = await timed('webhook call (lastNode, first)', () => post(h.webhookUrl('e2e-smoke'), { hello: 'world' }));
		check(r1.status === 200 && r1.body?.probedBy === 'smoke' && r1.body?.body?.hello === 'world', `webhook → community node → response (${r1.status} ${JSON.stringify(r1.body).slice(0, 200)})`);
		const r2 = await timed('webhook call (lastNode, warm)', () => post(h.webhookUrl('e2e-smoke'), { hello: 'again' }));
		check(r2.status === 200, 'second call 200');
		const execs = await h.api.waitForExecutions(wfId, 2);
		check(execs.length === 2 && execs.every((e) => e.status === 'success'), `2 successful executions (${execs.map((e) => e.status)})`);
		const ex = await h.api.getExecution(execs[0].id);
		const out = h.api.nodeOutput(ex, 'Probe');
		check(out[0]?.probeType === `${PKG}.probe`, `execution data readable: Probe output ${JSON.stringify(out[0]).slice(0, 160)}`);

		// --- credentials + data tables through the same client
		const credId = await h.api.createCredential('e2e header auth', 'httpHeaderAuth', { name: 'X-Test', value: 'secret' });
		check(Boolean(credId), `credential created (${credId})`);
		const tableId = await h.api.createDataTable(`e2e_table_${Date.now()}`, [
			{ name: 'sku', type: 'string' },
			{ name: 'qty', type: 'number' },
		]);
		await h.api.insertRows(tableId, [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 5 }]);
		const rows = await h.api.listRows(tableId, { filter: { filters: [{ columnName: 'sku', condition: 'eq', value: 'B-2' }] } });
		check(rows.count === 1 && rows.data?.[0]?.qty === 5, `data table rows (${JSON.stringify(rows).slice(0, 160)})`);

		// --- facts a: built-in Webhook response modes with a failing Code node
		const responseModes = await responseModeFacts(h);
		facts.a = responseModes;

		// --- facts b + c: community trigger static data + getNodeWebhookUrl
		const trig = probeTriggerWorkflow('fact community trigger', 'lastNode');
		const trigRecv = probeTriggerWorkflow('fact community trigger onReceived', 'onReceived');
		const trigFail = probeTriggerWorkflow('fact community trigger lastNode fails', 'lastNode', [
			codeNode('Boom', "throw new Error('boom after community trigger');", [220, 0]),
		]);
		const idTrigFail = await h.api.importWorkflow(trigFail.workflow);
		await h.api.publishWorkflow(idTrigFail);
		const aTrigFail = await post(h.webhookUrl(`${trigFail.webhookId}/probe`), { x: 1 });
		responseModes.communityTrigger_lastNodeByExpression_failingRun = { status: aTrigFail.status, body: aTrigFail.body, ms: aTrigFail.ms };
		check(aTrigFail.status === 500, `community trigger (responseMode expression → lastNode) + failing run → ${aTrigFail.status}`);
		const idTrig = await h.api.importWorkflow(trig.workflow);
		const idTrigRecv = await h.api.importWorkflow(trigRecv.workflow);
		await h.api.publishWorkflow(idTrig);
		await h.api.publishWorkflow(idTrigRecv);
		const trigUrl = h.webhookUrl(`${trig.webhookId}/probe`);
		const trigRecvUrl = h.webhookUrl(`${trigRecv.webhookId}/probe`);
		/** persisted node static data of a workflow → count */
		const dbCount = async (id: string) => (await h.api.getWorkflow(id)).staticData?.['node:Probe Trigger']?.count ?? null;
		const bTrace: Array<Record<string, unknown>> = [];
		const t1 = await post(trigUrl, { n: 1 });
		await h.api.waitForExecutions(idTrig, 1);
		bTrace.push({ call: 'lastNode #1 (starts a run)', responseCount: t1.body?.count, dbCount: await dbCount(idTrig) });
		const t2 = await post(trigUrl, { n: 2 });
		await h.api.waitForExecutions(idTrig, 2);
		bTrace.push({ call: 'lastNode #2 (starts a run)', responseCount: t2.body?.count, dbCount: await dbCount(idTrig) });
		const t2b = await post(trigUrl, { n: 3, noRun: true });
		bTrace.push({ call: 'lastNode #3 (webhook() returns webhookResponse only, no run)', responseCount: t2b.body?.count, dbCount: await dbCount(idTrig) });
		const t2c = await post(trigUrl, { n: 4, noRun: true });
		bTrace.push({ call: 'lastNode #4 (no run)', responseCount: t2c.body?.count, dbCount: await dbCount(idTrig) });
		const rr1 = await post(trigRecvUrl, { n: 1 });
		await h.api.waitForExecutions(idTrigRecv, 1);
		bTrace.push({ call: 'onReceived #1 (starts a run)', responseBody: rr1.body, dbCount: await dbCount(idTrigRecv) });
		await post(trigRecvUrl, { n: 2 });
		await h.api.waitForExecutions(idTrigRecv, 2);
		bTrace.push({ call: 'onReceived #2 (starts a run)', dbCount: await dbCount(idTrigRecv) });
		check(t1.status === 200 && t1.body?.count === 1 && t2.body?.count === 2, `community trigger counts in static data in memory (${t1.body?.count}, ${t2.body?.count})`);
		facts.c = { getNodeWebhookUrl_default: t1.body?.webhookUrl, expected: trigUrl };
		check(t1.body?.webhookUrl === trigUrl, `getNodeWebhookUrl('default') = ${t1.body?.webhookUrl}`);
		facts.onReceivedBodyOfCommunityTriggerWithoutResponseData = rr1.body;
		const staticBefore = (await h.api.getWorkflow(idTrig)).staticData;

		const blockedFirst = h.blockedOutbound();

		// --- restart on the same user folder
		await timed('n8n stop', () => h.stop());
		n8n = undefined;
		// Same user folder and the same ports (WEBHOOK_URL stays the same), as an operator's restart.
		n8n = await timed('n8n restart (same user folder)', () =>
			startN8n({ userFolder, registryUrl: reg.url, port: h.port, brokerPort: h.brokerPort, log: (l: string) => say(l) }),
		);
		h = n8n;
		say(`n8n boot after restart (spawn → readiness): ${h.bootMs} ms`);
		const pkgs: Array<{ packageName: string; installedVersion: string; failedLoading?: boolean }> = await h.api.listCommunityPackages();
		check(pkgs.some((p) => p.packageName === PKG && !p.failedLoading), `package still installed after restart (${pkgs.map((p) => `${p.packageName}@${p.installedVersion}`).join(', ')})`);
		const wfAfter = await h.api.getWorkflow(wfId);
		check(Boolean(wfAfter.activeVersionId ?? wfAfter.active), `workflow still published after restart (active=${wfAfter.active}, activeVersionId=${wfAfter.activeVersionId})`);
		const r3 = await timed('webhook call after restart', () => post(h.webhookUrl('e2e-smoke'), { hello: 'restart' }));
		check(r3.status === 200 && r3.body?.probedBy === 'smoke', `webhook works after restart (${r3.status})`);
		const execs3 = await h.api.waitForExecutions(wfId, 3);
		check(execs3.length === 3, `3 executions in total after restart (${execs3.length})`);
		const t3 = await post(trigUrl, { n: 5, noRun: true });
		bTrace.push({ call: 'lastNode after restart (no run)', responseCount: t3.body?.count, dbCount: await dbCount(idTrig) });
		facts.b = { staticDataBeforeRestart: staticBefore, trace: bTrace };
		// What n8n 2.40.7 does (see report): the save after webhook() is lost whenever that webhook
		// call starts a run, except the very first write (static data still null in the DB).
		check(
			t3.body?.count === (t2c.body?.count ?? 0) + 1,
			`static data written by webhook() without a run survived the restart (${t2c.body?.count} → ${t3.body?.count})`,
		);
		facts.blockedOutbound = [...blockedFirst, ...h.blockedOutbound()].map((b) => `${b.method} ${b.target}`);
	} finally {
		if (n8n) await timed('n8n stop (final)', () => n8n!.stop());
		if (registry) await timed('verdaccio stop', () => registry!.stop());
		if (!process.env.E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
		else say(`kept ${work}`);
	}
	say(`total: ${Date.now() - tAll} ms`);
	say('timings (ms):');
	for (const [k, v] of timings) say(`  ${String(v).padStart(7)}  ${k}`);
	say('facts:');
	process.stdout.write(JSON.stringify(facts, null, 2) + '\n');
	say(failures.length ? `FAILED: ${failures.join(' | ')}` : 'all checks passed');
	return failures.length;
}

if (require.main === module) {
	main().then(
		(nFail) => process.exit(nFail ? 1 : 0),
		(e) => {
			console.error('[smoke] error:', e instanceof Error ? e.stack || e.message : e);
			process.exit(1);
		},
	);
}
