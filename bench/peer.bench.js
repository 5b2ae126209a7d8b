#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:peer`: the Hailuo node against what users build instead, in the pinned real n8n
 * (default SQLite database, filesystem binary data), on the same simulated GMI jobs.
 *
 *  loop: bench/peer/loop.json, the hand-built loop as the community builds it: HTTP Request (submit)
 *        → Wait 2 s → HTTP Request (status) → IF status is "success" → back to Wait otherwise.
 *  node: bench/peer/node.json, the Hailuo node: Submit with Wait Until Done, 2 s poll interval,
 *        60 s timeout.
 *  minimax: bench/peer/minimax.json, n8n's built-in MiniMax node (`@n8n/n8n-nodes-langchain.minimax`
 *        v1, Video → Generate Video from Text, Hailuo-02, Download Video off) on MiniMax's own v1
 *        API, which the simulator also serves (test/simulator/minimax.js); its credential's hidden
 *        `url` is set to the simulator on import. It polls every 15 s, one item after another.
 *
 * Three scenarios, each workflow run one after the other (`n8n execute`), default node settings:
 *  normal:  BENCH_JOBS (10) jobs of BENCH_MIN_MS–BENCH_MAX_MS (5–15 s); all three workflows;
 *  failure: the same jobs, but job BENCH_FAIL_JOB (4, counted from 1) fails at the API: what each
 *           workflow returns of the other jobs' finished videos; all three workflows;
 *  faults:  the same jobs, but the simulator answers 429 (Retry-After 2) to BENCH_429 (3) GMI status
 *           requests (job or list) and one job never finishes; loop and node (the MiniMax node's
 *           routes are not GMI's, and a job that never finishes keeps it polling for 15 minutes).
 * A run still going after BENCH_CAP_S (120 s) is stopped and reported so.
 *
 * Measured per run: wall (the execution's own startedAt → stoppedAt, so n8n's start-up is not
 * counted), requests the simulator received, node runs, bytes of execution data (the run data as
 * n8n returns it, JSON), nodes in the workflow, the outcome, and lateness (a job finished → the
 * workflow's last request for its own status), mean and worst. Progress goes to stderr; stdout
 * gets one JSON line. The workflows' GMI URL is pointed at the simulator on import; nothing
 * else in them is changed.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const lib = require('../scripts/lib/n8n-runtime');

const num = (name, def) => (process.env[name] ? Number(process.env[name]) : def);
const JOBS = num('BENCH_JOBS', 10);
const MIN_MS = num('BENCH_MIN_MS', 5000);
const MAX_MS = num('BENCH_MAX_MS', 15000);
const TOO_MANY = num('BENCH_429', 3);
const CAP_S = num('BENCH_CAP_S', 120);
const FAIL_JOB = num('BENCH_FAIL_JOB', 4);
const SCENARIOS = {
	normal: ['loop', 'node', 'minimax'],
	failure: ['loop', 'node', 'minimax'],
	faults: ['loop', 'node'],
};
const WORKFLOW_IDS = { loop: 'Loop', node: 'Node', minimax: 'Mmax' };
const GMI_URL = 'https://console.gmicloud.ai';
const HEADER_CREDENTIAL = { id: 'benchGmiHeaderAuth', name: 'GMI API key (header)' };
const MINIMAX_CREDENTIAL = { id: 'benchMinimaxCredential01', name: 'MiniMax (simulator)' };

const log = (m) => process.stderr.write(`${m}\n`);
const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function jobPrompts(scenario) {
	return Array.from({ length: JOBS }, (_, i) => {
		const ms = Math.round(MIN_MS + (JOBS === 1 ? 0 : ((MAX_MS - MIN_MS) * i) / (JOBS - 1)));
		if (scenario === 'faults' && i === JOBS - 1) return `peer job ${i} never finishes #stuck`;
		if (scenario === 'failure' && i === FAIL_JOB - 1) return `peer job ${i} fails #ms=${ms} #fail`;
		return `peer job ${i} #ms=${ms}`;
	});
}

/** The workflow file with the prompts filled in and GMI's URL pointed at the simulator. */
function prepared(file, id, prompts, simUrl, dir) {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, 'peer', file), 'utf8'));
	workflow.id = id;
	const promptsNode = workflow.nodes.find((node) => node.name === 'Prompts');
	promptsNode.parameters.jsonOutput = JSON.stringify({ prompts });
	const text = JSON.stringify(workflow).split(GMI_URL).join(simUrl);
	const out = path.join(dir, `${id}.json`);
	fs.writeFileSync(out, text);
	return { path: out, nodes: workflow.nodes.length };
}

