/**
 * `npm run bench:1000`: 1000 items waiting in one execution, through n8n-core's WorkflowExecute
 * (test/helpers/engine.ts), against the GMI simulator in its own process. Jobs take 10–30 s
 * (spread evenly), poll interval 5 s.
 *
 * Measures (targets of issue 17): every item checked and the first submit sent within 2 s of the
 * node starting; all submits sent within 4 s (the simulator answers at once); wall time <= the
 * slowest job + one interval + 2 s; requests per job <= 2.1; peak RSS per waiting item <= 32 kB
 * (over the settled baseline, whole process, not only the JS heap); the event loop:
 * `monitorEventLoopDelay` p99 <= 20 ms and no stall over 100 ms, with every stall and when it
 * happened, so start-up and waiting can be told apart. Also lateness (job finished → noticed).
 *
 * Profiling: run with `node --cpu-prof --cpu-prof-dir=DIR -r ./scripts/ts-register.js
 * bench/thousand.bench.ts`; BENCH_HEAP_SNAPSHOT=DIR writes a heap snapshot while all items wait.
 * Knobs (env): BENCH_ITEMS (1000), BENCH_MIN_MS (10000), BENCH_MAX_MS (30000), BENCH_INTERVAL_S (5).
 * Prints one JSON line; exits 1 when a target is missed.
 */
import { type ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem } from 'os';
import { join, resolve } from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { createInterface } from 'readline';
import { setFlagsFromString, writeHeapSnapshot } from 'v8';
import { runInNewContext } from 'vm';

import type { RecordedRequest } from '../test/simulator';

const ROOT = resolve(__dirname, '..');
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const ITEMS = num('BENCH_ITEMS', 1000);
const MIN_MS = num('BENCH_MIN_MS', 10_000);
const MAX_MS = num('BENCH_MAX_MS', 30_000);
const INTERVAL_S = num('BENCH_INTERVAL_S', 5);
const TARGET_RSS_PER_ITEM_KB = 32;
const TARGET_FIRST_SUBMIT_MS = 2000;
const TARGET_SUBMIT_PHASE_MS = 4000;
const TARGET_WALL_SLACK_MS = 2000;
const TARGET_REQUESTS_PER_JOB = 2.1;
const TARGET_P99_MS = 20;
const TARGET_STALL_MS = 100;

