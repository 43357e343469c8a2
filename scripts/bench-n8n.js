// @ts-check
'use strict';
/**
 * The real-n8n part of `npm run bench` (scripts/bench.sh runs it after the micro-benchmarks): the pack
 * inside a real n8n 2.40.7 (the e2e sandbox: packed tarball installed as a community package, Graph /
 * Stripe / LLM simulators, the template published), everything on 127.0.0.1.
 *
 *   1. ingress    our three webhook nodes vs n8n's bare Webhook node vs Webhook + Code-node HMAC check vs
 *                 n8n's own WhatsApp Trigger (its publication fails offline, reason shown; n8n still
 *                 serves its webhook, so it is measured), under n8n's defaults and the recommended settings
 *                 (and the other expression-engine settings, fewer targets), a fresh n8n each; then one more
 *                 pass under the recommended settings with n8n's CPU profiled: where its time goes per request
 *   2. capacity   DM → link latency at stepped DM rates; where the knee is
 *   3. burst      N DMs over both channels as fast as the client can, then their Stripe events with
 *                 redeliveries; counts that must all equal N; per n8n configuration, fresh n8n each
 *   4. footprint  installed size of the pack with its runtime deps; n8n start time with and without it
 *   5. queue      queue mode (PostgreSQL, Redis, 2 webhook hosts, 2 workers then 1): drain, CPU per DM and
 *                 per process, memory per worker (scripts/bench/n8n/queue.js)
 *
 * Writes bench/results/latest.json (raw figures, machine, settings) and bench/results/latest.md.
 * Figures only: nothing fails on speed. Every loop is bounded in count and in time.
 *
 * Run: bash scripts/with-node24.sh node scripts/bench-n8n.js   (needs dist/ built; does not rebuild)
 * Environment:
 *   BENCH_QUICK=1                 short rounds, steps and bursts for development
 *   BENCH_SECTIONS=a,b            which sections (ingress, capacity, burst, footprint, queue; default all)
 *   BENCH_QUEUE_DMS=n             DMs per queue-mode burst (default 300, quick 60)
 *   BENCH_QUEUE_PG_POOL=n         DB_POSTGRESDB_POOL_SIZE for every n8n process of the queue section (n8n: 2)
 *   BENCH_BURST_CONFIGS=a,b       n8n configurations for the burst (scripts/bench/n8n/configs.js:
 *                                 defaults, recommended, lazy, legacy, pool4, lazyPool4, nosave, limit, v1;
 *                                 default "defaults,recommended")
 *   BENCH_INGRESS_CONFIGS=a,b     n8n configurations for the ingress (default "defaults,recommended,lazy,legacy,pool4,lazyPool4";
 *                                 "none": only the profiled pass)
 *   BENCH_INGRESS_TARGETS=a,b     ingress targets (bare, ours, oursInstagram, oursStripe, oursCombine, oursV1, builtin,
 *                                 code, oursNoDedupe; default all but oursNoDedupe)
 *   BENCH_PROFILE=0               no profiled pass (default: one under the recommended settings)
 *   BENCH_INGRESS_COUNT=n, BENCH_INGRESS_ROUNDS=n   ingress size overrides
 *   BENCH_CAPACITY_CONFIGS=a,b    n8n configurations of the capacity ladder (default "defaults,recommended"),
 *                                 each in a fresh sandbox, then each once more for one profiled step
 *   BENCH_OUT=path                output path without extension (default bench/results/latest)
 *   BENCH_BURST_DMS=n             burst size override (default 1000, quick 50)
 *   BENCH_CAPACITY_RATES=1,2,4    the capacity ladder's DM rates
 *   BENCH_CAPACITY_COMBINE=s      the triggers' quiet window during the ladder (default 0: n8n's own work;
 *                                 the shipped template waits 3 s, which adds exactly that to every answer)
 *   BENCH_BURST_CONCURRENCY=n     client connections for the burst's DMs (default 32, quick 16)
 *   BENCH_STRIPE_CONCURRENCY=n    client connections for its Stripe deliveries (default 16)
 *   BENCH_RSS_CAP_MB=n            memory guard: a phase stops sending once n8n's processes pass this
 *                                 resident size (default min(6 GiB, 35 % of RAM)); reported when hit
 *   BENCH_N8N=0                   (read by scripts/bench.sh) skip this part entirely
 */