/** Distinct result-video URLs of the simulator's storage named anywhere in `value` (output or error). */
function videoUrlsIn(value, filesUrl) {
	const text = JSON.stringify(value ?? null);
	const pattern = new RegExp(`${filesUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/videos/[^/"\\s]+/sample_0\\.mp4`, 'g');
	return new Set(text.match(pattern) ?? []).size;
}

function outcomeOf(kind, res) {
	if (res.timedOut) return { summary: `still running after ${CAP_S} s, stopped`, videos: 0 };
	const runData = res.runData ?? {};
	const error = res.error ?? res.nodeError;
	if (kind === 'minimax') {
		const items = runData['Generate Videos']?.[0]?.data?.main?.[0] ?? [];
		const videos = items.filter((item) => typeof item.json.videoUrl === 'string').length;
		if (error) return { summary: `failed: ${String(error.message ?? error).split('\n')[0].slice(0, 160)}`, videos };
		return { summary: `${videos}/${JOBS} videos`, videos };
	}
	if (kind === 'loop') {
		const done = (runData['Video URL'] ?? []).reduce((n, run) => n + (run.data?.main?.[0]?.length ?? 0), 0);
		if (error) return { summary: `failed: ${String(error.message ?? error).split('\n')[0].slice(0, 160)} (${done} videos before)`, videos: done };
		return { summary: `${done}/${JOBS} videos`, videos: done };
	}
	const items = runData['Generate Videos']?.[0]?.data?.main?.[0] ?? [];
	const success = items.filter((item) => item.json.status === 'success').length;
	const timedOut = items.filter((item) => item.json.timedOut === true).length;
	if (error) return { summary: `failed: ${String(error.message ?? error).split('\n')[0].slice(0, 160)}`, videos: success };
	return { summary: `${success}/${JOBS} videos${timedOut ? `, ${timedOut} timed out with its request id` : ''}`, videos: success };
}

async function runOnce({ kind, id, nodes, runtime, userFolder, sim, scenario }) {
	const faults = scenario === 'faults';
	await lib.httpJson('POST', `${sim.url}/__sim/reset`);
	if (faults) {
		const fault = { kind: '429', method: 'GET', pathRegex: '^/requests', times: TOO_MANY, retryAfter: 2 };
		await lib.httpJson('POST', `${sim.url}/__sim/faults`, { body: fault });
	}
	log(`  ${kind} (${scenario}): n8n execute --id=${id}`);
	const res = await lib.executeWorkflow(runtime, userFolder, id, { timeoutMs: (CAP_S + 60) * 1000 });
	const requests = (await lib.httpJson('GET', `${sim.url}/__sim/requests`)).json.filter((r) => r.server === 'api');
	const data = res.data ?? {};
	const started = Date.parse(data.startedAt);
	const stopped = Date.parse(data.stoppedAt);
	const wallMs = res.timedOut || !Number.isFinite(stopped - started) ? CAP_S * 1000 : stopped - started;
	const nodeRuns = Object.values(res.runData ?? {}).reduce((n, runs) => n + runs.length, 0);
	const stats = (await lib.httpJson('GET', `${sim.url}/__sim/stats`)).json;
	const late = latenessMs(requests, stats.requestIds);
	const outcome = outcomeOf(kind, res);
	const result = {
		wallMs,
		requests: requests.length,
		statusRequests: requests.filter((r) => r.method === 'GET').length,
		nodeRuns,
		executionDataBytes: res.data ? Buffer.byteLength(JSON.stringify(res.data)) : 0,
		nodes,
		outcome: outcome.summary,
		// What the run leaves you: videos in its output, video URLs and job ids its error names, jobs
		// that finished at the API (paid for), jobs never submitted.
		videosInOutput: outcome.videos,
		videoUrlsInError: res.error || res.nodeError ? videoUrlsIn([res.error, res.nodeError], sim.filesUrl) : 0,
		jobIdsInError: res.error || res.nodeError ? stats.requestIds.filter((id) => JSON.stringify([res.error, res.nodeError]).includes(id)).length : 0,
		finishedAtApi: Object.values(stats.statuses).filter((s) => s === 'success').length,
		neverSubmitted: JOBS - stats.submits,
		meanLateMs: late.length ? Math.round(late.reduce((a, b) => a + b, 0) / late.length) : null,
		worstLateMs: late.length ? Math.max(...late) : null,
	};
	log(`    ${JSON.stringify(result)}`);
	return result;
}

