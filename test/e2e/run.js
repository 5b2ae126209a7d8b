#!/usr/bin/env node
'use strict';
/**
 * `npm run test:e2e`: the packed package inside a real, pinned n8n.
 *
 *  1. installs (once, cached) n8n + Node 24, builds and `npm pack`s this package and installs the
 *     tarball into a temporary n8n user folder as users do;
 *  2. starts the GMI simulator, imports a gmiCloudApi credential pointing at it, imports the e2e
 *     workflows (test/e2e/workflows) and the examples (examples/*.json), runs each with
 *     `n8n execute --id … --rawOutput` and asserts on the parsed result;
 *  3. starts `n8n start` on 127.0.0.1, creates the owner, signs in and checks the editor in headless
 *     Chromium (Debian's chromium + playwright-core), saving screenshots into docs/images/.
 *
 * Prints each case and a final `N passed, M failed` line; exits non-zero on any failure. Every
 * process it started is stopped by PID, also when an assertion fails.
 *
 * Environment: HAILUO_N8N_CACHE (runtime cache), HAILUO_SKIP_BUILD=1 (pack dist/ as it is),
 * HAILUO_E2E_KEEP=1 (keep the temporary n8n folder), HAILUO_E2E_ONLY=<regexp> (run matching cases),
 * HAILUO_E2E_NO_BROWSER=1, CHROMIUM_PATH (default /usr/bin/chromium).
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const assert = require('assert/strict');
const lib = require('../../scripts/lib/n8n-runtime');
const browserChecks = require('./browser');

const PROJECT = lib.PROJECT_DIR;
const WORKFLOW_DIR = path.join(__dirname, 'workflows');
const IMAGES_DIR = path.join(PROJECT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ONLY = process.env.HAILUO_E2E_ONLY ? new RegExp(process.env.HAILUO_E2E_ONLY, 'i') : null;
const API = '/api/v1/ie/requestqueue/apikey';

const T0 = Date.now();
const results = [];
const out = (m) => process.stdout.write(`${m}\n`);
const elapsed = () => lib.fmtSecs(Date.now() - T0);

/** Run one named case; a failure is recorded and printed, never thrown. */
async function check(name, fn) {
	if (ONLY && !ONLY.test(name)) return;
	const t = Date.now();
	try {
		await fn();
		results.push({ name, ok: true });
		out(`  ✓ ${name} (${lib.fmtSecs(Date.now() - t)})`);
	} catch (e) {
		results.push({ name, ok: false, error: e });
		out(`  ✗ ${name} (${lib.fmtSecs(Date.now() - t)})`);
		out(
			String(e && e.stack && !(e instanceof assert.AssertionError) ? e.stack : (e && e.message) || e)
				.split('\n')
				.slice(0, 25)
				.map((l) => `      ${l}`)
				.join('\n'),
		);
	}
}

/** A setup step: failing it fails the case and skips what depends on it. */
async function step(name, fn) {
	let value;
	let ok = false;
	await check(name, async () => {
		value = await fn();
		ok = true;
	});
	if (!ok) throw new StepFailed(name);
	return value;
}

class StepFailed extends Error {}