// The simulators and the n8n harness under tools/ are TypeScript.
require('../tools/register');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('../tools/n8n/sandbox');
const { ensureRuntime, paths } = require('../tools/n8n/runtime');
const { runIngress, CODE_NODE_ENV } = require('./bench/n8n/ingress');
const { runCapacity } = require('./bench/n8n/capacity');
const { runBurst } = require('./bench/n8n/burst');
const { runFootprint } = require('./bench/n8n/footprint');
const { CONFIGS, patchWorkflow } = require('./bench/n8n/configs');
const { profilingEnv, readProfile, breakdown, CONVERSATION_CATEGORIES } = require('./bench/n8n/profile');
const report = require('./bench/n8n/report');
const { runQueueSection, queueMarkdown } = require('./bench/n8n/queue');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.resolve(ROOT, process.env.BENCH_OUT || path.join('bench', 'results', 'latest'));
const QUICK = process.env.BENCH_QUICK === '1';
const SECTIONS = new Set((process.env.BENCH_SECTIONS || 'ingress,capacity,burst,footprint,queue').split(',').map((s) => s.trim()).filter(Boolean));
const CAPACITY_CONFIGS = (process.env.BENCH_CAPACITY_CONFIGS || 'defaults,recommended').split(',').map((s) => s.trim()).filter(Boolean);
const INGRESS_CONFIGS = (process.env.BENCH_INGRESS_CONFIGS || 'defaults,recommended,lazy,legacy,pool4,lazyPool4').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none');
const PROFILE = process.env.BENCH_PROFILE !== '0';
const INGRESS_TARGETS = (process.env.BENCH_INGRESS_TARGETS || 'bare,ours,oursInstagram,oursStripe,oursCombine,oursV1,builtin,code').split(',').map((s) => s.trim()).filter(Boolean);
/** The profiled pass: our three nodes against the floor. */
const PROFILE_TARGETS = ['bare', 'ours', 'oursInstagram', 'oursStripe'];
const BURST_CONFIGS = (process.env.BENCH_BURST_CONFIGS || 'defaults,recommended').split(',').map((s) => s.trim()).filter(Boolean);

// A burst must not take a shared machine's memory: load stops once n8n's processes pass this RSS.
const RSS_CAP_BYTES = process.env.BENCH_RSS_CAP_MB ? Number(process.env.BENCH_RSS_CAP_MB) * 2 ** 20 : Math.min(6 * 2 ** 30, Math.round(os.totalmem() * 0.35));

/** Sizes: the full ingress alone took 2,260 s on a busy 2-core machine (capacity, burst, footprint ≈ 1,500 s before). */
const P = QUICK
	? {
		ingress: { count: 150, rounds: 1, warmup: 10, concurrency: 8, maxMs: 90_000, drainMs: 60_000 },
		capacity: { rates: [1, 2, 4, 8, 12], stepSeconds: 10, drainMs: 30_000, stopP99Ms: 2000, pauseMs: 2000, rssCapBytes: RSS_CAP_BYTES, combineSeconds: 0 },
		capacityProfile: { rates: [2], stepSeconds: 15 },
		burst: { dms: 50, concurrency: 16, stripeConcurrency: 16, redeliverShare: 0.2, dmDrainMs: 180_000, stripeDrainMs: 180_000, rssCapBytes: RSS_CAP_BYTES },
		stripeRetryDelaysMs: [5000, 15_000, 30_000],
		footprint: { boots: 2 },
	}
	: {
		ingress: { count: 400, rounds: 2, warmup: 20, concurrency: 8, maxMs: 240_000, drainMs: 120_000 },
		capacity: { rates: [1, 2, 4, 8, 10, 12, 16], stepSeconds: 60, drainMs: 60_000, stopP99Ms: 2000, pauseMs: 5000, rssCapBytes: RSS_CAP_BYTES, combineSeconds: 0 },
		// one step at a rate every configuration keeps up with, profiled: where a DM's CPU goes
		capacityProfile: { rates: [2], stepSeconds: 40 },
		burst: { dms: 1000, concurrency: 32, stripeConcurrency: 16, redeliverShare: 0.2, dmDrainMs: 420_000, stripeDrainMs: 360_000, rssCapBytes: RSS_CAP_BYTES },
		stripeRetryDelaysMs: [30_000, 60_000, 120_000],
		footprint: { boots: 5 },
	};

