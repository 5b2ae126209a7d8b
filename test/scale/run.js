#!/usr/bin/env node
'use strict';
/**
 * `npm run test:scale`: the packed package in n8n's queue mode, on the real parts.
 *
 *  1. Redis and PostgreSQL from Debian packages (apt-get install when missing), each on a free
 *     127.0.0.1 port with its data in a temp folder; the pinned n8n + Node 24 of `test:e2e`;
 *     one `n8n start` main (EXECUTIONS_MODE=queue) and two `n8n worker`s, each with its own user
 *     folder holding the packed package, one shared N8N_ENCRYPTION_KEY; binary data in n8n's
 *     queue-mode default (`database`, i.e. PostgreSQL).
 *  2. 20 concurrent calls to an activated webhook workflow (Webhook → Hailuo Submit with wait and
 *     download → Respond to Webhook with the video) against the project's GMI simulator.
 *  3. A worker is SIGKILLed while it waits on jobs: what n8n does with its executions, no job
 *     submitted twice, every submitted job recovered (Video → List, then Get Status + download),
 *     and the long-jobs pattern (Submit → Wait node → Get Status) riding through the kill.
 *
 * Prints each case and a final `N passed, M failed` line; exits non-zero on any failure. Every
 * process it started is stopped by PID, also when a check fails.
 *
 * Environment: HAILUO_N8N_CACHE (runtime cache), HAILUO_SKIP_BUILD=1 (pack dist/ as it is),
 * HAILUO_SCALE_KEEP=1 (keep the temp folder with every log), HAILUO_SCALE_CALLS (default 20).
 */

const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const lib = require('../../scripts/lib/n8n-runtime');
const { Cluster, mb } = require('./cluster');
const { videoContent } = require('../simulator/files');

const WORKFLOWS = path.join(__dirname, 'workflows');
const CALLS = Number(process.env.HAILUO_SCALE_CALLS || 20);
const KILL_CALLS = 6;
const STALL_TEXT = /failed to be processed too many times/;

const T0 = Date.now();
const results = [];
const out = (m) => process.stdout.write(`${m}\n`);
const elapsed = () => lib.fmtSecs(Date.now() - T0);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function check(name, fn) {
	const t = Date.now();
	try {
		const note = await fn();
		results.push({ name, ok: true });
		out(`  ✓ ${name} (${lib.fmtSecs(Date.now() - t)})${note ? `\n      ${String(note).split('\n').join('\n      ')}` : ''}`);
		return true;
	} catch (e) {
		results.push({ name, ok: false, error: e });
		out(`  ✗ ${name} (${lib.fmtSecs(Date.now() - t)})`);
		out(
			String(e && e.stack && !(e instanceof assert.AssertionError) ? e.stack : (e && e.message) || e)
				.split('\n')
				.slice(0, 30)
				.map((l) => `      ${l}`)
				.join('\n'),
		);
		return false;
	}
}

class StepFailed extends Error {}

/** A setup step: its failure stops the run (what follows depends on it). */
async function step(name, fn) {
	let value;
	const ok = await check(name, async () => {
		const r = await fn();
		value = r && r.value !== undefined ? r.value : r;
		return r && r.note;
	});
	if (!ok) throw new StepFailed(name);
	return value;
}

