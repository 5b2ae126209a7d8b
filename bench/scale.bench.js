#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:scale`: the package in n8n's queue mode (main + 2 workers + Redis + PostgreSQL,
 * see test/scale/cluster.js), measured.
 *
 *  A. BENCH_EXECUTIONS concurrent webhook calls (Webhook → Hailuo Submit, wait + download → respond
 *     with the video), jobs of BENCH_MIN_MS–BENCH_MAX_MS: wall time against the slowest job, workers
 *     used, RSS per worker, lost jobs, duplicate submits.
 *  B. one execution holding BENCH_BATCH items that wait together (no download): the worker slots it
 *     takes and the RSS it adds per waiting item.
 *  C. more waiting executions than worker slots (2 workers × concurrency 10 + BENCH_OVER_SLOTS):
 *     what Wait Until Done's held slot does to the wall time.
 *
 * Progress goes to stderr; stdout gets exactly one JSON line. Exits non-zero when a job is lost,
 * submitted twice, or an execution fails.
 *
 * Environment: BENCH_EXECUTIONS (20), BENCH_MIN_MS (5000), BENCH_MAX_MS (15000), BENCH_VIDEO_KB (512),
 * BENCH_BATCH (200), BENCH_BATCH_MS (20000), BENCH_SLOT_MS (10000), BENCH_OVER_SLOTS (10), HAILUO_SKIP_BUILD=1, HAILUO_N8N_CACHE.
 */

const fs = require('fs');
const path = require('path');
const lib = require('../scripts/lib/n8n-runtime');
const { Cluster, mb, memoryOf } = require('../test/scale/cluster');

const num = (name, def) => (process.env[name] ? Number(process.env[name]) : def);
const EXECUTIONS = num('BENCH_EXECUTIONS', 20);
const MIN_MS = num('BENCH_MIN_MS', 5000);
const MAX_MS = num('BENCH_MAX_MS', 15000);
const VIDEO_KB = num('BENCH_VIDEO_KB', 512);
const BATCH = num('BENCH_BATCH', 200);
const BATCH_MS = num('BENCH_BATCH_MS', 20000);
const SLOT_MS = num('BENCH_SLOT_MS', 10000);
const OVER_SLOTS = num('BENCH_OVER_SLOTS', 10);
const CONCURRENCY = 10; // n8n worker's default --concurrency
const QUEUED_MS = 500;
const WORKFLOWS = path.join(__dirname, '..', 'test', 'scale', 'workflows');

const log = (m) => process.stderr.write(`${m}\n`);
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/** Median RSS of one process over a few samples (RSS moves with GC, one sample is noisy). */
async function settledRss(pid, samples = 5, everyMs = 400) {
	const xs = [];
	for (let i = 0; i < samples; i++) {
		xs.push(memoryOf(pid).rss);
		await lib.sleep(everyMs);
	}
	return median(xs);
}

function sampler(pids, everyMs = 250) {
	const series = Object.fromEntries(Object.keys(pids).map((k) => [k, []]));
	const timer = setInterval(() => {
		for (const [k, pid] of Object.entries(pids)) series[k].push({ t: Date.now(), ...memoryOf(pid) });
	}, everyMs);
	return { series, stop: () => clearInterval(timer) };
}

