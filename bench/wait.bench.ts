/**
 * Benchmark of "Wait Until Done" (`npm run bench`, or `node -r ./scripts/ts-register.js bench/wait.bench.ts`).
 *
 * Runs the real Hailuo node through n8n-core's WorkflowExecute (test/helpers/engine.ts) against the GMI
 * simulator, which runs as a child process (test/simulator/cli.js) so that the RSS figures below are
 * the n8n side's alone.
 *
 *   1. Batch: 50 items, job times spread evenly over 5–20 s, poll interval 2 s.
 *      `ratio` = wall over the true bound (the slowest job's own time); target: wall <= slowest job +
 *      one interval. Lateness: how long after a job really finished the node noticed it (mean, worst).
 *   2. Requests per job: every API request of the batch (submits, shared list rounds, each job's own
 *      status requests) over the jobs; per job, submit + its own GETs stays <= ceil(job time / interval) + 2.
 *   3. 20 downloads of 50 MB videos with n8n's filesystem binary-data mode: peak RSS growth over the
 *      baseline, target <= 2 videos. Checks every item's binary is stored on disk (an `id`, no base64)
 *      and every file is 50 MB with the simulator's bytes.
 *
 * Prints human-readable figures, then one JSON line; exits 1 when a target is missed (and says which).
 * Knobs (env): BENCH_ITEMS, BENCH_MIN_MS, BENCH_MAX_MS, BENCH_INTERVAL_S, BENCH_DOWNLOADS, BENCH_VIDEO_MB,
 * BENCH_BINARY_MODE (default `filesystem`).
 */
import { type ChildProcess, spawn } from 'child_process';
import { createHash } from 'crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join, resolve } from 'path';
import { createInterface } from 'readline';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RecordedRequest } from '../test/simulator';

const ROOT = resolve(__dirname, '..');
const MB = 1024 * 1024;
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

const ITEMS = num('BENCH_ITEMS', 50);
const MIN_MS = num('BENCH_MIN_MS', 5_000);
const MAX_MS = num('BENCH_MAX_MS', 20_000);
const INTERVAL_S = num('BENCH_INTERVAL_S', 2);
const DOWNLOADS = num('BENCH_DOWNLOADS', 20);
const VIDEO_BYTES = Math.round(num('BENCH_VIDEO_MB', 50) * MB);

const TARGET_RSS_VIDEOS = 2;

// n8n's binary data goes to disk (filesystem mode) under a throw-away folder. Set before n8n-core
// builds its config objects (they read the environment when the DI container first creates them).
const WORK_DIR = mkdtempSync(join(tmpdir(), 'hailuo-bench-'));
const STORAGE_DIR = join(WORK_DIR, 'binary-data');
process.env.N8N_USER_FOLDER = join(WORK_DIR, 'n8n');
// BENCH_BINARY_MODE=default (n8n's in-memory mode) is a negative control: the RSS target and the on-disk checks must fail.
process.env.N8N_DEFAULT_BINARY_DATA_MODE = process.env.BENCH_BINARY_MODE ?? 'filesystem';
process.env.N8N_ENCRYPTION_KEY ??= 'hailuo-bench-throwaway-key';
process.env.N8N_BINARY_DATA_STORAGE_PATH = STORAGE_DIR;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// ---------------------------------------------------------------------------------------------
// Simulator (child process)

interface Sim {
	url: string;
	filesUrl: string;
	apiKey: string;
	child: ChildProcess;
}