const WORK_DIR = mkdtempSync(join(tmpdir(), 'hailuo-bench1000-'));
process.env.N8N_USER_FOLDER = join(WORK_DIR, 'n8n');
process.env.N8N_LOG_LEVEL ??= 'warn';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const settle = async (ms: number) => await new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function startSimulatorProcess(): Promise<{ url: string; apiKey: string; child: ChildProcess }> {
	const child = spawn(process.execPath, [join(ROOT, 'test/simulator/cli.js'), '--queued-ms', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const line = await new Promise<string>((resolveLine, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.once('line', (l) => {
			lines.close();
			resolveLine(l);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited early (code ${code})`)));
	});
	return { ...(JSON.parse(line) as { url: string; apiKey: string }), child };
}

/** Event-loop lag every 10 ms, kept with its time, so stalls can be placed in the run. */
function lagSampler() {
	const lags: Array<{ at: number; lag: number }> = [];
	let expected = Date.now() + 10;
	const timer = setInterval(() => {
		const now = Date.now();
		lags.push({ at: now, lag: Math.max(0, now - expected) });
		expected = now + 10;
	}, 10);
	return { lags, stop: () => clearInterval(timer) };
}

/** Once the simulator has every submit, all items are waiting: that is the state worth a snapshot. */
async function snapshotWhenAllWait(simUrl: string, file: string): Promise<string> {
	for (;;) {
		// A kept-alive socket the simulator closed meanwhile fails a fetch now and then: ask again.
		const stats = (await fetch(`${simUrl}/__sim/stats`).then(async (r) => await r.json(), () => ({ submits: 0 }))) as { submits: number };
		if (stats.submits >= ITEMS) break;
		await settle(500);
	}
	await settle(1000);
	return writeHeapSnapshot(file);
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
	const { runHailuo } = await import('../test/helpers/engine');
	const sim = await startSimulatorProcess();
	const stopSim = () => sim.child.exitCode === null && sim.child.kill('SIGTERM');
	process.once('exit', stopSim);
	const credentials = { apiKey: sim.apiKey, baseUrl: sim.url, organizationId: '' };
	const parameters = (timeout: number) => ({
		resource: 'video',
		operation: 'submit',
		model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' },
		prompt: '={{ $json.prompt }}',
		waitUntilDone: true,
		pollInterval: INTERVAL_S,
		timeout,
		options: { maxJobsPerRun: 0 },
	});
	try {
		// Warm-up: every code path loaded before the baseline.
		await runHailuo({ parameters: { ...parameters(60), pollInterval: 1 }, credentials, items: Array.from({ length: 20 }, (_, i) => ({ json: { prompt: `warm-up ${i} #ms=200` } })) });
		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		for (let i = 0; i < 3; i++) gc();
		await settle(500);
		gc();
		const baseline = process.memoryUsage().rss;
		const baselineHeap = process.memoryUsage().heapUsed;
		if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT, 'baseline.heapsnapshot'));

		const jobMs = Array.from({ length: ITEMS }, (_, i) => Math.round(MIN_MS + (ITEMS === 1 ? 0 : ((MAX_MS - MIN_MS) * i) / (ITEMS - 1))));
		const items = jobMs.map((ms, i) => ({ json: { prompt: `thousand ${String(i).padStart(4, '0')} #ms=${ms}` } }));
		const histogram = monitorEventLoopDelay({ resolution: 5 });
		const sampler = lagSampler();
		const rss: Array<{ at: number; rss: number; heap: number }> = [];
		const rssTimer = setInterval(() => {
			const usage = process.memoryUsage();
			rss.push({ at: Date.now(), rss: usage.rss, heap: usage.heapUsed });
		}, 100);
		// A heap snapshot freezes the process for seconds: its run's timings are not the figures.
		let snapshot: Promise<string> | undefined;
		if (process.env.BENCH_HEAP_SNAPSHOT) snapshot = snapshotWhenAllWait(sim.url, join(process.env.BENCH_HEAP_SNAPSHOT, `waiting-${ITEMS}.heapsnapshot`));

		histogram.enable();
		const started = Date.now();
		// CPU profiles time their samples on the monotonic clock, in µs.
		const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);
		const profileFromMs = monotonicMs();
		const { items: out, error } = await runHailuo({ parameters: parameters(Math.ceil(MAX_MS / 1000) * 3), credentials, items });
		const wallMs = Date.now() - started;
		histogram.disable();
		sampler.stop();
		clearInterval(rssTimer);
		if (error) throw new Error(`run failed: ${error.message}`);

		const requests = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as RecordedRequest[];
		const submits = requests.filter((r) => r.method === 'POST');
		const lastSubmitAt = Math.max(...submits.map((r) => r.at));
		const firstSubmitAt = Math.min(...submits.map((r) => r.at));
		const submittedAt = (i: number) => submits.find((r) => String(r.body?.payload?.prompt).startsWith(`thousand ${String(i).padStart(4, '0')} `))?.at;
		const firstFinishAt = Math.min(...jobMs.map((ms, i) => (submittedAt(i) ?? Infinity) + ms));
		const byId = new Map<string, RecordedRequest[]>();
		for (const r of requests) {
			const id = /\/requests\/([^/]+)$/.exec(r.path)?.[1];
			if (r.method === 'GET' && id) byId.set(id, [...(byId.get(id) ?? []), r]);
		}
		const late = out.map((item, i) => {
			const own = byId.get(String(item.json.request_id)) ?? [];
			const submitted = submittedAt(i);
			return own.length && submitted !== undefined ? own[own.length - 1].at - (submitted + jobMs[i]) : Number.NaN;
		}).filter(Number.isFinite);
		const slowestMs = Math.max(...jobMs);
		const waitingSamples = rss.filter((s) => s.at > lastSubmitAt + 1000 && s.at < firstFinishAt);
		const waitingRss = waitingSamples.map((s) => s.rss);
		const waitingHeap = waitingSamples.map((s) => s.heap);
		const peakRss = Math.max(...rss.map((s) => s.rss));
		const stalls = sampler.lags.filter((s) => s.lag > TARGET_STALL_MS).map((s) => ({ atMs: s.at - started, ms: s.lag }));
		const waitingLags = sampler.lags.filter((s) => s.at > lastSubmitAt).map((s) => s.lag);
		const success = out.filter((item) => item.json.status === 'success' && !item.json.timedOut).length;

		const result = {
			items: ITEMS,
			success,
			jobMs: [MIN_MS, MAX_MS],
			intervalS: INTERVAL_S,
			wallMs,
			slowestMs,
			ratio: round(wallMs / slowestMs, 3),
			targetWallMs: slowestMs + INTERVAL_S * 1000 + TARGET_WALL_SLACK_MS,
			firstSubmitMs: firstSubmitAt - started,
			submitPhaseMs: lastSubmitAt - started,
			requestsPerJob: round(requests.length / ITEMS, 2),
			listRequests: requests.filter((r) => r.method === 'GET' && /\/requests$/.test(r.path)).length,
			meanLateMs: Math.round(late.reduce((a, b) => a + b, 0) / late.length),
			worstLateMs: Math.max(...late),
			rssBaselineMb: round(baseline / 2 ** 20, 1),
			waitingRssPerItemKb: waitingRss.length ? round((median(waitingRss) - baseline) / ITEMS / 1024, 1) : null,
			peakRssPerItemKb: round((peakRss - baseline) / ITEMS / 1024, 1),
			// When the peak came (ms after the node started), against the submit phase and the first finished job.
			peakRssAtMs: (rss.find((s) => s.rss === peakRss)?.at ?? started) - started,
			firstFinishAtMs: firstFinishAt - started,
			// The JS heap's share of it (V8's live objects); the rest is native: sockets, parsers, allocator slack.
			waitingHeapPerItemKb: waitingHeap.length ? round((median(waitingHeap) - baselineHeap) / ITEMS / 1024, 1) : null,
			eventLoop: {
				p99Ms: round(histogram.percentile(99) / 1e6, 1),
				maxMs: round(histogram.max / 1e6, 1),
				waitingP99Ms: round(percentile(waitingLags, 99), 1),
				waitingMaxMs: Math.max(0, ...waitingLags),
				stallsOver100Ms: stalls,
			},
			heapSnapshot: snapshot ? await snapshot : undefined,
			// The run's window in a --cpu-prof profile (monotonic ms), for bench/profile-summary.js.
			profileWindowMs: [profileFromMs, profileFromMs + wallMs],
			machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? '', memGb: round(totalmem() / 2 ** 30, 1), loadAvg: loadavg().map((l) => round(l, 2)) },
		};
		const missed: string[] = [];
		if (success !== ITEMS) missed.push(`${ITEMS - success} items not finished with success`);
		if (wallMs > result.targetWallMs) missed.push(`wall ${wallMs} ms > slowest + one interval + 2 s = ${result.targetWallMs} ms`);
		if (result.firstSubmitMs > TARGET_FIRST_SUBMIT_MS) missed.push(`first submit after ${result.firstSubmitMs} ms > ${TARGET_FIRST_SUBMIT_MS} ms`);
		if (result.submitPhaseMs > TARGET_SUBMIT_PHASE_MS) missed.push(`last submit after ${result.submitPhaseMs} ms > ${TARGET_SUBMIT_PHASE_MS} ms`);
		if (result.requestsPerJob > TARGET_REQUESTS_PER_JOB) missed.push(`${result.requestsPerJob} requests per job > ${TARGET_REQUESTS_PER_JOB}`);
		if (result.peakRssPerItemKb > TARGET_RSS_PER_ITEM_KB) missed.push(`peak RSS per waiting item ${result.peakRssPerItemKb} kB > ${TARGET_RSS_PER_ITEM_KB} kB`);
		if (result.eventLoop.p99Ms > TARGET_P99_MS) missed.push(`event-loop p99 ${result.eventLoop.p99Ms} ms > ${TARGET_P99_MS} ms`);
		if (stalls.length) missed.push(`${stalls.length} event-loop stall(s) over ${TARGET_STALL_MS} ms`);
		if (missed.length) process.stderr.write(`TARGETS MISSED:\n${missed.map((m) => `  - ${m}`).join('\n')}\n`);
		console.log(JSON.stringify({ ...result, ok: missed.length === 0 }));
		return missed.length ? 1 : 0;
	} finally {
		stopSim();
		rmSync(WORK_DIR, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`bench failed: ${(error as Error).stack ?? error}`);
		process.exit(1);
	},
);