async function main() {
	lib.installExitHandlers({ log });
	const cluster = new Cluster({ log });
	const t0 = Date.now();
	let failure = null;
	const result = { n8n: lib.N8N_VERSION, node: lib.NODE_VERSION, binaryDataMode: 'database', workers: 2, workerConcurrency: 10 };
	try {
		log(`bench:scale: setting up Redis, PostgreSQL, n8n main + 2 workers (work folder ${cluster.tmp})`);
		await cluster.startAll({
			workflowFiles: ['webhook-submit-wait.json', 'recover-list.json', 'batch-wait.json'].map((f) => path.join(WORKFLOWS, f)),
			prepare: { simArgs: ['--queued-ms', String(QUEUED_MS)] },
		});
		log(`  ready in ${lib.fmtSecs(Date.now() - t0)} (PostgreSQL ${cluster.pg.version.split(' ')[0]})`);
		const workers = [...cluster.workers.values()];
		const pids = { main: cluster.main.pid, ...Object.fromEntries(workers.map((w) => [w.name, w.pid])) };

		// warm both workers up (first use loads the node's code), then measure them idle
		await Promise.all(Array.from({ length: 4 }, (_, i) => cluster.webhook('hailuo-scale', { prompt: `warm-up ${i} #ms=300 #bytes=1000` })));
		const idle = {};
		for (const [k, pid] of Object.entries(pids)) idle[k] = await settledRss(pid);
		const runnerRss = memoryOf(workers[0].pid).childrenRss;

		// --- A: concurrent executions through the webhook ---------------------------------------------
		log(`A. ${EXECUTIONS} concurrent webhook calls, jobs of ${MIN_MS / 1000}–${MAX_MS / 1000} s, ${VIDEO_KB} KB videos`);
		const before = await cluster.simStats();
		const execBefore = (await cluster.executions()).map((e) => e.id);
		const prompts = Array.from({ length: EXECUTIONS }, (_, i) => {
			const ms = Math.round(MIN_MS + ((MAX_MS - MIN_MS) * i) / Math.max(1, EXECUTIONS - 1));
			return `bench ${i + 1} #ms=${ms} #bytes=${VIDEO_KB * 1024 + i}`;
		});
		const s = sampler(pids);
		const tA = Date.now();
		const answers = await Promise.all(prompts.map((p) => cluster.webhook('hailuo-scale', { prompt: p }, { timeoutMs: 600000 })));
		const wallMs = Date.now() - tA;
		s.stop();
		const after = await cluster.simStats();
		const fresh = after.requestIds.filter((id) => !before.requestIds.includes(id));
		const delivered = new Set();
		let badAnswers = 0;
		answers.forEach((r, i) => {
			const want = Number(/#bytes=(\d+)/.exec(prompts[i])[1]);
			if (r.status === 200 && r.body.length === want && r.headers['x-request-id']) delivered.add(r.headers['x-request-id']);
			else badAnswers++;
		});
		const execs = (await cluster.executions()).filter((e) => !execBefore.includes(e.id));
		const perWorker = Object.fromEntries(workers.map((w) => [w.name, execs.filter((e) => cluster.workerExecutions(w.name).started.includes(e.id)).length]));
		const slowestJobMs = MAX_MS + QUEUED_MS;
		const peak = (k) => Math.max(0, ...s.series[k].map((x) => x.rss));
		Object.assign(result, {
			executions: EXECUTIONS,
			succeeded: execs.filter((e) => e.status === 'success').length,
			workersUsed: Object.values(perWorker).filter((n) => n > 0).length,
			executionsPerWorker: perWorker,
			wallMs,
			slowestJobMs,
			wallOverSlowest: Math.round((wallMs / slowestJobMs) * 100) / 100,
			sumOfJobsMs: prompts.reduce((acc, p) => acc + Number(/#ms=(\d+)/.exec(p)[1]) + QUEUED_MS, 0),
			rssMB: Object.fromEntries(Object.keys(pids).map((k) => [k, { idle: mb(idle[k]), peak: mb(peak(k)) }])),
			taskRunnerRssMB: mb(runnerRss),
			rssPerInFlightExecutionMB: Object.fromEntries(
				workers.map((w) => [w.name, perWorker[w.name] ? mb((peak(w.name) - idle[w.name]) / perWorker[w.name]) : null]),
			),
			lostJobs: fresh.filter((id) => !delivered.has(id)).length + Math.max(0, EXECUTIONS - fresh.length),
			duplicateSubmits: Object.entries(after.submitsByPrompt)
				.filter(([p]) => prompts.includes(p))
				.reduce((acc, [, n]) => acc + Math.max(0, n - 1), 0),
			badAnswers,
		});
		log(`   wall ${(wallMs / 1000).toFixed(1)} s vs slowest job ${(slowestJobMs / 1000).toFixed(1)} s; per worker ${JSON.stringify(perWorker)}`);

		// --- B: one execution, a batch of waiting items -------------------------------------------------
		log(`B. one execution with ${BATCH} items waiting together (jobs of ${BATCH_MS / 1000} s, no download)`);
		await lib.sleep(3000);
		const idleB = {};
		for (const w of workers) idleB[w.name] = await settledRss(w.pid);
		const execBeforeB = (await cluster.executions()).map((e) => e.id);
		const batchPrompts = Array.from({ length: BATCH }, (_, i) => `bench batch ${i + 1} #ms=${BATCH_MS} #bytes=1000`);
		const sb = sampler(Object.fromEntries(workers.map((w) => [w.name, w.pid])));
		const tB = Date.now();
		const batchRes = await cluster.webhook('hailuo-scale-batch', { prompts: batchPrompts }, { timeoutMs: 600000 });
		const batchWallMs = Date.now() - tB;
		sb.stop();
		const statsB = await cluster.simStats();
		let records = [];
		try {
			records = JSON.parse(batchRes.body.toString());
		} catch {}
		const execB = (await cluster.executions()).filter((e) => !execBeforeB.includes(e.id));
		const ranOn = workers.filter((w) => execB.some((e) => cluster.workerExecutions(w.name).started.includes(e.id)));
		const w = ranOn[0];
		// the waiting plateau: samples once every job is submitted, until the first job could finish
		const plateau = w ? sb.series[w.name].filter((x) => x.t > tB + 3000 && x.t < tB + BATCH_MS).map((x) => x.rss) : [];
		result.batch = {
			items: BATCH,
			executions: execB.length,
			succeeded: Array.isArray(records) ? records.filter((r) => r.status === 'success').length : 0,
			workerSlotsUsed: execB.length,
			worker: w ? w.name : null,
			wallMs: batchWallMs,
			jobMs: BATCH_MS + QUEUED_MS,
			rssIdleMB: w ? mb(idleB[w.name]) : null,
			rssWaitingMB: plateau.length ? mb(median(plateau)) : null,
			rssPerWaitingItemKB: plateau.length ? Math.round((median(plateau) - idleB[w.name]) / BATCH / 1024) : null,
			duplicateSubmits: batchPrompts.reduce((acc, p) => acc + Math.max(0, (statsB.submitsByPrompt[p] || 0) - 1), 0),
		};
		result.lostJobs += BATCH - result.batch.succeeded;
		result.duplicateSubmits += result.batch.duplicateSubmits;
		log(`   ${result.batch.succeeded}/${BATCH} done in ${(batchWallMs / 1000).toFixed(1)} s on ${result.batch.worker}; ${result.batch.rssPerWaitingItemKB} KB RSS per waiting item`);

		// --- C: more executions than slots ------------------------------------------------------------
		const slots = workers.length * CONCURRENCY;
		const nC = slots + OVER_SLOTS;
		log(`C. ${nC} concurrent executions of ${SLOT_MS / 1000} s jobs for ${slots} worker slots (2 × --concurrency ${CONCURRENCY})`);
		const beforeC = await cluster.simStats();
		const promptsC = Array.from({ length: nC }, (_, i) => `bench slots ${i + 1} #ms=${SLOT_MS} #bytes=1000`);
		const tC = Date.now();
		const answersC = await Promise.all(
			promptsC.map((p) => cluster.webhook('hailuo-scale', { prompt: p }, { timeoutMs: 600000 }).then((r) => ({ ...r, doneMs: Date.now() - tC }))),
		);
		const afterC = await cluster.simStats();
		const submitTimes = afterC.requestIds.filter((id) => !beforeC.requestIds.includes(id)).length;
		const doneMs = answersC.map((r) => r.doneMs).sort((a, b) => a - b);
		result.slots = {
			executions: nC,
			workerSlots: slots,
			jobMs: SLOT_MS + QUEUED_MS,
			succeeded: answersC.filter((r) => r.status === 200).length,
			firstSlotsDoneMs: doneMs[slots - 1],
			wallMs: doneMs[doneMs.length - 1],
			submitted: submitTimes,
		};
		result.lostJobs += nC - result.slots.succeeded;
		result.duplicateSubmits += Object.entries(afterC.submitsByPrompt)
			.filter(([p]) => promptsC.includes(p))
			.reduce((acc, [, n]) => acc + Math.max(0, n - 1), 0);
		log(`   the first ${slots} done after ${(result.slots.firstSlotsDoneMs / 1000).toFixed(1)} s, the last ${OVER_SLOTS} waited for a slot: all done after ${(result.slots.wallMs / 1000).toFixed(1)} s`);

		if (result.lostJobs || result.duplicateSubmits || result.succeeded !== EXECUTIONS || badAnswers) {
			failure = `lost ${result.lostJobs}, duplicates ${result.duplicateSubmits}, ${result.succeeded}/${EXECUTIONS} executions succeeded, ${badAnswers} bad answers`;
		}
	} catch (e) {
		failure = e && e.stack ? e.stack : String(e);
	} finally {
		const alive = await cluster.stop();
		if (alive.length) failure = `${failure ? `${failure}; ` : ''}still alive: ${alive.join(', ')}`;
		if (failure) log(`logs kept in ${cluster.tmp}`);
		else fs.rmSync(cluster.tmp, { recursive: true, force: true });
	}
	result.totalMs = Date.now() - t0;
	if (failure) {
		result.error = failure.split('\n')[0];
		log(failure);
	}
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(failure ? 1 : 0);
}

main();