/**
 * Per finished job, how long after it ended (its submit + its #ms) the workflow last asked for its
 * own status, i.e. noticed it: the same measure for the loop and the node, from the simulator's
 * log. Submits and request ids pair up in order (every submit of these runs is accepted).
 */
function latenessMs(requests, requestIds) {
	const submits = requests.filter((r) => r.method === 'POST');
	const late = [];
	submits.forEach((submit, index) => {
		const ms = /#ms=(\d+)/.exec(String(submit.body?.payload?.prompt ?? submit.body?.prompt ?? ''))?.[1];
		const id = requestIds[index];
		// GMI: GET /requests/{id}; MiniMax: GET /v1/query/video_generation?task_id={id}.
		const own = requests.filter((r) => r.method === 'GET' && (r.path.endsWith(`/requests/${id}`) || r.query?.task_id === id));
		const noticed = own.length ? own[own.length - 1].at - (submit.at + Number(ms)) : Number.NaN;
		// A job whose last status request came before it finished was never noticed (a failed loop).
		if (ms !== undefined && noticed >= 0) late.push(noticed);
	});
	return late;
}

const ratios = (node, loop) => loop && ({
	wall: round(node.wallMs / loop.wallMs),
	requests: round(node.requests / loop.requests),
	executionData: round(node.executionDataBytes / loop.executionDataBytes),
	nodeRuns: round(node.nodeRuns / loop.nodeRuns),
});

async function main() {
	lib.installExitHandlers({ log });
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hailuo-peer-'));
	const userFolder = path.join(tmp, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	const env = { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', DB_TYPE: 'sqlite' };
	try {
		const runtime = await lib.ensureRuntime({ log });
		const pack = await lib.buildAndPack({ destDir: path.join(tmp, 'pack'), skipBuild: !!process.env.HAILUO_SKIP_BUILD, log });
		await lib.installPackage(pack.tgz, userFolder);
		const sim = await lib.startSimulator({ args: ['--queued-ms', '0'], logFile: path.join(tmp, 'simulator.log') });
		log(`bench:peer: n8n ${lib.N8N_VERSION}, simulator ${sim.url}, work folder ${tmp}`);

		const noPackages = { env: { ...env, N8N_COMMUNITY_PACKAGES_ENABLED: 'false' } };
		await lib.importCredentials(
			runtime,
			userFolder,
			[
				lib.gmiCredential({ apiKey: sim.apiKey, baseUrl: sim.url }),
				{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${sim.apiKey}` } },
				// `url` is the credential's hidden field (MiniMax's https://api.minimax.io/v1 by default).
				{ ...MINIMAX_CREDENTIAL, type: 'minimaxApi', data: { apiKey: sim.apiKey, region: 'international', url: `${sim.url}/v1` } },
			],
			noPackages,
		);
		const workflows = {};
		for (const [scenario, kinds] of Object.entries(SCENARIOS)) {
			for (const kind of kinds) {
				const id = `benchPeer${WORKFLOW_IDS[kind]}${scenario.slice(0, 3)}01`;
				workflows[`${kind}-${scenario}`] = { id, ...prepared(`${kind}.json`, id, jobPrompts(scenario), sim.url, tmp) };
			}
		}
		await lib.importWorkflows(runtime, userFolder, Object.values(workflows).map((w) => w.path), noPackages);

		const result = {
			n8n: lib.N8N_VERSION,
			node: lib.NODE_VERSION,
			machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', memGb: round(os.totalmem() / 2 ** 30, 1), loadAvg: os.loadavg().map((l) => round(l)) },
			jobs: JOBS,
			jobMs: [MIN_MS, MAX_MS],
			intervalS: 2,
			failingJob: FAIL_JOB,
		};
		const only = process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',') : Object.keys(SCENARIOS);
		for (const [scenario, kinds] of Object.entries(SCENARIOS).filter(([name]) => only.includes(name))) {
			log(`${scenario} scenario`);
			const runs = {};
			for (const kind of kinds) {
				const w = workflows[`${kind}-${scenario}`];
				runs[kind] = await runOnce({ kind, id: w.id, nodes: w.nodes, runtime, userFolder, sim, scenario });
			}
			result[scenario] = { ...runs, ratios: ratios(runs.node, runs.loop), ...(runs.minimax ? { vsMinimax: ratios(runs.node, runs.minimax) } : {}) };
		}
		result.loadAvgAfter = os.loadavg().map((l) => round(l));
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} finally {
		await lib.stopAll();
		if (!process.env.HAILUO_BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	log(`bench:peer failed: ${error.stack ?? error}`);
	process.exit(1);
});