// Development overrides.
if (process.env.BENCH_INGRESS_COUNT) P.ingress.count = Number(process.env.BENCH_INGRESS_COUNT);
if (process.env.BENCH_INGRESS_ROUNDS) P.ingress.rounds = Number(process.env.BENCH_INGRESS_ROUNDS);
if (process.env.BENCH_BURST_DMS) P.burst.dms = Number(process.env.BENCH_BURST_DMS);
if (process.env.BENCH_CAPACITY_RATES) P.capacity.rates = process.env.BENCH_CAPACITY_RATES.split(',').map(Number);
if (process.env.BENCH_CAPACITY_COMBINE) P.capacity.combineSeconds = Number(process.env.BENCH_CAPACITY_COMBINE);
if (process.env.BENCH_BURST_CONCURRENCY) P.burst.concurrency = Number(process.env.BENCH_BURST_CONCURRENCY);
if (process.env.BENCH_STRIPE_CONCURRENCY) P.burst.stripeConcurrency = Number(process.env.BENCH_STRIPE_CONCURRENCY);

const log = (/** @type {string} */ line) => console.log(line);
const sandboxLog = (/** @type {string} */ line) => console.log(`  [sandbox] ${line}`);

function machine() {
	const cpus = os.cpus();
	let n8nVersion = '?';
	try {
		n8nVersion = JSON.parse(fs.readFileSync(path.join(paths.nodeModules, 'n8n', 'package.json'), 'utf8')).version;
	} catch {}
	return {
		cpu: { model: cpus[0] ? cpus[0].model.trim() : 'unknown', cores: cpus.length },
		memoryBytes: os.totalmem(),
		os: `${os.platform()}-${os.arch()} ${os.release()}`,
		node: process.version,
		n8n: n8nVersion,
		loadavgAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
	};
}

/** What to stop if the bench is interrupted (sandboxes, footprint's n8n and registry). */
/** @type {Set<() => Promise<unknown>>} */
const cleanups = new Set();

/** Starts a sandbox, runs `fn`, always stops it. */
async function withSandbox(/** @type {Record<string, string>} */ env, /** @type {(sb: any) => Promise<any>} */ fn) {
	const sb = await startSandbox({ log: sandboxLog, n8nEnv: env, stripeRetryDelaysMs: P.stripeRetryDelaysMs });
	const stop = () => sb.stop();
	cleanups.add(stop);
	try {
		return await fn(sb);
	} finally {
		cleanups.delete(stop);
		await sb.stop();
	}
}

function write(/** @type {any} */ results) {
	fs.mkdirSync(path.dirname(OUT), { recursive: true });
	fs.writeFileSync(`${OUT}.json`, `${JSON.stringify(results, null, '\t')}\n`);
	fs.writeFileSync(`${OUT}.md`, `${report.markdown(results)}\n${results.queue ? `\n${queueMarkdown(results.queue)}` : ''}`);
}

