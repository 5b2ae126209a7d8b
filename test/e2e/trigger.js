'use strict';
/**
 * The Hailuo Trigger in a running n8n (`n8n start`), as users run it: an ACTIVATED workflow with the
 * trigger, a second activated workflow (Webhook → Submit without waiting) called 5 times, and n8n
 * stopped and started again while jobs are still rendering. Every trigger run posts its items to a
 * local collector, which must end up with exactly one item per request id, with its real outcome.
 *
 * The trigger gets a GMI of its own (a second simulator) that makes polling hard: the job list
 * comes oldest first, every list page answers later than the poll interval (so cron ticks overlap
 * a running poll), the account holds finished jobs from before activation (never to be reported),
 * one job is listed `failed` while its own record says `success`, one is listed `success` long
 * before its own record is final.
 *
 * n8n refuses poll times finer than a minute, so the trigger gets six poll times, each once a minute
 * at its own second (custom cron `0 * * * * *`, `10 * * * * *`, …): a poll every 10 s.
 */
const fs = require('fs');
const path = require('path');
const http = require('http');
const assert = require('assert/strict');

const TRIGGER_TYPE = 'n8n-nodes-hailuo.hailuoTrigger';
const API = '/api/v1/ie/requestqueue/apikey';
const WEBHOOK_PATH = 'hailuo-trigger-e2e-submit';
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-pass-1' };
/**
 * Two jobs end before the restart, one while n8n is down, two after it. Job 2 fails; job 1 succeeds
 * though the list says `failed`; job 4 is listed `success` from the start, its own record only at 70 s.
 */
const PROMPTS = [
	'trigger e2e 1 #ms=1000 #listed-as=failed',
	'trigger e2e 2 #ms=2000 #fail',
	'trigger e2e 3 #ms=40000',
	'trigger e2e 4 #ms=70000 #listed-as=success',
	'trigger e2e 5 #ms=80000',
];
/** Every list page answers this late: longer than the 10 s between polls. */
const LIST_DELAY_MS = 11000;
/** Finished before activation, listed first (oldest first): never to be reported. */
const HISTORY_JOBS = 12;

function startCollector() {
	const received = [];
	let phase = 'before restart';
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			try {
				received.push({ ...JSON.parse(body), phase });
			} catch {
				received.push({ unreadable: body, phase });
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({ url: `http://127.0.0.1:${server.address().port}/collect`, received, setPhase: (p) => (phase = p), close: () => server.close() }),
		),
	);
}