async function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (process.getuid && process.getuid() === 0 && CHROMIUM === '/usr/bin/chromium') {
		out('  … Debian chromium is missing: apt-get install chromium (about a minute)');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const lock = ['-o', 'DPkg::Lock::Timeout=300'];
		let r = await lib.runCapture('apt-get', ['update', '-q', ...lock], { env, timeoutMs: 300000, name: 'apt-get update' });
		r = await lib.runCapture('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...lock, 'chromium'], {
			env,
			timeoutMs: 600000,
			name: 'apt-get install',
		});
		if (r.code !== 0) throw new Error(`apt-get install chromium failed:\n${lib.lastLines(r.stdout + r.stderr, 20)}`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`);
	return CHROMIUM;
}

function readWorkflow(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Example workflows, each given a stable id when it has none (so `execute --id` can find it). */
function exampleWorkflows(tmpDir) {
	const dir = path.join(PROJECT, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f, i) => {
			const w = readWorkflow(path.join(dir, f));
			if (!w.id) w.id = `example${String(i + 1).padStart(3, '0')}${f.replace(/[^A-Za-z0-9]/g, '').slice(0, 10)}`;
			const target = path.join(tmpDir, `example-${f}`);
			fs.writeFileSync(target, JSON.stringify(w));
			return { file: f, path: target, workflow: w };
		});
}

function hailuoNodes(workflow) {
	return (workflow.nodes || []).filter((n) => n.type === lib.NODE_TYPE);
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
	return `exit ${res.code}, node ${res.node || '?'}, ${res.items ? res.items.length : 0} item(s), error: ${
		res.error || res.nodeError ? errorText(res) : 'none'
	}\n--- stdout (tail) ---\n${lib.lastLines(res.stdout, 25)}\n--- stderr (tail) ---\n${lib.lastLines(res.stderr, 10)}`;
}

function binarySize(bin) {
	if (!bin) return undefined;
	if (typeof bin.bytes === 'number') return bin.bytes;
	if (typeof bin.data === 'string' && bin.data.length && !bin.id) return Buffer.from(bin.data, 'base64').length;
	return undefined;
}

async function main() {
	lib.installExitHandlers({ log: out });
	const keep = !!process.env.HAILUO_E2E_KEEP;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hailuo-e2e-'));
	const userFolder = path.join(tmp, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	out(`e2e: n8n ${lib.N8N_VERSION} on Node ${lib.NODE_VERSION}; work folder ${tmp}`);

	let sim;
	let n8n;
	try {
		// --- setup, in parallel where it can be -------------------------------------------------
		if (!lib.runtimeIsComplete()) out(`  … first run: installing n8n ${lib.N8N_VERSION} into ${lib.cacheRoot()} (several minutes, once)`);
		const runtimeP = lib.ensureRuntime({ log: (m) => out(`  ${m}`) });
		const chromiumP = process.env.HAILUO_E2E_NO_BROWSER ? Promise.resolve(null) : ensureChromium();
		chromiumP.catch(() => {});
		runtimeP.catch(() => {});

		const pack = await step('package builds and packs (npm run build, npm pack)', async () => {
			const p = await lib.buildAndPack({ destDir: path.join(tmp, 'pack'), skipBuild: !!process.env.HAILUO_SKIP_BUILD, log: () => {} });
			for (const f of [
				'dist/nodes/Hailuo/Hailuo.node.js',
				'dist/credentials/GmiCloudApi.credentials.js',
				'dist/nodes/Hailuo/hailuo.svg',
				'package.json',
			]) {
				assert.ok(p.files.includes(f), `${f} is not in the tarball (files: ${p.files.length})`);
			}
			assert.ok(!p.files.some((f) => /^(nodes|credentials|test)\//.test(f)), 'sources or tests leaked into the tarball');
			return p;
		});
		sim = await step('GMI simulator starts', async () => {
			const s = await lib.startSimulator({ logFile: path.join(tmp, 'simulator.log') });
			const models = await lib.httpJson('GET', `${s.url}${API}/models`, { headers: { authorization: `Bearer ${s.apiKey}` } });
			assert.equal(models.status, 200, `GET /models answered ${models.status}`);
			return s;
		});
		const runtime = await step(`pinned runtime ready (n8n ${lib.N8N_VERSION}, Node ${lib.NODE_VERSION})`, () => runtimeP);

		await step('tarball installs into <user folder>/.n8n/nodes with --omit=peer', async () => {
			const dir = await lib.installPackage(pack.tgz, userFolder);
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			assert.equal(pkg.name, lib.PACKAGE_NAME);
		});

		const e2eFiles = fs
			.readdirSync(WORKFLOW_DIR)
			.filter((f) => f.endsWith('.json'))
			.sort()
			.map((f) => path.join(WORKFLOW_DIR, f));
		const examples = exampleWorkflows(tmp);
		await step(`credential and ${e2eFiles.length} e2e + ${examples.length} example workflow(s) import`, async () => {
			await lib.importCredentials(runtime, userFolder, [lib.gmiCredential({ apiKey: sim.apiKey, baseUrl: sim.url })]);
			const r = await lib.importWorkflows(runtime, userFolder, [...e2eFiles, ...examples.map((e) => e.path)]);
			assert.match(r.stdout + r.stderr, new RegExp(`Successfully imported ${e2eFiles.length + examples.length} workflow`));
		});

		// --- headless executions ------------------------------------------------------------------
		out(`headless executions (n8n execute --rawOutput) [${elapsed()}]`);
		const run = (id, opts) => lib.executeWorkflow(runtime, userFolder, id, opts);
		const simStats = async () => (await lib.httpJson('GET', `${sim.url}/__sim/stats`)).json;

		await check('Model → List: one item per model id', async () => {
			const res = await run('e2eModelList0001');
			assert.ok(res.ok, describeRun(res));
			const models = await lib.httpJson('GET', `${sim.url}${API}/models`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
			const expected = models.json.model_ids;
			const ids = res.items.map((i) => i.json.id);
			assert.deepEqual(ids, expected, 'item ids differ from GET /models');
			assert.ok(res.items.find((i) => i.json.id === 'Minimax-Hailuo-02'), 'Minimax-Hailuo-02 listed');
		});

		await check('Submit without waiting: one item with request_id', async () => {
			const before = await simStats();
			const res = await run('e2eSubmitNoWait1');
			assert.ok(res.ok, describeRun(res));
			assert.equal(res.items.length, 1);
			const rec = res.items[0].json;
			assert.equal(typeof rec.request_id, 'string', `no request_id in ${JSON.stringify(rec)}`);
			const after = await simStats();
			assert.equal(after.submits - before.submits, 1, 'exactly one submit');
			assert.ok(after.requestIds.includes(rec.request_id), 'request_id issued by the simulator');
			const req = (await lib.httpJson('GET', `${sim.url}/__sim/requests`)).json
				.filter((r) => r.server === 'api' && r.method === 'POST' && /\/requests$/.test(r.path))
				.pop();
			assert.ok(req, 'the simulator recorded no POST /requests');
			assert.equal(req.headers.authorization, `Bearer ${sim.apiKey}`);
			assert.equal(req.body.model, 'Minimax-Hailuo-02');
			assert.match(req.body.payload.prompt, /\[Pan left\]/, 'camera tag appended to the prompt');
			assert.equal(req.body.payload.duration, 6);
			assert.equal(req.body.payload.resolution, '768P');
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
			const stats = await simStats();
			assert.equal(stats.filesRequestsWithAuth, 0, 'the API key was sent to the file host');
		});

		await check('batch of 3 items with wait: 3 finished videos, in order', async () => {
			const before = await simStats();
			const res = await run('e2eBatchWait0001', { nodeName: 'Generate Videos' });
			assert.ok(res.ok, describeRun(res));
			assert.equal(res.items.length, 3);
			res.items.forEach((it, i) => {
				assert.equal(it.json.status, 'success', `item ${i}: ${JSON.stringify(it.json)}`);
				assert.ok(it.json.videoUrl, `item ${i} has no videoUrl`);
				assert.match(String(it.json.payload ? it.json.payload.prompt : it.json.prompt || ''), new RegExp(`batch ${i + 1}`));
			});
			assert.equal(new Set(res.items.map((i) => i.json.request_id)).size, 3, 'three distinct jobs');
			const after = await simStats();
			assert.equal(after.submits - before.submits, 3, 'exactly three submits');
		});

		await check('rule violation (10 s + 1080P by expression) fails naming resolution, nothing submitted', async () => {
			const before = await simStats();
			const res = await run('e2eRuleViolate01');
			assert.ok(!res.ok, `the workflow succeeded: ${describeRun(res)}`);
			assert.ok(res.data, `no JSON result parsed: ${describeRun(res)}`);
			const text = errorText(res);
			assert.match(text, /resolution/i, `error does not name the field: ${text}`);
			assert.match(text, /1080P/, `error does not name the value: ${text}`);
			const after = await simStats();
			assert.equal(after.submits, before.submits, 'a request was submitted anyway');
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

		for (const ex of examples) {
			const w = ex.workflow;
			const manual = (w.nodes || []).some((n) => n.type === 'n8n-nodes-base.manualTrigger');
			if (!manual) {
				out(`  - example ${ex.file}: no manual trigger, imported only`);
				continue;
			}
			await check(`example ${ex.file} runs successfully against the simulator`, async () => {
				for (const n of hailuoNodes(w)) {
					const c = n.credentials && n.credentials.gmiCloudApi;
					assert.ok(c && c.id === lib.SIM_CREDENTIAL_ID, `node "${n.name}" does not use credential id ${lib.SIM_CREDENTIAL_ID}`);
				}
				const res = await run(w.id);
				assert.ok(res.ok, describeRun(res));
			});
		}

		// --- the editor -----------------------------------------------------------------------------
		if (process.env.HAILUO_E2E_NO_BROWSER) {
			out('editor checks skipped (HAILUO_E2E_NO_BROWSER)');
		} else {
			out(`the editor in headless Chromium [${elapsed()}]`);
			const port = await lib.freePort();
			const n8nLog = path.join(tmp, 'n8n.log');
			n8n = await step(`n8n start on 127.0.0.1:${port} gets ready`, () =>
				lib.startN8n(runtime, { userFolder, port, logFile: n8nLog, env: { N8N_LOG_LEVEL: 'debug' } }),
			);
			await check('n8n loads the community package without errors', async () => {
				const text = fs.readFileSync(n8nLog, 'utf8');
				assert.match(text, /Loaded all credentials and nodes from n8n-nodes-hailuo \{"credentials":1,"nodes":1/);
				const bad = text
					.split('\n')
					.filter((l) => /\| (error|warn)\s*\|/.test(l) && /hailuo|gmiCloud/i.test(l));
				assert.deepEqual(bad, [], 'n8n logged errors or warnings about the package');
			});
			const owner = { email: 'e2e-owner@example.com', password: 'E2e-owner-pass-1' };
			const auth = await step('owner setup through the REST API', () => lib.setupOwner(n8n.url, owner));
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
			const chromium = await step('Debian chromium is available', () => chromiumP);
			await browserChecks.run({
				check,
				step,
				StepFailed,
				chromium,
				n8nUrl: n8n.url,
				cookie: auth.cookie,
				imagesDir: IMAGES_DIR,
				workDir: tmp,
				lib,
				out,
			});
		}
	} catch (e) {
		if (!(e instanceof StepFailed)) {
			results.push({ name: 'e2e run', ok: false, error: e });
			out(`  ✗ e2e run aborted: ${e && e.stack ? e.stack : e}`);
		} else {
			out(`  (stopped after a failed setup step: ${e.message})`);
		}
	} finally {
		await lib.stopAll({ graceMs: 5000 });
		if (sim && lib.isAlive(sim.pid)) out(`  ! simulator pid ${sim.pid} still alive`);
		if (n8n && lib.isAlive(n8n.pid)) out(`  ! n8n pid ${n8n.pid} still alive`);
	}

	const failed = results.filter((r) => !r.ok);
	if (failed.length || keep) out(`logs and n8n data kept in ${tmp}`);
	else fs.rmSync(tmp, { recursive: true, force: true });
	out(`e2e finished in ${elapsed()}`);
	out(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length || !results.length ? 1 : 0);
}

main();
