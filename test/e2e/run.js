#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: the packed package inside a real, pinned n8n.
 *
 *  1. installs (once per n8n version, cached) n8n + Node 24, builds and `npm pack`s this package and
 *     installs the tarball into a temporary n8n user folder per version as users do (`--omit=peer`);
 *  2. headless, on every tested n8n version (2.x, then the newest 1.x): starts the GMI simulator,
 *     imports a gmiCloudApi credential pointing at it, imports the e2e workflows (test/e2e/workflows)
 *     and the examples (examples/*.json), runs each with `n8n execute --id … --rawOutput` and asserts
 *     on the parsed result;
 *  3. editor, on n8n 2.x: `n8n start` on 127.0.0.1 (a second user folder with the same installed
 *     package, so it runs beside step 2), creates the owner through REST, signs in and checks the node
 *     in headless Chromium (Debian's chromium + playwright-core), saving screenshots into docs/images/.
 *
 * Prints each case, a `passed/failed` line per n8n version and a final `N passed, M failed` line;
 * exits non-zero on any failure. Every process it started is stopped by PID, also when an
 * assertion fails.
 *
 * Environment: HAILUO_N8N_CACHE (runtime cache), HAILUO_SKIP_BUILD=1 (pack dist/ as it is),
 * HAILUO_E2E_KEEP=1 (keep the temporary folder), HAILUO_E2E_ONLY=<regexp> (run matching cases),
 * HAILUO_E2E_NO_BROWSER=1 (headless part only), HAILUO_E2E_N8N=<version,…> (the n8n versions to run
 * headless, default every tested one), CHROMIUM_PATH (default /usr/bin/chromium).
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const zlib = require('zlib');
const assert = require('assert/strict');
const lib = require('../../scripts/lib/n8n-runtime');
const browserChecks = require('./browser');
const triggerChecks = require('./trigger');
const triggerBrowserChecks = require('./browserTrigger');
const fakeOpenAi = require('./fakeOpenAi');

const PROJECT = lib.PROJECT_DIR;
const WORKFLOW_DIR = path.join(__dirname, 'workflows');
const IMAGES_DIR = path.join(PROJECT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ONLY = process.env.HAILUO_E2E_ONLY ? new RegExp(process.env.HAILUO_E2E_ONLY, 'i') : null;
const API = '/api/v1/ie/requestqueue/apikey';
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-pass-1' };
/** The first one also runs the editor checks. */
const N8N_VERSIONS = process.env.HAILUO_E2E_N8N ? process.env.HAILUO_E2E_N8N.split(',') : lib.TESTED_N8N_VERSIONS;

const T0 = Date.now();
const results = [];
const elapsed = () => lib.fmtSecs(Date.now() - T0);

class StepFailed extends Error {}

/**
 * A track of cases with its own output: the headless track prints as it goes, the editor track
 * (running at the same time) is held back and printed after it, so the log reads in order.
 */
function makeTrack({ live, n8nVersion = N8N_VERSIONS[0] }) {
	let buffer = [];
	let isLive = live;
	const out = (m) => {
		if (isLive) process.stdout.write(`${m}\n`);
		else buffer.push(m);
	};
	async function check(name, fn) {
		if (ONLY && !ONLY.test(name)) return;
		const t = Date.now();
		try {
			await fn();
			results.push({ name, n8nVersion, ok: true });
			out(`  ✓ ${name} (${lib.fmtSecs(Date.now() - t)})`);
		} catch (e) {
			results.push({ name, n8nVersion, ok: false, error: e });
			out(`  ✗ ${name} (${lib.fmtSecs(Date.now() - t)})`);
			const text = e instanceof assert.AssertionError || !e || !e.stack ? (e && e.message) || String(e) : e.stack;
			out(
				String(text)
					.split('\n')
					.slice(0, 30)
					.map((l) => `      ${l}`)
					.join('\n'),
			);
		}
	}
	/** A setup step: failing it fails the case and stops the track. */
	async function step(name, fn) {
		let value;
		let ok = false;
		await check(name, async () => {
			value = await fn();
			ok = true;
		});
		if (!ok && !(ONLY && !ONLY.test(name))) throw new StepFailed(name);
		if (!ok) value = await fn(); // filtered out by HAILUO_E2E_ONLY: still needed
		return value;
	}
	function goLive() {
		isLive = true;
		for (const m of buffer) process.stdout.write(`${m}\n`);
		buffer = [];
	}
	return { out, check, step, goLive };
}

async function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (process.getuid && process.getuid() === 0 && CHROMIUM === '/usr/bin/chromium') {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const lock = ['-o', 'DPkg::Lock::Timeout=300'];
		await lib.runCapture('apt-get', ['update', '-q', ...lock], { env, timeoutMs: 300000, name: 'apt-get update' });
		const r = await lib.runCapture('apt-get', ['install', '-y', '-q', ...lock, 'chromium'], {
			env,
			timeoutMs: 600000,
			name: 'apt-get install',
		});
		if (r.code !== 0) throw new Error(`apt-get install chromium failed:\n${lib.lastLines(r.stdout + r.stderr, 20)}`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`);
	return CHROMIUM;
}

/** A 640×360 PNG (a gradient), served locally in place of the examples' internet images. */
function makePng(width = 640, height = 360) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (buf) => {
		let c = 0xffffffff;
		for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const td = Buffer.concat([Buffer.from(type), data]);
		const c = Buffer.alloc(4);
		c.writeUInt32BE(crc(td));
		return Buffer.concat([len, td, c]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		for (let x = 0; x < width; x++) {
			raw[row + 1 + x * 3] = Math.round((255 * x) / width);
			raw[row + 2 + x * 3] = Math.round((255 * y) / height);
			raw[row + 3 + x * 3] = 160;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

function startImageServer() {
	const png = makePng();
	const server = http.createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
		res.end(req.method === 'HEAD' ? undefined : png);
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/first-frame.png`, server, bytes: png.length })),
	);
}