const bytesOf = (prompt) => Number(/#bytes=(\d+)/.exec(prompt)[1]);
const msOf = (prompt) => Number(/#ms=(\d+)/.exec(prompt)[1]);

/** Check one webhook answer carries the video of `prompt`: 200, video/mp4, the exact bytes, a known request id. */
function assertVideo(res, prompt, stats) {
	assert.equal(res.status, 200, `"${prompt}": HTTP ${res.status} ${res.error || ''} ${res.body.slice(0, 300)}`);
	assert.match(String(res.headers['content-type']), /^video\/mp4/, `"${prompt}": content-type ${res.headers['content-type']}`);
	const size = bytesOf(prompt);
	assert.equal(res.body.length, size, `"${prompt}": ${res.body.length} bytes, expected ${size}`);
	assert.ok(res.body.equals(videoContent(size)), `"${prompt}": the bytes differ from the simulator's video`);
	const id = res.headers['x-request-id'];
	assert.ok(id && stats.requestIds.includes(id), `"${prompt}": x-request-id ${id} was not issued by the simulator`);
	assert.equal(res.headers['x-job-status'], 'success');
	return id;
}

/** Sample every n8n process's memory until stopped; keeps the peak per process. */
function memorySampler(cluster, everyMs = 500) {
	const peak = {};
	const timer = setInterval(() => {
		for (const [name, m] of Object.entries(cluster.memory())) {
			if (!m) continue;
			if (!peak[name] || m.rss > peak[name].rss) peak[name] = { ...m };
		}
	}, everyMs);
	return { peak, stop: () => clearInterval(timer) };
}

async function waitFor(what, fn, { timeoutMs = 60000, everyMs = 250 } = {}) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${secs(timeoutMs)} waiting for ${what}`);
		await lib.sleep(everyMs);
	}
}

async function main() {
	lib.installExitHandlers({ log: out });
	const cluster = new Cluster({ log: out });
	const keep = !!process.env.HAILUO_SCALE_KEEP;
	out(`test:scale: n8n ${lib.N8N_VERSION} queue mode on Node ${lib.NODE_VERSION}; work folder ${cluster.tmp}`);
	if (!lib.runtimeIsComplete()) out(`  … first run: installing n8n ${lib.N8N_VERSION} into ${lib.cacheRoot()} (several minutes, once)`);

	try {
		// --- the parts ---------------------------------------------------------------------------------
		await step('Redis, PostgreSQL, the pinned n8n, the packed package and the GMI simulator are ready', async () => {
			await cluster.prepare({ simArgs: ['--queued-ms', '500'] });
			return {
				note:
					`${cluster.installedPackages.length ? `apt-get installed ${cluster.installedPackages.join(', ')}; ` : 'Debian packages present; '}` +
					`redis-server on 127.0.0.1:${cluster.redis.port} (pid ${cluster.redis.pid}), PostgreSQL ${cluster.pg.version.split(' ')[0]} on 127.0.0.1:${cluster.pg.port} (pid ${cluster.pg.pid}), data in ${cluster.tmp}`,
			};
		});
		await step('n8n main (`n8n start`, EXECUTIONS_MODE=queue, PostgreSQL) gets ready', async () => {
			const m = await cluster.startMain();
			const bad = fs.readFileSync(m.logFile, 'utf8').split('\n').filter((l) => /error|warn/i.test(l) && /hailuo|gmiCloud/i.test(l));
			assert.deepEqual(bad, [], 'the main logged errors or warnings about the package');
			return { value: m, note: `${m.url}, ready in ${secs(m.readyMs)} on a fresh database` };
		});
		const [w1, w2] = await step('two `n8n worker`s with their own user folders get ready (/healthz/readiness); credential and workflows imported', async () => {
			const ws = Promise.all([cluster.startWorker('w1'), cluster.startWorker('w2')]);
			ws.catch(() => {});
			await cluster.importCredential();
			await cluster.importWorkflows(fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith('.json')).map((f) => path.join(WORKFLOWS, f)));
			const w = await ws;
			for (const x of w) assert.ok(fs.existsSync(path.join(x.userFolder, '.n8n', 'nodes', 'node_modules', lib.PACKAGE_NAME, 'package.json')));
			assert.notEqual(w[0].userFolder, w[1].userFolder);
			return { value: w, note: w.map((x) => `${x.name}: pid ${x.pid}, health :${x.healthPort}, broker :${x.broker}, ready in ${secs(x.readyMs)}`).join('; ') };
		});
		await step('webhook workflows are activated by `import:workflow --activeState=fromJson`, no restart', async () => {
			const t = Date.now();
			const r = await waitFor('the list webhook to be registered', async () => {
				const x = await cluster.webhook('hailuo-scale-list', {});
				return x.status === 404 ? null : x;
			}, { timeoutMs: 90000, everyMs: 500 });
			assert.equal(r.status, 200, `list webhook: ${r.status} ${r.body.slice(0, 300)}`);
			return { note: `registered on the main ${secs(Date.now() - t)} after the import; Video → List answered through a worker` };
		});

		// --- 20 concurrent webhook calls ----------------------------------------------------------------
		out(`load through the front door [${elapsed()}]`);
		const before = await cluster.simStats();
		const execBefore = (await cluster.executions()).length;
		const prompts = Array.from({ length: CALLS }, (_, i) => `scale load ${i + 1} #ms=${3000 + (i % 6) * 1000} #bytes=${40000 + i * 1013}`);
		const sampler = memorySampler(cluster);
		const idle = cluster.memory();
		const tLoad = Date.now();
		const answers = await Promise.all(prompts.map((p) => cluster.webhook('hailuo-scale', { prompt: p }, { timeoutMs: 300000 })));
		const loadMs = Date.now() - tLoad;
		sampler.stop();
		const after = await cluster.simStats();
		const slowest = Math.max(...prompts.map(msOf)) + 500;

		const delivered = new Map();
		await check(`${CALLS} concurrent webhook calls → ${CALLS} successful executions, each answered with its video (right size and bytes)`, async () => {
			const problems = [];
			answers.forEach((res, i) => {
				try {
					delivered.set(assertVideo(res, prompts[i], after), prompts[i]);
				} catch (e) {
					problems.push(e.message);
				}
			});
			assert.deepEqual(problems, [], `${problems.length} bad answer(s)`);
			const ex = (await cluster.executions()).slice(execBefore);
			assert.equal(ex.length, CALLS, `${ex.length} new executions`);
			assert.deepEqual(ex.filter((e) => e.status !== 'success').map((e) => `${e.id}:${e.status}`), [], 'executions not successful');
			return `wall ${secs(loadMs)} for ${CALLS} jobs of 3–8 s (slowest job ${secs(slowest)}, incl. 0.5 s queued)`;
		});
		let loadIds = [];
		await check('the work is spread over both workers (worker logs: "Worker started/finished execution N")', async () => {
			const ex = (await cluster.executions()).slice(execBefore);
			loadIds = ex.map((e) => e.id);
			const by = {};
			for (const w of [w1, w2]) {
				const { started, finished } = cluster.workerExecutions(w.name);
				by[w.name] = loadIds.filter((id) => started.includes(id));
				for (const id of by[w.name]) assert.ok(finished.includes(id), `${w.name} started execution ${id} but did not finish it`);
			}
			const both = by.w1.filter((id) => by.w2.includes(id));
			assert.deepEqual(both, [], 'executions run on both workers');
			assert.equal(by.w1.length + by.w2.length, CALLS, `only ${by.w1.length + by.w2.length} of ${CALLS} executions found in the worker logs`);
			assert.ok(by.w1.length > 0 && by.w2.length > 0, `w1 ran ${by.w1.length}, w2 ran ${by.w2.length}`);
			return `w1 ran ${by.w1.length}, w2 ran ${by.w2.length} (default worker concurrency 10)`;
		});
		await check('every request id the simulator handed out is accounted for; one submit per prompt', async () => {
			const fresh = after.requestIds.filter((id) => !before.requestIds.includes(id));
			assert.equal(fresh.length, CALLS, `${fresh.length} jobs submitted for ${CALLS} calls`);
			assert.deepEqual([...fresh].sort(), [...delivered.keys()].sort(), 'submitted jobs differ from delivered videos');
			for (const p of prompts) assert.equal(after.submitsByPrompt[p], 1, `"${p}" submitted ${after.submitsByPrompt[p]} times`);
			for (const id of fresh) assert.equal(after.statuses[id], 'success');
			assert.equal(after.filesRequestsWithAuth, 0, 'the API key travelled to the file host');
		});
		await check("binary data in queue mode: n8n's default (`database`) stores the videos in PostgreSQL, and the main streams them back", async () => {
			const rows = (await cluster.psql('select count(*), coalesce(sum("fileSize"),0) from binary_data')).trim().split('\t').map(Number);
			const expected = prompts.reduce((s, p) => s + bytesOf(p), 0);
			assert.ok(rows[0] >= CALLS, `binary_data holds ${rows[0]} rows`);
			assert.ok(rows[1] >= expected, `binary_data holds ${rows[1]} bytes, the videos are ${expected}`);
			const peak = (k) => Math.max(idle[k].rss, sampler.peak[k] ? sampler.peak[k].rss : 0);
			return (
				`binary_data: ${rows[0]} rows, ${mb(rows[1])} MB; ` +
				`RSS before → peak during the load: main ${mb(idle.main.rss)} → ${mb(peak('main'))} MB, ` +
				[w1, w2].map((w) => `${w.name} ${mb(idle[w.name].rss)} → ${mb(peak(w.name))} MB`).join(', ') +
				`; task runner ${mb(idle.w1.childrenRss)} MB per process`
			);
		});

		// --- a worker dies mid-wait ----------------------------------------------------------------------
		out(`a worker is killed while it waits on jobs [${elapsed()}]`);
		const longPrompt = 'scale long job (Submit → Wait node → Get Status) #ms=100000 #bytes=77777';
		const killPrompts = Array.from({ length: KILL_CALLS }, (_, i) => `scale kill ${i + 1} #ms=45000 #bytes=${30000 + i * 7}`);
		const execBeforeKill = (await cluster.executions()).map((e) => e.id);
		const statsBeforeKill = await cluster.simStats();

		const lj = await cluster.webhook('hailuo-scale-long', { prompt: longPrompt });
		const killCalls = killPrompts.map((p) => cluster.webhook('hailuo-scale', { prompt: p }, { timeoutMs: 420000 }).then((r) => ({ ...r, at: Date.now() })));
		let longExec;
		let victim;
		let survivor;
		let onVictim = [];
		let onSurvivor = [];
		let killedAt = 0;
		await step('long job (100 s): Submit without waiting → Wait node (70 s) parks the execution in PostgreSQL and frees the worker', async () => {
			assert.equal(lj.status, 200, `long-job webhook: ${lj.status}`);
			longExec = await waitFor('the long job to be waiting', async () => (await cluster.executions(`"workflowId" = 'scaleLongJob0001'`)).find((e) => e.status === 'waiting'), { timeoutMs: 60000 });
			const data = await cluster.executionData(longExec.id);
			const rec = data.resultData.runData['Submit Video'][0].data.main[0][0].json;
			assert.equal(typeof rec.request_id, 'string', 'the waiting execution keeps the request id');
			const ran = [w1, w2].find((w) => cluster.workerExecutions(w.name).finished.includes(longExec.id));
			assert.ok(ran, 'no worker finished the first part of the long job');
			longExec.requestId = rec.request_id;
			longExec.firstWorker = ran.name;
			return { note: `execution ${longExec.id} waiting until ${longExec.waitTill}, request ${rec.request_id} saved with it; ${ran.name} is free again` };
		});
		await step(`${KILL_CALLS} more calls with 45 s jobs are in flight on the workers`, async () => {
			await waitFor('every kill-case job to be submitted', async () => {
				const s = await cluster.simStats();
				return killPrompts.every((p) => s.submitsByPrompt[p] === 1);
			});
			const ids = await waitFor('the kill-case executions to run', async () => {
				const ex = (await cluster.executions(`"workflowId" = 'scaleWebhookWait'`)).filter((e) => !execBeforeKill.includes(e.id));
				const started = [w1, w2].flatMap((w) => cluster.workerExecutions(w.name).started);
				return ex.length === KILL_CALLS && ex.every((e) => e.status === 'running' && started.includes(e.id)) ? ex.map((e) => e.id) : null;
			});
			const held = (w) => ids.filter((id) => cluster.workerExecutions(w.name).started.includes(id));
			// prefer killing the worker that ran the long job's first part, if it also holds jobs
			const first = longExec.firstWorker === 'w1' ? w1 : w2;
			const other = first === w1 ? w2 : w1;
			victim = held(first).length ? first : other;
			survivor = victim === w1 ? w2 : w1;
			onVictim = held(victim);
			onSurvivor = held(survivor);
			assert.ok(onVictim.length > 0, 'no worker holds a waiting execution');
			return { note: `${victim.name} waits on executions ${onVictim.join(', ')}; ${survivor.name} on ${onSurvivor.join(', ') || 'none'}` };
		});
		await step(`SIGKILL ${victim.name} (and its task runner) mid-wait; a replacement worker starts at once, as a restart policy would`, async () => {
			await lib.sleep(3000); // a few polls into the wait
			await cluster.killWorker(victim.name);
			killedAt = Date.now();
			assert.ok(!lib.isAlive(victim.pid), `${victim.name} (pid ${victim.pid}) is still alive`);
			const r = await cluster.startWorker(`${victim.name}-restarted`, { userFolder: victim.userFolder });
			return { note: `killed pid ${victim.pid}; ${r.name} (pid ${r.pid}) ready ${secs(Date.now() - killedAt)} later` };
		});

		const killAnswers = await Promise.all(killCalls);
		const settledAt = Date.now();
		await check(`the executions on the surviving worker finish normally (${onSurvivor.length})`, async () => {
			const ok = killAnswers.map((r, i) => ({ r, p: killPrompts[i] })).filter(({ r }) => r.status === 200);
			const stats = await cluster.simStats();
			for (const { r, p } of ok) assertVideo(r, p, stats);
			assert.equal(ok.length, onSurvivor.length, `${ok.length} calls answered 200, ${onSurvivor.length} executions were on ${survivor.name}`);
			for (const id of onSurvivor) assert.equal((await cluster.executions(`id = ${Number(id)}`))[0].status, 'success');
		});
		const failedCalls = killAnswers.map((r, i) => ({ r, p: killPrompts[i] })).filter(({ r }) => r.status !== 200);
		let failNote = '';
		await check(`n8n does not retry the killed worker's executions: it marks them failed ("${'This execution failed to be processed too many times…'}") and answers their webhook calls with HTTP 500`, async () => {
			assert.equal(failedCalls.length, onVictim.length, `${failedCalls.length} calls failed, ${onVictim.length} executions were on ${victim.name}`);
			for (const { r } of failedCalls) {
				assert.equal(r.status, 500, `a killed execution's call answered ${r.status} ${r.error || ''} ${r.body.slice(0, 200)}`);
			}
			const bodies = [...new Set(failedCalls.map(({ r }) => r.body.toString()))];
			const delays = failedCalls.map(({ r }) => r.at - killedAt);
			const nodesLeft = [];
			for (const id of onVictim) {
				const [e] = await cluster.executions(`id = ${Number(id)}`);
				assert.equal(e.status, 'error', `execution ${id} is ${e.status}`);
				const d = await cluster.executionData(id);
				const msg = d && d.resultData && d.resultData.error && d.resultData.error.message;
				assert.match(String(msg), STALL_TEXT, `execution ${id}: ${msg}`);
				nodesLeft.push(Object.keys(d.resultData.runData || {}).length);
			}
			for (const w of cluster.workers.values()) {
				if (w === victim) continue;
				const again = onVictim.filter((id) => cluster.workerExecutions(w.name).started.includes(id));
				assert.deepEqual(again, [], `${w.name} re-ran the killed executions ${again.join(', ')}`);
			}
			failNote =
				`calls answered ${bodies.join(' | ')} ${secs(Math.min(...delays))}–${secs(Math.max(...delays))} after the kill; ` +
				`executions ${onVictim.join(', ')} stored as status "error", with ${nodesLeft.every((n) => n === 0) ? 'no node data left (n8n replaces it with the error)' : `node data of ${nodesLeft.join('/')} nodes`}`;
			return failNote;
		});
		await check("the workflow's error workflow (Error Trigger) is started for each failed execution", async () => {
			const errorRuns = async () => {
				const runs = [];
				for (const e of await cluster.executions(`"workflowId" = 'scaleErrorFlow01'`)) {
					const d = await cluster.executionData(e.id);
					const j = d && d.resultData.runData['Error Trigger'] ? d.resultData.runData['Error Trigger'][0].data.main[0][0].json : {};
					runs.push({ id: e.id, status: e.status, for: String(j.execution && j.execution.id), message: String(j.execution && j.execution.error && j.execution.error.message) });
				}
				return runs;
			};
			await waitFor('an error workflow run for every failed execution', async () => {
				const runs = await errorRuns();
				return onVictim.every((id) => runs.some((r) => r.for === id && r.status === 'success'));
			}, { timeoutMs: 60000, everyMs: 1000 });
			await lib.sleep(5000); // late duplicates, if any
			const runs = await errorRuns();
			const strays = runs.filter((r) => !onVictim.includes(r.for));
			assert.deepEqual(strays, [], 'error workflow runs for executions that did not fail');
			const byMessage = {};
			for (const r of runs) byMessage[r.message] = (byMessage[r.message] || 0) + 1;
			return `${runs.length} run(s) for executions ${onVictim.join(', ')}: ${Object.entries(byMessage).map(([m, n]) => `${n} × "${m.slice(0, 70)}"`).join('; ')}`;
		});
		await check('no job was submitted twice (simulator: submits per prompt), not even by the restarted worker', async () => {
			await lib.sleep(5000);
			const s = await cluster.simStats();
			const dup = Object.entries(s.submitsByPrompt).filter(([, n]) => n > 1);
			assert.deepEqual(dup, [], 'duplicate submits');
			const fresh = s.requestIds.filter((id) => !statsBeforeKill.requestIds.includes(id));
			assert.equal(fresh.length, KILL_CALLS + 1, `${fresh.length} jobs for ${KILL_CALLS} calls + 1 long job`);
			return `${fresh.length} submits for ${KILL_CALLS} calls + 1 long job`;
		});
		await check("the killed executions' jobs went on at GMI, and every one is recovered: Video → List finds it by prompt, Get Status (wait + download) returns its video", async () => {
			const list = await cluster.webhook('hailuo-scale-list', {});
			assert.equal(list.status, 200, `list: ${list.status}`);
			const records = JSON.parse(list.body.toString());
			const lost = failedCalls.map(({ p }) => p);
			const recovered = [];
			for (const p of lost) {
				const matches = records.filter((r) => r.payload && r.payload.prompt === p);
				assert.equal(matches.length, 1, `Video → List shows ${matches.length} jobs for "${p}"`);
				const res = await cluster.webhook('hailuo-scale-status', { requestId: matches[0].request_id }, { timeoutMs: 300000 });
				const stats = await cluster.simStats();
				assert.equal(assertVideo(res, p, stats), matches[0].request_id);
				recovered.push(matches[0].request_id);
			}
			const s = await cluster.simStats();
			const fresh = s.requestIds.filter((id) => !statsBeforeKill.requestIds.includes(id));
			const deliveredNow = killAnswers.filter((r) => r.status === 200).map((r) => r.headers['x-request-id']);
			const unaccounted = fresh.filter((id) => id !== longExec.requestId && !deliveredNow.includes(id) && !recovered.includes(id));
			assert.deepEqual(unaccounted, [], 'submitted jobs neither delivered nor recovered');
			return `${recovered.length} recovered, ${deliveredNow.length} delivered directly, lost 0`;
		});
		await check('the long job rode through the kill: each Wait parked it in PostgreSQL, Get Status timed out once and looped, then it finished on a live worker with its video', async () => {
			const done = await waitFor('the long job to finish', async () => {
				const [e] = await cluster.executions(`id = ${Number(longExec.id)}`);
				return ['success', 'error', 'crashed', 'canceled'].includes(e.status) ? e : null;
			}, { timeoutMs: 240000, everyMs: 1000 });
			assert.equal(done.status, 'success', `long job execution ${longExec.id} ended ${done.status}`);
			const d = await cluster.executionData(longExec.id);
			const runs = d.resultData.runData['Get Status'];
			assert.equal(runs.length, 2, `Get Status ran ${runs.length} time(s)`);
			const first = runs[0].data.main[0][0].json;
			assert.equal(first.timedOut, true, `first Get Status: ${JSON.stringify(first)}`);
			const item = runs[1].data.main[0][0];
			assert.equal(item.json.status, 'success');
			assert.equal(item.json.request_id, longExec.requestId);
			const bin = item.binary && item.binary.data;
			assert.ok(bin && /^video\//.test(bin.mimeType), `no video binary on the Get Status item: ${JSON.stringify(bin)}`);
			assert.ok(String(bin.id || '').startsWith('database:'), `binary stored as ${bin.id}, not in the database`);
			// the execution ran in three parts (Submit, then after each Wait); none after the kill on the dead worker
			const parts = [...cluster.workers.values()].flatMap((w) => cluster.workerExecutions(w.name).started.filter((id) => id === longExec.id).map(() => w.name));
			assert.equal(parts.length, 3, `parts run: ${parts.join(', ')}`);
			assert.ok(parts.filter((n) => n === victim.name).length <= (longExec.firstWorker === victim.name ? 1 : 0), `the dead worker ran a part: ${parts.join(', ')}`);
			const s = await cluster.simStats();
			assert.equal(s.submitsByPrompt[longPrompt], 1);
			const when = (await cluster.psql(`select extract(epoch from "stoppedAt") * 1000 from execution_entity where id = ${Number(longExec.id)}`)).trim();
			const resumed = [...parts];
			resumed.splice(resumed.indexOf(longExec.firstWorker), 1);
			return `first part on ${longExec.firstWorker}${longExec.firstWorker === victim.name ? ' (killed later)' : ''}, resumed parts on ${resumed.join(' and ')}; finished ${secs(Number(when) - killedAt)} after the kill; one submit`;
		});
		out(`  (worker killed at +${lib.fmtSecs(killedAt - T0)}; all its calls answered ${secs(settledAt - killedAt)} later)`);
	} catch (e) {
		if (!(e instanceof StepFailed)) {
			results.push({ name: 'scale run', ok: false, error: e });
			out(`  ✗ scale run aborted: ${e && e.stack ? e.stack : e}`);
		} else {
			out(`  (stopped after a failed setup step: ${e.message})`);
		}
	} finally {
		const alive = await cluster.stop();
		if (alive.length) {
			results.push({ name: 'every process stopped', ok: false });
			out(`  ✗ still alive after stop: ${alive.join(', ')}`);
		}
	}

	const failed = results.filter((r) => !r.ok);
	if (failed.length || keep) out(`logs and data kept in ${cluster.tmp}`);
	else fs.rmSync(cluster.tmp, { recursive: true, force: true });
	out(`test:scale finished in ${elapsed()}`);
	out(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length || !results.length ? 1 : 0);
}

main();