async function main() {
	const started = Date.now();
	await ensureRuntime({ log: (l) => log(`n8n runtime: ${l}`) });
	/** @type {any} */
	const results = {
		date: new Date().toISOString(),
		quick: QUICK,
		machine: machine(),
		parameters: P,
		sections: [...SECTIONS],
		errors: [],
	};
	log(`\nreal-n8n bench (${QUICK ? 'quick' : 'full'}) — ${report.machineLine(results.machine)}`);

	if (SECTIONS.has('ingress')) {
		results.ingress = [];
		for (const key of INGRESS_CONFIGS) {
			const config = CONFIGS[key];
			if (!config) throw new Error(`unknown ingress configuration "${key}" (known: ${Object.keys(CONFIGS).join(', ')})`);
			const targets = INGRESS_TARGETS.filter((t) => !config.ingressTargets || config.ingressTargets.includes(t));
			log(`\n› ingress under "${config.label}" (+ NODE_FUNCTION_ALLOW_BUILTIN=crypto for the Code node): fresh sandbox`);
			try {
				const result = await withSandbox({ ...config.env, ...CODE_NODE_ENV }, async (sb) => await runIngress(sb, { ...P.ingress, targets, log }));
				results.ingress.push({ config, ...result });
				log(`\n${report.ingressTable(result)}\n`);
			} catch (error) {
				results.errors.push({ section: `ingress ${key}`, error: String(/** @type {Error} */ (error).stack ?? error) });
				log(`ingress under "${config.label}" failed: ${/** @type {Error} */ (error).message}`);
			}
			write(results);
		}
		if (PROFILE) {
			const config = CONFIGS.recommended;
			log(`\n› ingress under "${config.label}" with n8n's CPU profiled (--cpu-prof): fresh sandbox`);
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-bench-profile-'));
			try {
				/** @type {any} */
				let pid = null;
				const result = await withSandbox({ ...config.env, ...CODE_NODE_ENV, ...profilingEnv(dir) }, async (sb) => {
					pid = sb.n8n.pid;
					return await runIngress(sb, { ...P.ingress, rounds: 1, count: Math.min(P.ingress.count, 300), targets: PROFILE_TARGETS, log });
				});
				const profile = readProfile(dir, pid);
				if (!profile) throw new Error(`n8n (pid ${pid}) wrote no CPU profile into ${dir}`);
				results.profile = { config, settings: result.settings, results: result.results, load: result.load, breakdown: breakdown(profile, result.profileWindows) };
				log(`\n${report.profileTable(results.profile)}\n`);
			} catch (error) {
				results.errors.push({ section: 'ingress profile', error: String(/** @type {Error} */ (error).stack ?? error) });
				log(`profiled ingress failed: ${/** @type {Error} */ (error).message}`);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
			write(results);
		}
		log(`\n${report.ingressGoals(results.ingress, results.profile)}\n`);
	}

	if (SECTIONS.has('capacity')) {
		results.capacities = [];
		for (const key of CAPACITY_CONFIGS) {
			const config = CONFIGS[key];
			if (!config) throw new Error(`unknown capacity configuration "${key}" (known: ${Object.keys(CONFIGS).join(', ')})`);
			log(`\n› capacity under "${config.label}": fresh sandbox`);
			try {
				const capacity = await withSandbox({ ...config.env }, async (sb) => await runCapacity(sb, { ...P.capacity, log }));
				results.capacities.push({ config, ...capacity });
				const floor = results.ingress?.find((/** @type {any} */ i) => i.config.key === key);
				log(`\n${report.capacityTable(capacity, floor)}\n`);
			} catch (error) {
				results.errors.push({ section: `capacity ${key}`, error: String(/** @type {Error} */ (error).stack ?? error) });
				log(`capacity under "${config.label}" failed: ${/** @type {Error} */ (error).message}`);
			}
			write(results);
		}
		if (PROFILE) {
			results.capacityProfiles = [];
			for (const key of CAPACITY_CONFIGS) {
				const config = CONFIGS[key];
				log(`\n› one conversation step under "${config.label}" with n8n's CPU profiled (--cpu-prof): fresh sandbox`);
				const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-checkout-bench-profile-'));
				try {
					/** @type {any} */
					let pid = null;
					const capacity = await withSandbox({ ...config.env, ...profilingEnv(dir) }, async (sb) => {
						pid = sb.n8n.pid;
						return await runCapacity(sb, { ...P.capacity, ...P.capacityProfile, log });
					});
					const profile = readProfile(dir, pid);
					if (!profile) throw new Error(`n8n (pid ${pid}) wrote no CPU profile into ${dir}`);
					const windows = capacity.steps.map((/** @type {any} */ s) => ({ key: 'conversation', startUs: s.window.startUs, endUs: s.window.endUs, requests: s.sent }));
					const step = capacity.steps[0];
					results.capacityProfiles.push({ config, step: { rate: step.rate, sent: step.sent, cpuMsPerDm: step.cpuMsPerDm }, breakdown: breakdown(profile, windows, CONVERSATION_CATEGORIES)[0] });
				} catch (error) {
					results.errors.push({ section: `capacity profile ${key}`, error: String(/** @type {Error} */ (error).stack ?? error) });
					log(`profiled conversation step failed: ${/** @type {Error} */ (error).message}`);
				} finally {
					fs.rmSync(dir, { recursive: true, force: true });
				}
				write(results);
			}
			if (results.capacityProfiles.length) log(`\n${report.conversationProfileTable(results.capacityProfiles)}\n`);
		}
		if (results.capacities.length) log(`\n${report.capacityGoals(results.capacities, results.capacityProfiles)}\n`);
	}

	if (SECTIONS.has('burst')) {
		results.bursts = [];
		for (const key of BURST_CONFIGS) {
			const config = CONFIGS[key];
			if (!config) {
				log(`unknown burst configuration "${key}" (known: ${Object.keys(CONFIGS).join(', ')})`);
				continue;
			}
			log(`\n› burst under "${config.label}": fresh sandbox`);
			try {
				const result = await withSandbox(config.env, async (sb) => {
					const patched = config.workflowSettings || config.webhookNodeTypeVersion
						? await patchWorkflow(sb.api, sb.workflowId, { settings: config.workflowSettings, webhookNodeTypeVersion: config.webhookNodeTypeVersion })
						: null;
					return { ...(await runBurst(sb, { ...P.burst, log })), patched };
				});
				results.bursts.push({ config, result });
			} catch (error) {
				results.bursts.push({ config, result: { error: String(/** @type {Error} */ (error).message ?? error) } });
				results.errors.push({ section: `burst ${key}`, error: String(/** @type {Error} */ (error).stack ?? error) });
				log(`burst under "${config.label}" failed: ${/** @type {Error} */ (error).message}`);
			}
			write(results);
		}
		if (results.bursts.some((/** @type {any} */ b) => !b.result.error)) log(`\n${report.burstTable(results.bursts)}\n`);
	}

	if (SECTIONS.has('footprint')) {
		log('\n› footprint');
		try {
			results.footprint = await runFootprint({ ...P.footprint, log, cleanups });
			log(`\n${report.footprintTable(results.footprint)}\n`);
		} catch (error) {
			results.errors.push({ section: 'footprint', error: String(/** @type {Error} */ (error).stack ?? error) });
			log(`footprint failed: ${/** @type {Error} */ (error).message}`);
		}
	}

	if (SECTIONS.has('queue')) {
		log('\n› queue mode (PostgreSQL, Redis, 2 webhook hosts, 2 workers then 1)');
		try {
			results.queue = await runQueueSection({ quick: QUICK, log, cleanups, dms: process.env.BENCH_QUEUE_DMS ? Number(process.env.BENCH_QUEUE_DMS) : undefined });
		} catch (error) {
			results.queue = { error: String(/** @type {Error} */ (error).message ?? error) };
			results.errors.push({ section: 'queue', error: String(/** @type {Error} */ (error).stack ?? error) });
		}
		log(`\n${queueMarkdown(results.queue)}`);
	}

	results.durationS = Math.round((Date.now() - started) / 1000);
	write(results);
	log(`\n${report.markdown(results)}\n`);
	log(`wrote ${path.relative(ROOT, OUT)}.json and .md in ${results.durationS} s`);
}

// Interrupted: stop what is running (bounded), then exit; the harness also kills n8n's process group on exit.
for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143]])) {
	process.once(signal, () => {
		console.error(`\n${signal}: stopping n8n, the registry and the simulators …`);
		const all = Promise.allSettled([...cleanups].map((stop) => stop()));
		Promise.race([all, new Promise((resolve) => setTimeout(resolve, 30_000))]).finally(() => process.exit(code));
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