const isLocalUrl = (u) => /^https?:\/\/(127\.0\.0\.1|localhost)([:/]|$)/.test(String(u));

/**
 * Example workflows as the e2e runs them: given a stable id when they have none, internet URLs of
 * HTTP Request nodes pointed at a local image, poll intervals shortened to 1 s (the simulator's jobs
 * finish in well under a second). Each change is listed in `changes`.
 */
function exampleWorkflows(tmpDir, imageUrl) {
	return lib
		.exampleFiles()
		.map((file, i) => {
			const f = path.basename(file);
			const w = JSON.parse(fs.readFileSync(file, 'utf8'));
			const changes = [];
			if (!w.id) {
				w.id = `example${String(i + 1).padStart(3, '0')}${f.replace(/[^A-Za-z0-9]/g, '').slice(0, 10)}`;
				changes.push(`id ${w.id}`);
			}
			for (const n of w.nodes || []) {
				const p = n.parameters || {};
				if (n.type === 'n8n-nodes-base.httpRequest' && typeof p.url === 'string' && !p.url.startsWith('=') && !isLocalUrl(p.url)) {
					changes.push(`"${n.name}" fetches a local image instead of ${p.url}`);
					p.url = imageUrl;
				}
				if (n.type === lib.NODE_TYPE && typeof p.pollInterval === 'number' && p.pollInterval > 1) {
					changes.push(`"${n.name}" polls every 1 s instead of ${p.pollInterval} s`);
					p.pollInterval = 1;
				}
			}
			const target = path.join(tmpDir, `example-${f}`);
			fs.writeFileSync(target, JSON.stringify(w));
			return { file: f, path: target, workflow: w, changes };
		});
}

function errorText(res) {
	const parts = [];
	const add = (e) => {
		if (!e) return;
		for (const k of ['message', 'description']) if (e[k]) parts.push(String(e[k]));
	};
	add(res.error);
	add(res.nodeError);
	return parts.join(' | ') || lib.lastLines(`${res.stdout}\n${res.stderr}`, 15);
}

function describeRun(res) {
	return `exit ${res.code}${res.signal ? ` (killed by ${res.signal})` : ''}${res.timedOut ? ' (timed out)' : ''}, node ${res.node || '?'}, ${res.items ? res.items.length : 0} item(s), error: ${
		res.error || res.nodeError ? errorText(res) : 'none'
	}\n--- stdout (tail) ---\n${lib.lastLines(res.stdout, 25)}\n--- stderr (tail) ---\n${lib.lastLines(res.stderr, 10)}`;
}

function binarySize(bin) {
	if (!bin) return undefined;
	if (typeof bin.bytes === 'number') return bin.bytes;
	if (typeof bin.data === 'string' && bin.data.length && !bin.id) return Buffer.from(bin.data, 'base64').length;
	return undefined;
}