async function startSimulatorProcess(): Promise<Sim> {
	// Jobs go straight to `processing`; each job's duration comes from its prompt's #ms= marker.
	const child = spawn(process.execPath, [join(ROOT, 'test/simulator/cli.js'), '--queued-ms', '0'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const line = await new Promise<string>((resolveLine, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.once('line', (l) => {
			lines.close();
			resolveLine(l);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited early (code ${code})`)));
		child.once('error', reject);
	});
	const info = JSON.parse(line) as Omit<Sim, 'child'>;
	return { ...info, child };
}

async function simControl<T>(sim: Sim, method: 'GET' | 'POST', route: string): Promise<T> {
	const response = await fetch(`${sim.url}/__sim/${route}`, { method });
	if (!response.ok) throw new Error(`simulator control ${method} ${route}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const settle = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

function collectGarbage() {
	for (let i = 0; i < 3; i++) gc();
}

/** Linux keeps the peak RSS (VmHWM); writing 5 to clear_refs resets it, so it can cross-check sampling. */
function resetKernelPeak(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}
function kernelPeakBytes(): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Samples RSS every ~20 ms until stopped. */
function sampleRss(everyMs = 20) {
	let peak = process.memoryUsage().rss;
	let samples = 0;
	const timer = setInterval(() => {
		const rss = process.memoryUsage().rss;
		samples++;
		if (rss > peak) peak = rss;
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			const rss = process.memoryUsage().rss;
			return { peak: Math.max(peak, rss), samples };
		},
	};
}

async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

const waitingSubmit = (extra: INodeParameters): INodeParameters => ({
	resource: 'video',
	operation: 'submit',
	model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' },
	prompt: '={{ $json.prompt }}',
	duration: 6,
	resolution: '768P',
	firstFrame: 'none',
	waitUntilDone: true,
	options: { maxJobsPerRun: 0 },
	...extra,
});

// ---------------------------------------------------------------------------------------------

async function main() {
	const failures: string[] = [];
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { runHailuo } = await import('../test/helpers/engine');
	const { videoContent } = await import('../test/simulator');

	const binaryData = Container.get(BinaryDataService);
	await binaryData.init();

	const sim = await startSimulatorProcess();
	const credentials = { apiKey: sim.apiKey, baseUrl: sim.url, organizationId: '' };
	const stopSim = () => {
		if (sim.child.exitCode === null && sim.child.pid) sim.child.kill('SIGTERM');
	};
	process.once('exit', stopSim);

	try {
		console.log(`Hailuo "Wait Until Done" benchmark — node ${process.version}, ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}`);
		console.log(`simulator: ${sim.url} (child process ${sim.child.pid}); binary data: ${process.env.N8N_DEFAULT_BINARY_DATA_MODE} mode in ${STORAGE_DIR}\n`);

		// ---- warm-up: load every code path (engine, axios, filesystem store) before the baseline
		{
			const { items, error } = await runHailuo({
				parameters: waitingSubmit({ pollInterval: 1, timeout: 60, downloadVideo: true }),
				credentials,
				items: [{ json: { prompt: 'warm-up a #ms=100 #bytes=65536' } }, { json: { prompt: 'warm-up b #ms=100 #bytes=65536' } }],
			});
			if (error || items.length !== 2) throw new Error(`warm-up run failed: ${error?.message ?? `${items.length} items`}`);
		}
		await simControl(sim, 'POST', 'reset');

		// ---- 3. downloads (first, in a quiet heap, so the batch's garbage does not blur the baseline)
		const download = await (async () => {
			console.log(`3. ${DOWNLOADS} downloads of ${fmtMb(VIDEO_BYTES)} videos, ${process.env.N8N_DEFAULT_BINARY_DATA_MODE} binary-data mode`);
			collectGarbage();
			await settle(300);
			collectGarbage();
			const baseline = process.memoryUsage().rss;
			const kernelReset = resetKernelPeak();
			const sampler = sampleRss(20);
			const started = Date.now();
			const { items, error } = await runHailuo({
				parameters: waitingSubmit({ pollInterval: 1, timeout: 120, downloadVideo: true }),
				credentials,
				items: Array.from({ length: DOWNLOADS }, (_, i) => ({ json: { prompt: `download ${i} #ms=300 #bytes=${VIDEO_BYTES}` } })),
			});
			const wallMs = Date.now() - started;
			const { peak, samples } = sampler.stop();
			const kernelPeak = kernelReset ? kernelPeakBytes() : undefined;
			if (error) throw new Error(`download run failed: ${error.message}`);

			// Every item's video is on disk, 50 MB, with the simulator's bytes; none is inline base64.
			const expectedHash = createHash('sha256').update(videoContent(VIDEO_BYTES)).digest('hex');
			const problems: string[] = [];
			let onDisk = 0;
			for (let index = 0; index < items.length; index++) {
				const item: INodeExecutionData = items[index];
				const binary = item.binary?.data as IBinaryData | undefined;
				if (!binary) {
					problems.push(`item ${index}: no binary`);
					continue;
				}
				if (!binary.id) {
					problems.push(`item ${index}: binary held inline (data ${binary.data?.length ?? 0} chars), not stored on disk`);
					continue;
				}
				const path = binaryData.getPath(binary.id);
				const size = existsSync(path) ? statSync(path).size : -1;
				if (size !== VIDEO_BYTES) problems.push(`item ${index}: ${path} is ${size} bytes, expected ${VIDEO_BYTES}`);
				else if ((await sha256OfFile(path)) !== expectedHash) problems.push(`item ${index}: ${path} does not hold the simulator's bytes`);
				else onDisk++;
			}
			if (items.length !== DOWNLOADS) problems.push(`${items.length} items out, expected ${DOWNLOADS}`);
			const example = items[0]?.binary?.data;
			const growth = peak - baseline;
			const exampleData = example?.data && example.data.length > 40 ? `${example.data.length} chars of base64 in memory` : `"${example?.data}"`;
			console.log(`   ${onDisk}/${DOWNLOADS} videos stored on disk by n8n (e.g. id "${example?.id}", fileSize ${example?.fileSize}, data ${exampleData})`);
			console.log(`   wall ${fmtS(wallMs)} (${fmtMb((DOWNLOADS * VIDEO_BYTES) / (wallMs / 1000))}/s through n8n into its binary store)`);
			console.log(`   RSS baseline ${fmtMb(baseline)}, sampled peak ${fmtMb(peak)} (${samples} samples at ~20 ms) → growth ${fmtMb(growth)}`);
			if (kernelPeak !== undefined) console.log(`   kernel peak RSS (VmHWM, reset before the run) ${fmtMb(kernelPeak)} → growth ${fmtMb(kernelPeak - baseline)}`);
			console.log(`   target: growth <= ${TARGET_RSS_VIDEOS} videos = ${fmtMb(TARGET_RSS_VIDEOS * VIDEO_BYTES)}\n`);
			for (const p of problems) failures.push(`download: ${p}`);
			if (growth > TARGET_RSS_VIDEOS * VIDEO_BYTES) failures.push(`download: peak RSS growth ${fmtMb(growth)} > ${TARGET_RSS_VIDEOS} × ${fmtMb(VIDEO_BYTES)}`);
			return { growth, kernelGrowth: kernelPeak === undefined ? undefined : kernelPeak - baseline, wallMs };
		})();
		rmSync(STORAGE_DIR, { recursive: true, force: true });
		await binaryData.init();
		await simControl(sim, 'POST', 'reset');

		// ---- 1 + 2. the batch
		const intervalMs = INTERVAL_S * 1000;
		const jobMs = Array.from({ length: ITEMS }, (_, i) => Math.round(MIN_MS + (ITEMS === 1 ? 0 : ((MAX_MS - MIN_MS) * i) / (ITEMS - 1))));
		const tag = (i: number) => `bench-${String(i).padStart(3, '0')}.`;
		console.log(`1. ${ITEMS} items, job times ${fmtS(Math.min(...jobMs))}–${fmtS(Math.max(...jobMs))}, poll interval ${INTERVAL_S} s`);
		const started = Date.now();
		const { items, error } = await runHailuo({
			parameters: waitingSubmit({ pollInterval: INTERVAL_S, timeout: Math.ceil((MAX_MS * 3) / 1000) + 30 }),
			credentials,
			items: jobMs.map((ms, i) => ({ json: { prompt: `${tag(i)} A lighthouse in a storm #ms=${ms}` } })),
		});
		const wallMs = Date.now() - started;
		if (error) throw new Error(`batch run failed: ${error.message}`);
		const notDone = items.filter((item) => item.json.status !== 'success' || item.json.timedOut);
		if (items.length !== ITEMS || notDone.length) failures.push(`batch: ${items.length} items out, ${notDone.length} not finished with success`);

		const slowestMs = Math.max(...jobMs);
		const targetRatio = (slowestMs + intervalMs) / slowestMs;
		const serialMs = jobMs.reduce((a, b) => a + b, 0);
		const ratio = wallMs / slowestMs;

		// Requests per job, from the simulator's log: the submit (matched by the prompt's tag) + every poll.
		const requests = await simControl<RecordedRequest[]>(sim, 'GET', 'requests');
		const perJob = items.map((item, i) => {
			const id = String(item.json.request_id);
			const submits = requests.filter((r) => r.method === 'POST' && /\/requests$/.test(r.path) && String(r.body?.payload?.prompt ?? '').startsWith(tag(i)));
			const polls = requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/requests/${id}`));
			const bound = Math.ceil(jobMs[i] / intervalMs) + 2;
			// How late the final poll came after the job really finished (simulator clock).
			const lateMs = submits.length && polls.length ? polls[polls.length - 1].at - (submits[0].at + jobMs[i]) : NaN;
			return { i, ms: jobMs[i], submits: submits.length, polls: polls.length, total: submits.length + polls.length, bound, lateMs };
		});
		const worst = perJob.reduce((a, b) => (b.total - b.bound > a.total - a.bound ? b : a));
		const overBound = perJob.filter((j) => j.total > j.bound);
		const requestsPerJobMax = Math.max(...perJob.map((j) => j.total));
		const requestsBound = Math.ceil(Math.max(...jobMs) / intervalMs) + 2;
		const late = perJob.map((j) => j.lateMs).filter((n) => Number.isFinite(n));
		const meanLateMs = late.reduce((a, b) => a + b, 0) / late.length;
		const worstLateMs = Math.max(...late);
		const apiRequests = requests.filter((r) => r.server === 'api').length;
		const listRequests = requests.filter((r) => r.server === 'api' && r.method === 'GET' && /\/requests$/.test(r.path)).length;
		const requestsPerJob = apiRequests / ITEMS;

		console.log(`   wall ${fmtS(wallMs)}, slowest job ${fmtS(slowestMs)} → ratio ${ratio.toFixed(3)} (target <= ${targetRatio.toFixed(3)}: slowest job + one interval)`);
		console.log(`   serial (sum of job times) ${fmtS(serialMs)} → ${(serialMs / wallMs).toFixed(1)}× faster than one at a time`);
		console.log(`   lateness (job finished → noticed): mean ${fmtS(meanLateMs)}, worst ${fmtS(worstLateMs)}`);
		console.log(`2. ${apiRequests} API requests in all (${listRequests} shared list rounds) → ${requestsPerJob.toFixed(2)} per job`);
		console.log(`   per job, submit + own status requests: max ${requestsPerJobMax} (bound for the slowest job ${requestsBound})`);
		console.log(`   closest to its bound: job ${worst.i} (${fmtS(worst.ms)}): ${worst.submits} submit + ${worst.polls} polls = ${worst.total} vs ceil(${worst.ms}/${intervalMs}) + 2 = ${worst.bound}`);
		console.log(`   ${overBound.length === 0 ? 'every job within its bound' : `${overBound.length} job(s) over their bound`}\n`);

		if (ratio > targetRatio) failures.push(`batch: wall/slowest ${ratio.toFixed(3)} > ${targetRatio.toFixed(3)}`);
		for (const j of overBound) failures.push(`requests: job ${j.i} (${j.ms} ms) made ${j.total} requests > bound ${j.bound}`);
		for (const j of perJob.filter((p) => p.submits !== 1)) failures.push(`requests: job ${j.i} was submitted ${j.submits} times`);

		const summary = {
			items: ITEMS,
			wallMs,
			slowestMs,
			ratio: round(ratio, 3),
			targetRatio: round(targetRatio, 3),
			meanLateMs: Math.round(meanLateMs),
			worstLateMs: Math.round(worstLateMs),
			requestsPerJob: round(requestsPerJob, 2),
			listRequests,
			serialMs,
			requestsPerJobMax,
			requestsBound,
			requestsWithinBound: overBound.length === 0,
			downloads: DOWNLOADS,
			downloadPeakRssMb: round(download.growth / MB, 1),
			...(download.kernelGrowth !== undefined ? { downloadKernelPeakRssMb: round(download.kernelGrowth / MB, 1) } : {}),
			videoMb: round(VIDEO_BYTES / MB, 1),
			ok: failures.length === 0,
		};
		if (failures.length) {
			console.log(`TARGETS MISSED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
		} else {
			console.log('All targets met.\n');
		}
		console.log(JSON.stringify(summary));
		return failures.length ? 1 : 0;
	} finally {
		stopSim();
		rmSync(WORK_DIR, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`bench failed: ${(error as Error).stack ?? error}`);
		rmSync(WORK_DIR, { recursive: true, force: true });
		process.exit(1);
	},
);