function workflows(lib, collectorUrl) {
	const credentials = { gmiCloudApi: { id: lib.SIM_CREDENTIAL_ID, name: lib.SIM_CREDENTIAL_NAME } };
	const uuid = (n) => `7e1e0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
	const everyTenSeconds = [0, 10, 20, 30, 40, 50].map((s) => ({ mode: 'custom', cronExpression: `${s} * * * * *` }));
	const watch = {
		id: 'e2eTriggerWatch1',
		name: 'E2E: Hailuo Trigger → collector',
		active: false,
		nodes: [
			{
				id: uuid(1),
				name: 'Hailuo Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				credentials,
				parameters: {
					pollTimes: { item: everyTenSeconds },
					event: 'finished',
					model: { __rl: true, mode: 'list', value: '*', cachedResultName: 'Every Hailuo Model' },
				},
			},
			{
				id: uuid(2),
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: collectorUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ request_id: $json.request_id, status: $json.status, prompt: $json.payload.prompt, videoUrl: $json.videoUrl ?? null }) }}',
					options: {},
				},
			},
		],
		connections: { 'Hailuo Trigger': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	const submit = {
		id: 'e2eTriggerSubmit',
		name: 'E2E: Webhook → Submit without waiting',
		active: false,
		nodes: [
			{
				id: uuid(3),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: uuid(4),
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
			},
			{
				id: uuid(5),
				name: 'Start Video',
				type: lib.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				credentials,
				parameters: {
					resource: 'video',
					operation: 'submit',
					model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' },
					prompt: '={{ $json.body.prompt }}',
					waitUntilDone: false,
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Start Video', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	return [watch, submit];
}

async function waitFor(what, probe, { timeoutMs, everyMs = 500, sleep }) {
	const t0 = Date.now();
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** The track: its own user folder (a copy of the installed package) and its own `n8n start`. */
async function run({ check, step, out, lib, runtime, userFolderA, tmp }) {
	out(`Hailuo Trigger on n8n ${runtime.n8nVersion}: an activated workflow, 5 jobs from a second workflow, n8n restarted mid-way; list pages ${LIST_DELAY_MS / 1000} s late, oldest first`);
	const userFolder = path.join(tmp, `trigger-${runtime.n8nVersion}`);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.cpSync(path.join(userFolderA, '.n8n', 'nodes'), path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	const collector = await startCollector();
	const n8nLog = path.join(tmp, `n8n-trigger-${runtime.n8nVersion}.log`);
	const sim = await step("the trigger's own GMI simulator starts: list oldest first, pages late, finished history", async () => {
		const own = await lib.startSimulator({ logFile: path.join(tmp, `simulator-trigger-${runtime.n8nVersion}.log`) });
		const r = await lib.httpJson('POST', `${own.url}/__sim/list-behaviour`, { body: { order: 'oldest-first', delayMs: LIST_DELAY_MS } });
		assert.equal(r.status, 200, `list behaviour: ${r.status} ${r.text}`);
		for (let i = 0; i < HISTORY_JOBS; i++) {
			const h = await lib.httpJson('POST', `${own.url}${API}/requests`, {
				headers: { authorization: `Bearer ${own.apiKey}` },
				body: { model: 'Minimax-Hailuo-02', payload: { prompt: `trigger e2e history ${i} #ms=100` } },
			});
			assert.equal(h.status, 200, `history submit: ${h.status} ${h.text}`);
		}
		return own;
	});
	const port = await lib.freePort();
	const start = () => lib.startN8n(runtime, { userFolder, port, logFile: n8nLog, timeoutMs: 180000 });
	const sleep = lib.sleep;
	const listCalls = async () => (await lib.httpJson('GET', `${sim.url}/__sim/requests`)).json.filter((r) => r.method === 'GET' && /\/requests$/.test(r.path)).length;
	try {
		await step('trigger and submit workflows imported', async () => {
			await lib.importCredentials(runtime, userFolder, [lib.gmiCredential({ apiKey: sim.apiKey, baseUrl: sim.url })]);
			const file = path.join(userFolder, 'trigger-workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows(lib, collector.url)));
			await lib.importWorkflows(runtime, userFolder, [file]);
		});
		let n8n = await step(`n8n start on 127.0.0.1:${port}; both workflows activated as in the editor (POST /rest/workflows/:id/activate)`, async () => {
			const listsBefore = await listCalls();
			const started = await start();
			// n8n 1.x answers its readiness check before its REST routes are mounted.
			await waitFor("n8n's REST API", async () => (await lib.httpJson('GET', `${started.url}/rest/settings`)).status === 200, { timeoutMs: 90000, sleep });
			const { cookie } = await lib.setupOwner(started.url, OWNER);
			for (const id of ['e2eTriggerWatch1', 'e2eTriggerSubmit']) {
				const wf = await lib.httpJson('GET', `${started.url}/rest/workflows/${id}`, { cookie });
				assert.equal(wf.status, 200, `GET workflow ${id}: ${wf.status} ${wf.text.slice(0, 300)}`);
				const r = await lib.httpJson('POST', `${started.url}/rest/workflows/${id}/activate`, { cookie, body: { versionId: wf.json.data.versionId }, timeoutMs: 120000 });
				assert.equal(r.status, 200, `activate ${id}: ${r.status} ${r.text.slice(0, 500)}`);
				assert.equal(r.json.data.active, true, `${id} is not active`);
			}
			// n8n applies a publication asynchronously: wait for the webhook and for the trigger's first poll.
			await waitFor('the submit webhook to be registered', async () => /Did you mean to make a POST request/.test((await lib.httpJson('GET', `${started.url}/webhook/${WEBHOOK_PATH}`)).text), { timeoutMs: 90000, sleep });
			await waitFor("the trigger's first poll (GET /requests)", async () => (await listCalls()) > listsBefore, { timeoutMs: 90000, sleep });
			return started;
		});
		const before = new Set((await lib.httpJson('GET', `${sim.url}/__sim/stats`)).json.requestIds);
		const ids = await step('the second workflow submits 5 jobs without waiting (5 webhook calls)', async () => {
			const answers = [];
			for (const prompt of PROMPTS) answers.push(await lib.httpJson('POST', `${n8n.url}/webhook/${WEBHOOK_PATH}`, { body: { prompt }, timeoutMs: 60000 }));
			for (const a of answers) assert.equal(a.status, 200, `webhook answered ${a.status}: ${a.text.slice(0, 300)}`);
			const got = answers.map((a) => a.json.request_id);
			assert.equal(new Set(got).size, 5, `request ids: ${JSON.stringify(got)}`);
			const stats = (await lib.httpJson('GET', `${sim.url}/__sim/stats`)).json;
			assert.deepEqual(stats.requestIds.filter((id) => !before.has(id)).sort(), [...got].sort(), 'the simulator issued other ids');
			return got;
		});
		const t0 = Date.now();
		await check('before the restart: the 2 quick jobs reach the trigger workflow', async () => {
			await waitFor('2 trigger items', async () => collector.received.length >= 2, { timeoutMs: 60000, sleep });
			assert.deepEqual(collector.received.map((r) => r.request_id).sort(), ids.slice(0, 2).sort());
		});
		await step('n8n stops (SIGTERM) while 3 jobs are still rendering', async () => {
			await lib.stopProcess(n8n.child, { graceMs: 20000 });
			assert.ok(n8n.child.exitInfo, 'n8n did not exit');
			collector.setPhase('after restart');
		});
		// Job 3 ends while n8n is down.
		await sleep(Math.max(0, 45000 - (Date.now() - t0)));
		n8n = await step('n8n starts again on the same database and reactivates both', async () => {
			const listsBefore = await listCalls();
			const started = await start();
			await waitFor('the submit webhook to be registered again', async () => /Did you mean to make a POST request/.test((await lib.httpJson('GET', `${started.url}/webhook/${WEBHOOK_PATH}`)).text), { timeoutMs: 90000, sleep });
			await waitFor("the trigger's first poll after the restart", async () => (await listCalls()) > listsBefore, { timeoutMs: 90000, sleep });
			return started;
		});
		await check('after the restart: exactly 5 trigger items in total, one per request id', async () => {
			await waitFor('5 trigger items', async () => collector.received.length >= 5, { timeoutMs: 150000, sleep });
			// Three more polls: any duplicate would arrive now.
			await sleep(30000);
			const got = collector.received.map((r) => r.request_id);
			assert.deepEqual([...got].sort(), [...ids].sort(), `items: ${JSON.stringify(collector.received)}`);
			const byId = Object.fromEntries(collector.received.map((r) => [r.request_id, r]));
			assert.equal(byId[ids[1]].status, 'failed');
			assert.equal(byId[ids[1]].videoUrl, null);
			// Job 1 listed `failed`, job 4 listed `success` early: both as their own records say, with their videos.
			for (const id of [ids[0], ids[2], ids[3], ids[4]]) {
				assert.equal(byId[id].status, 'success', `${byId[id].prompt}: ${byId[id].status}`);
				assert.match(String(byId[id].videoUrl), new RegExp(`/videos/${id}/sample_0\\.mp4$`));
			}
			const after = collector.received.filter((r) => r.phase === 'after restart').map((r) => r.request_id);
			assert.deepEqual([...after].sort(), ids.slice(2).sort(), 'the jobs reported after the restart');
			out(`      (5 items: ${collector.received.map((r) => `${r.prompt.split(' #')[0]} → ${r.status}, ${r.phase}`).join('; ')})`);
		});
		await check('n8n logged no error about the trigger', async () => {
			const bad = fs.readFileSync(n8nLog, 'utf8').split('\n').filter((l) => /\| error\s*\|/.test(l) && /hailuo/i.test(l.split(tmp).join('')));
			assert.deepEqual(bad, []);
		});
		await check('trigger polls never overlapped, though ticks came every 10 s and a list page took 11 s', async () => {
			const lists = (await lib.httpJson('GET', `${sim.url}/__sim/requests`)).json.filter((r) => r.method === 'GET' && /\/requests$/.test(r.path));
			const gaps = lists.slice(1).map((r, i) => r.at - lists[i].at);
			// A poll waits LIST_DELAY_MS for its page; a tick meanwhile waits for it instead of listing too.
			assert.ok(gaps.length >= 3, `only ${lists.length} list requests`);
			assert.ok(Math.min(...gaps) >= LIST_DELAY_MS - 1000, `list requests ${JSON.stringify(gaps)} ms apart: polls overlapped`);
		});
		await lib.stopProcess(n8n.child);
	} finally {
		collector.close();
	}
}

module.exports = { run };