/** n8n's own `openAiApi` credential, its Base URL pointing at the local fake (test/e2e/fakeOpenAi.js). */
function openAiCredential(openAi) {
	return { id: 'e2eFakeOpenAi001', name: 'OpenAI (local fake)', type: 'openAiApi', data: { apiKey: 'sk-e2e-fake', organizationId: '', url: openAi.baseUrl, header: false } };
}

/** The items a node used as an AI tool put into its run data (`ai_tool`, else `main`), of its last run. */
function toolRunItems(res, nodeName) {
	const runs = (res.runData && res.runData[nodeName]) || [];
	const data = runs.length ? runs[runs.length - 1].data || {} : {};
	return ((data.ai_tool || data.main || [])[0] || []).map((i) => i.json);
}

/** Headless: import and `n8n execute` each workflow against the simulator. */
async function headlessTrack({ track, runtime, userFolder, sim, tmp, imageUrl, openAi, installedP }) {
	const { check, step, out } = track;
	const e2eFiles = fs
		.readdirSync(WORKFLOW_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(WORKFLOW_DIR, f));
	const examples = exampleWorkflows(tmp, imageUrl);
	// the imports need no node types: they run while the package is still being built and installed
	const noPackages = { env: { N8N_COMMUNITY_PACKAGES_ENABLED: 'false' } };
	await step(`credential and ${e2eFiles.length} e2e + ${examples.length} example workflow(s) import`, async () => {
		await lib.importCredentials(runtime, userFolder, [lib.gmiCredential({ apiKey: sim.apiKey, baseUrl: sim.url }), openAiCredential(openAi)], noPackages);
		const r = await lib.importWorkflows(runtime, userFolder, [...e2eFiles, ...examples.map((e) => e.path)], noPackages);
		assert.match(r.stdout + r.stderr, new RegExp(`Successfully imported ${e2eFiles.length + examples.length} workflow`));
	});
	await installedP;

	out(`headless executions on n8n ${runtime.n8nVersion} (n8n execute --id … --rawOutput) [${elapsed()}]`);
	const run = (id, opts) => lib.executeWorkflow(runtime, userFolder, id, opts);
	const simStats = async () => (await lib.httpJson('GET', `${sim.url}/__sim/stats`)).json;
	const simRequests = async () => (await lib.httpJson('GET', `${sim.url}/__sim/requests`)).json;

	await check('Model → List: one item per model id', async () => {
		const res = await run('e2eModelList0001');
		assert.ok(res.ok, describeRun(res));
		const models = await lib.httpJson('GET', `${sim.url}${API}/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		assert.deepEqual(
			res.items.map((i) => i.json.id),
			models.json.model_ids,
			'item ids differ from GET /models',
		);
	});

	await check('Submit without waiting: one item with request_id, logged by n8n', async () => {
		const before = await simStats();
		const res = await run('e2eSubmitNoWait1');
		assert.ok(res.ok, describeRun(res));
		assert.equal(res.items.length, 1);
		const rec = res.items[0].json;
		assert.equal(typeof rec.request_id, 'string', `no request_id in ${JSON.stringify(rec)}`);
		const after = await simStats();
		assert.equal(after.submits - before.submits, 1, 'exactly one submit');
		assert.ok(after.requestIds.includes(rec.request_id), 'request_id issued by the simulator');
		const req = (await simRequests()).filter((r) => r.server === 'api' && r.method === 'POST' && /\/requests$/.test(r.path)).pop();
		assert.ok(req, 'the simulator recorded no POST /requests');
		assert.equal(req.headers.authorization, `Bearer ${sim.apiKey}`);
		assert.equal(req.body.model, 'Minimax-Hailuo-02');
		assert.match(req.body.payload.prompt, /\[Pan left\]/, 'camera tag appended to the prompt');
		assert.equal(req.body.payload.duration, 6);
		assert.equal(req.body.payload.resolution, '768P');
		// The id must survive in n8n's log even when an execution's data is lost (a killed worker).
		assert.match(`${res.stdout}\n${res.stderr}`, new RegExp(`Hailuo: GMI accepted video request ${rec.request_id}`), 'n8n logged the accepted request id');
	});

	await check('Submit with wait + download: success, videoUrl, binary of the right size', async () => {
		const res = await run('e2eSubmitWaitDl1');
		assert.ok(res.ok, describeRun(res));
		assert.equal(res.items.length, 1);
		const item = res.items[0];
		assert.equal(item.json.status, 'success', JSON.stringify(item.json));
		assert.equal(typeof item.json.videoUrl, 'string', `no videoUrl in ${JSON.stringify(item.json)}`);
		assert.ok(item.binary && item.binary.data, `no binary "data" (keys: ${Object.keys(item.binary || {})})`);
		assert.match(item.binary.data.mimeType, /^video\//);
		const size = binarySize(item.binary.data);
		assert.equal(size, 123457, `binary size ${size} (binary: ${JSON.stringify({ ...item.binary.data, data: undefined })})`);
		assert.equal((await simStats()).filesRequestsWithAuth, 0, 'the API key was sent to the file host');
	});

	await check('Retry On Fail: a download that fails twice is retried by n8n, and the job GMI accepted is resumed, never submitted again', async () => {
		const before = await simStats();
		const since = Date.now();
		await lib.httpJson('POST', `${sim.url}/__sim/faults`, { body: { server: 'files', kind: 'status', status: 404, path: '/videos/', times: 2 } });
		const res = await run('e2eRetryOnFail01');
		assert.ok(res.ok, describeRun(res));
		assert.equal(res.items.length, 1);
		assert.equal(res.items[0].json.status, 'success', JSON.stringify(res.items[0].json));
		assert.ok(res.items[0].binary && res.items[0].binary.data, 'no video after the retries');
		const after = await simStats();
		assert.equal(after.submits - before.submits, 1, 'exactly one submit over three tries');
		const downloads = (await simRequests()).filter((r) => r.server === 'files' && r.method === 'GET' && r.path.startsWith('/videos/') && r.at >= since);
		assert.equal(downloads.length, 3, `${downloads.length} downloads (two refused, one served)`);
	});

	await check('batch of 3 items with wait: 3 finished videos, in order', async () => {
		const before = await simStats();
		const res = await run('e2eBatchWait0001', { nodeName: 'Generate Videos' });
		assert.ok(res.ok, describeRun(res));
		assert.equal(res.items.length, 3);
		res.items.forEach((it, i) => {
			assert.equal(it.json.status, 'success', `item ${i}: ${JSON.stringify(it.json)}`);
			assert.ok(it.json.videoUrl, `item ${i} has no videoUrl`);
			assert.match(String(it.json.prompt), new RegExp(`batch ${i + 1}`), 'Simplify keeps the prompt beside the job');
		});
		assert.equal(new Set(res.items.map((i) => i.json.request_id)).size, 3, 'three distinct jobs');
		assert.equal((await simStats()).submits - before.submits, 3, 'exactly three submits');
	});

	await check('rule violation (10 s + 1080P by expression) fails naming resolution, nothing submitted', async () => {
		const before = await simStats();
		const res = await run('e2eRuleViolate01');
		assert.ok(!res.ok, `the workflow succeeded: ${describeRun(res)}`);
		assert.ok(res.data, `no JSON result parsed: ${describeRun(res)}`);
		const text = errorText(res);
		assert.match(text, /resolution/i, `error does not name the field: ${text}`);
		assert.match(text, /1080P/, `error does not name the value: ${text}`);
		assert.equal((await simStats()).submits, before.submits, 'a request was submitted anyway');
	});

	await check('failed job (#fail) fails naming the request id', async () => {
		const before = await simStats();
		const res = await run('e2eFailedJob0001');
		assert.ok(!res.ok, `the workflow succeeded: ${describeRun(res)}`);
		const after = await simStats();
		const newIds = after.requestIds.filter((id) => !before.requestIds.includes(id));
		assert.equal(newIds.length, 1, `expected one new job, got ${newIds.length}`);
		const text = errorText(res);
		assert.ok(text.includes(newIds[0]), `error does not name request ${newIds[0]}: ${text}`);
		assert.match(text, /fail/i);
	});

	await check('Submit, then Get Status with wait: success', async () => {
		const res = await run('e2eSubmitStatus1', { nodeName: 'Get Status' });
		assert.ok(res.ok, describeRun(res));
		assert.equal(res.items.length, 1);
		assert.equal(res.items[0].json.status, 'success', JSON.stringify(res.items[0].json));
		const submitted = res.runData['Submit Video'][0].data.main[0][0].json;
		assert.equal(res.items[0].json.request_id, submitted.request_id);
	});

	/*
	 * The Hailuo node as an AI Agent tool (`n8n-nodes-hailuo.hailuoTool`). n8n has two ways to run a
	 * tool: Agent 3 hands each tool call back to the engine, which runs the tool node like any node
	 * (WorkflowExecute.runNode: a custom operation when the type has one, else `execute`); Agent 2.x
	 * calls the LangChain tool n8n built from the node, whose invocation (makeHandleToolInvocation)
	 * calls the type's `execute`, for a declarative node the RoutingNode n8n assigns. The model is a
	 * local fake that calls the tool named in the prompt, then quotes the tool's answer.
	 */
	const agentSubmit = (title, id, toolPath) =>
		check(`${title} calls Hailuo Video → Submit (Wait Until Done) as a tool: one submit with the model's prompt, waited for, request id and video URL in the answer`, async () => {
			const simBefore = (await simRequests()).length;
			const statsBefore = await simStats();
			const chatBefore = openAi.requests().length;
			const res = await run(id, { nodeName: 'AI Agent' });
			const chats = openAi.requests().slice(chatBefore);
			const chatLog = () => `\n--- chat completions ---\n${chats.map((c, i) => `${i + 1}. ${JSON.stringify(c.reply)}`).join('\n')}`;
			assert.ok(res.ok, describeRun(res) + chatLog());
			assert.equal(chats.length, 2, `the agent asked the model ${chats.length} time(s), expected 2 (tool call, answer)${chatLog()}`);
			assert.ok(chats[0].reply.toolCall, `the model was not offered Generate_Video${chatLog()}`);
			const { prompt } = JSON.parse(chats[0].reply.toolCall.arguments);

			const statsAfter = await simStats();
			const reqs = (await simRequests()).slice(simBefore).filter((r) => r.server === 'api');
			const toolItems = toolRunItems(res, 'Generate Video');
			const toolText = JSON.stringify(toolItems);
			const seen = () => `\n--- GMI requests ---\n${reqs.map((r) => `${r.method} ${r.path}`).join('\n')}\n--- tool output ---\n${toolText.slice(0, 600)}`;
			assert.equal(statsAfter.submits - statsBefore.submits, 1, `exactly one submit${seen()}`);
			const newIds = statsAfter.requestIds.filter((r) => !statsBefore.requestIds.includes(r));
			const requestId = newIds[0];
			const submit = reqs.find((r) => r.method === 'POST' && /\/requests$/.test(r.path));
			assert.equal(submit.body.payload.prompt, prompt, "GMI got the prompt from the model's tool call");
			// asked for by its id or in a list of jobs: the node may do either while it waits
			assert.ok(reqs.some((r) => r.method === 'GET' && (r.path.includes(requestId) || /\/requests$/.test(r.path))), `the job was never asked for${seen()}`);
			assert.equal(statsAfter.statuses[requestId], 'success', 'the job finished');

			// which of n8n's two tool paths ran: the LangChain tool logs its answer as `{ response }`, the engine the node's items
			const toolRun = res.runData['Generate Video'].at(-1);
			const path = toolItems.length === 1 && 'response' in toolItems[0] ? 'langchain' : toolRun.metadata && toolRun.metadata.preserveSourceOverwrite ? 'engine' : 'unknown';
			assert.equal(path, toolPath, `n8n ran the tool by another path than this case is for: ${JSON.stringify(toolRun).slice(0, 300)}`);
			assert.match(toolText, /\\?"status\\?":\\?"success/, `the tool did not wait for the job: ${toolText.slice(0, 400)}`);
			assert.ok(toolText.includes(requestId), `the tool's output does not name ${requestId}: ${toolText.slice(0, 400)}`);
			const videoUrl = (/"videoUrl\\?":\\?"([^"\\]+)/.exec(toolText) || [])[1];
			assert.ok(videoUrl, `no videoUrl in the tool's output: ${toolText.slice(0, 400)}`);
			const toolMessage = (chats[1].body.messages || []).filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content)).join('\n');
			assert.ok(toolMessage.includes(requestId) && toolMessage.includes(videoUrl), `the model was not given the request id and video URL: ${toolMessage.slice(0, 400)}`);
			assert.equal(res.items.length, 1);
			const answer = String(res.items[0].json.output);
			assert.ok(answer.includes(requestId), `the agent's answer does not name ${requestId}: ${answer.slice(0, 400)}`);
			assert.ok(answer.includes(videoUrl), `the agent's answer has no ${videoUrl}: ${answer.slice(0, 400)}`);
		});
	await agentSubmit('AI Agent 3 (the engine runs the tool node)', 'e2eAgentSubmit01', 'engine');
	await agentSubmit('AI Agent 2.2 (LangChain tool → execute)', 'e2eAgentSubmit02', 'langchain');

	await check('AI Agent 3 calls Hailuo Model → List as a tool: every model id reaches the answer', async () => {
		const chatBefore = openAi.requests().length;
		const res = await run('e2eAgentModels01', { nodeName: 'AI Agent' });
		const chats = openAi.requests().slice(chatBefore);
		assert.ok(res.ok, `${describeRun(res)}\n--- chat completions ---\n${chats.map((c) => JSON.stringify(c.reply)).join('\n')}`);
		assert.equal(chats.length, 2, `the agent asked the model ${chats.length} time(s), expected 2`);
		assert.ok(chats[0].reply.toolCall, `the model was not offered List_Models: ${JSON.stringify(chats[0].reply)}`);
		const models = await lib.httpJson('GET', `${sim.url}${API}/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		const answer = String(res.items[0].json.output);
		for (const id of models.json.model_ids) assert.ok(answer.includes(id), `the answer does not name model ${id}: ${answer.slice(0, 400)}`);
	});

	for (const ex of examples) {
		const w = ex.workflow;
		if (!(w.nodes || []).some((n) => n.type === 'n8n-nodes-base.manualTrigger')) {
			out(`  - example ${ex.file}: no manual trigger, imported only`);
			continue;
		}
		await check(`example ${ex.file} runs successfully against the simulator`, async () => {
			if (ex.changes.length) out(`      (run with: ${ex.changes.join('; ')})`);
			const hailuo = (w.nodes || []).filter((n) => n.type === lib.NODE_TYPE);
			assert.ok(hailuo.length, 'no Hailuo node in the example');
			for (const n of hailuo) {
				const c = n.credentials && n.credentials[lib.CREDENTIAL_TYPE];
				assert.ok(c && c.id === lib.SIM_CREDENTIAL_ID, `node "${n.name}" does not use credential id ${lib.SIM_CREDENTIAL_ID}`);
			}
			const before = (await simRequests()).length;
			const res = await run(w.id);
			assert.ok(res.ok, describeRun(res));
			const hailuoRan = hailuo.filter((n) => res.runData && res.runData[n.name]);
			assert.equal(hailuoRan.length, hailuo.length, `Hailuo nodes that did not run: ${hailuo.filter((n) => !hailuoRan.includes(n)).map((n) => n.name)}`);
			const binaryFrame = hailuo.some((n) => n.parameters && n.parameters.firstFrame === 'binary');
			if (binaryFrame) {
				const reqs = (await simRequests()).slice(before);
				const puts = reqs.filter((r) => r.server === 'files' && r.method === 'PUT');
				const viaUpload = reqs.some((r) => r.server === 'api' && /\/upload-url$/.test(r.path));
				const inline = reqs.some((r) => r.method === 'POST' && /\/requests$/.test(r.path) && /^data:image\//.test(String(r.body?.payload?.first_frame_image)));
				assert.ok((viaUpload && puts.length) || inline, 'the binary first frame reached GMI neither by upload nor inline');
			}
		});
	}
}

/** Editor: `n8n start` with the installed package and the checks in headless Chromium. */
async function editorTrack({ track, runtime, userFolderA, tmp, sim, chromiumP }) {
	const { check, step, out } = track;
	out(`the editor in headless Chromium (ran beside the headless executions)`);
	const userFolder = path.join(tmp, 'editor');
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.cpSync(path.join(userFolderA, '.n8n', 'nodes'), path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	const port = await lib.freePort();
	const n8nLog = path.join(tmp, 'n8n.log');
	const n8n = await step(`n8n start on 127.0.0.1:${port} gets ready`, () =>
		lib.startN8n(runtime, { userFolder, port, logFile: n8nLog, env: { N8N_LOG_LEVEL: 'debug' }, timeoutMs: 180000 }),
	);
	await check('n8n loads the community package without errors', async () => {
		const text = fs.readFileSync(n8nLog, 'utf8');
		assert.match(text, /Loaded all credentials and nodes from n8n-nodes-hailuo \{"credentials":1,"nodes":2/);
		// the cache and temp folders hold "hailuo" in their names: only the package itself counts
		const ours = (l) => /hailuo|gmiCloud/i.test(l.split(lib.cacheRoot()).join('').split(tmp).join(''));
		const bad = text.split('\n').filter((l) => /\| (error|warn)\s*\|/.test(l) && ours(l));
		assert.deepEqual(bad, [], 'n8n logged errors or warnings about the package');
	});
	const auth = await step('owner setup through the REST API', () => lib.setupOwner(n8n.url, OWNER));
	await check('node and credential types are served to the editor', async () => {
		const types = await lib.httpJson('GET', `${n8n.url}/types/nodes.json`, { cookie: auth.cookie });
		assert.equal(types.status, 200);
		const t = types.json.find((x) => x.name === lib.NODE_TYPE);
		assert.ok(t, `${lib.NODE_TYPE} not in /types/nodes.json`);
		assert.equal(t.displayName, 'Hailuo');
		assert.ok(t.iconUrl || t.icon, 'node has no icon');
		const creds = await lib.httpJson('GET', `${n8n.url}/types/credentials.json`, { cookie: auth.cookie });
		const c = creds.json.find((x) => x.name === lib.CREDENTIAL_TYPE);
		assert.ok(c, `${lib.CREDENTIAL_TYPE} not in /types/credentials.json`);
		const fields = c.properties.map((p) => p.name);
		for (const f of ['apiKey', 'organizationId', 'baseUrl']) assert.ok(fields.includes(f), `credential field ${f} missing`);
	});
	const credential = await step('a GMI Cloud API credential is created (POST /rest/credentials)', async () => {
		const body = { name: lib.SIM_CREDENTIAL_NAME, type: lib.CREDENTIAL_TYPE, data: { apiKey: sim.apiKey, organizationId: '', baseUrl: sim.url } };
		const r = await lib.httpJson('POST', `${n8n.url}/rest/credentials`, { cookie: auth.cookie, body });
		assert.equal(r.status, 200, `POST /rest/credentials: ${r.status} ${r.text.slice(0, 300)}`);
		return { id: r.json.data.id, name: r.json.data.name };
	});
	const chromium = await step('Debian chromium is available', () => chromiumP);
	await browserChecks.run({
		check,
		step,
		chromium,
		n8nUrl: n8n.url,
		cookie: auth.cookie,
		credential,
		imagesDir: IMAGES_DIR,
		workDir: tmp,
		lib,
		out,
	});
	await triggerBrowserChecks.run({ check, step, chromium, n8nUrl: n8n.url, cookie: auth.cookie, imagesDir: IMAGES_DIR, lib });
	await lib.stopProcess(n8n.child);
}

async function main() {
	lib.installExitHandlers({ log: (m) => process.stdout.write(`${m}\n`) });
	const keep = !!process.env.HAILUO_E2E_KEEP;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hailuo-e2e-'));
	const userFolders = N8N_VERSIONS.map((v) => path.join(tmp, `user-${v}`));
	for (const f of userFolders) fs.mkdirSync(f, { recursive: true });
	const userFolder = userFolders[0];
	const main = makeTrack({ live: true, n8nVersion: null });
	main.out(`e2e: n8n ${N8N_VERSIONS.join(' and ')} on Node ${lib.NODE_VERSION}; work folder ${tmp}`);

	let imageServer;
	let openAi;
	try {
		// --- setup, in parallel where it can be -------------------------------------------------
		for (const v of N8N_VERSIONS) if (!lib.runtimeIsComplete(v)) main.out(`  … first run: installing n8n ${v} into ${lib.cacheRoot()} (several minutes, once)`);
		// one install at a time: each is CPU- and disk-heavy
		const runtimePs = [];
		for (const v of N8N_VERSIONS) {
			const previous = runtimePs[runtimePs.length - 1] || Promise.resolve();
			runtimePs.push(previous.catch(() => {}).then(() => lib.ensureRuntime({ n8nVersion: v, log: (m) => main.out(m.replace(/^/gm, '  ')) })));
		}
		const runtimeP = runtimePs[0];
		for (const p of runtimePs) p.catch(() => {});
		const chromiumP = process.env.HAILUO_E2E_NO_BROWSER ? Promise.resolve(null) : ensureChromium();
		chromiumP.catch(() => {});
		runtimeP.catch(() => {});
		imageServer = await startImageServer();
		openAi = await fakeOpenAi.start();

		const installedP = (async () => {
			const pack = await main.step('package builds and packs (npm run build, npm pack)', async () => {
				const p = await lib.buildAndPack({ destDir: path.join(tmp, 'pack'), skipBuild: !!process.env.HAILUO_SKIP_BUILD, log: () => {} });
				for (const f of ['dist/nodes/Hailuo/Hailuo.node.js', 'dist/nodes/HailuoTrigger/HailuoTrigger.node.js', 'dist/credentials/GmiCloudApi.credentials.js', 'dist/nodes/Hailuo/hailuo.svg', 'package.json']) {
					assert.ok(p.files.includes(f), `${f} is not in the tarball (files: ${p.files.length})`);
				}
				assert.ok(!p.files.some((f) => /^(nodes|credentials|test|scripts)\//.test(f)), 'sources, tests or scripts leaked into the tarball');
				return p;
			});
			await main.step('tarball installs into <user folder>/.n8n/nodes with --omit=peer', async () => {
				for (const f of userFolders) {
					const dir = await lib.installPackage(pack.tgz, f);
					assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name, lib.PACKAGE_NAME);
				}
			});
		})();
		installedP.catch(() => {});
		const sim = await main.step('GMI simulator starts', async () => {
			const s = await lib.startSimulator({ logFile: path.join(tmp, 'simulator.log') });
			const models = await lib.httpJson('GET', `${s.url}${API}/models`, { headers: { authorization: `Bearer ${s.apiKey}` } });
			assert.equal(models.status, 200, `GET /models answered ${models.status}`);
			return s;
		});
		const runtime = await main.step(`pinned runtime ready (n8n ${N8N_VERSIONS[0]}, Node ${lib.NODE_VERSION})`, () => runtimeP);

		// --- the two tracks run side by side ---------------------------------------------------------
		const headless = makeTrack({ live: true });
		const editor = makeTrack({ live: false });
		const guard = (track) => (e) => {
			if (e instanceof StepFailed) track.out(`  (track stopped after a failed setup step: ${e.message})`);
			else {
				results.push({ name: 'track aborted', ok: false, error: e });
				track.out(`  ✗ aborted: ${e && e.stack ? e.stack : e}`);
			}
		};
		const headlessP = headlessTrack({ track: headless, runtime, userFolder, sim, tmp, imageUrl: imageServer.url, openAi, installedP }).catch(guard(headless));
		const editorP = process.env.HAILUO_E2E_NO_BROWSER
			? Promise.resolve(editor.out('editor checks skipped (HAILUO_E2E_NO_BROWSER)'))
			: installedP
					.then(() => editorTrack({ track: editor, runtime, userFolderA: userFolder, tmp, sim, chromiumP }))
					.catch(guard(editor));
		await headlessP;
		if (!ONLY || ONLY.test('Hailuo Trigger')) {
			const trigger = makeTrack({ live: true });
			await triggerChecks.run({ ...trigger, lib, runtime, userFolderA: userFolder, tmp }).catch(guard(trigger));
		}
		editor.goLive();
		await editorP;

		// --- the other n8n versions, headless, one after the other (not beside the editor: 2 cores) ---
		for (const [i, v] of N8N_VERSIONS.entries()) {
			if (i === 0) continue;
			const track = makeTrack({ live: true, n8nVersion: v });
			const rt = await track.step(`pinned runtime ready (n8n ${v}, Node ${lib.NODE_VERSION})`, () => runtimePs[i]).catch(guard(track));
			if (rt) await headlessTrack({ track, runtime: rt, userFolder: userFolders[i], sim, tmp, imageUrl: imageServer.url, openAi, installedP }).catch(guard(track));
			if (rt && (!ONLY || ONLY.test('Hailuo Trigger'))) await triggerChecks.run({ ...track, lib, runtime: rt, userFolderA: userFolders[i], tmp }).catch(guard(track));
		}
	} catch (e) {
		if (!(e instanceof StepFailed)) {
			results.push({ name: 'e2e run', ok: false, error: e });
			main.out(`  ✗ e2e run aborted: ${e && e.stack ? e.stack : e}`);
		} else {
			main.out(`  (stopped after a failed setup step: ${e.message})`);
		}
	} finally {
		await lib.stopAll({ graceMs: 5000 });
		if (imageServer) imageServer.server.close();
		if (openAi) await openAi.close();
	}

	const failed = results.filter((r) => !r.ok);
	if (failed.length || keep) main.out(`logs and n8n data kept in ${tmp}`);
	else fs.rmSync(tmp, { recursive: true, force: true });
	main.out(`e2e finished in ${elapsed()}`);
	for (const v of N8N_VERSIONS) {
		const mine = results.filter((r) => r.n8nVersion === v);
		main.out(`  n8n ${v}: ${mine.filter((r) => r.ok).length} passed, ${mine.filter((r) => !r.ok).length} failed`);
	}
	if (failed.length) main.out(`failed: ${failed.map((f) => (f.n8nVersion ? `${f.name} (n8n ${f.n8nVersion})` : f.name)).join('; ')}`);
	main.out(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length || !results.length ? 1 : 0);
}

main();
