'use strict';
/**
 * The simulator's own specification: every feature exercised with fetch + assert, printing
 * `selftest: N passed, M failed`. `npm test` runs it (simulator.test.ts) in a plain Node process:
 * jest's sandbox would see Node's fetch errors and objects as coming from another realm.
 */
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { startSimulator, API_BASE, hailuoVideoModels, videoContent } = require('./index');

/** @type {{name: string, fn: () => Promise<void>}[]} */
const tests = [];
/** @param {string} name @param {() => Promise<void>} fn */
const test = (name, fn) => tests.push({ name, fn });
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Call the API of `sim` with the right key unless headers override it.
 * @param {import('./index').Simulator} sim
 * @param {string} method
 * @param {string} apiPath path after API_BASE (or absolute URL)
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 */
async function call(sim, method, apiPath, body, headers = {}) {
	const url = apiPath.startsWith('http') ? apiPath : sim.baseUrl + apiPath;
	const res = await fetch(url, {
		method,
		headers: {
			authorization: `Bearer ${sim.apiKey}`,
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...headers,
		},
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** A simulator whose clock only moves when told, for exact lifecycle checks. */
async function clockedSim(/** @type {import('./index').SimulatorOptions} */ options = {}) {
	const clock = { t: 1_753_468_514_000 };
	const sim = await startSimulator({ now: () => clock.t, queuedMs: 1000, processingMs: 2000, ...options });
	return { sim, clock };
}

const PROMPT = 'A cat surfing a wave at sunset [Pan left]';
/** @param {string} [prompt] @param {Record<string, unknown>} [extra] */
const submitBody = (prompt = PROMPT, extra = {}) => ({ model: 'Minimax-Hailuo-02', payload: { prompt, ...extra } });

// --- basics ----------------------------------------------------------------------------------

test('starts on 127.0.0.1 with two servers and default key', async () => {
	const sim = await startSimulator();
	try {
		assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.match(sim.filesUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.notEqual(sim.url, sim.filesUrl);
		assert.equal(sim.apiKey, 'test-key');
		assert.deepEqual(sim.config, {
			queuedMs: 50,
			processingMs: 150,
			videoBytes: 4096,
			listShape: 'requests',
			modelListShape: 'model_ids',
			listLagMs: 0,
			priceShape: 'none',
			modelPriceShapes: {},
		});
		assert.equal(sim.baseUrl, sim.url + '/api/v1/ie/requestqueue/apikey');
		assert.equal(API_BASE, '/api/v1/ie/requestqueue/apikey');
		assert.deepEqual([...hailuoVideoModels], ['Minimax-Hailuo-02', 'Minimax-Hailuo-2.3', 'Minimax-Hailuo-2.3-Fast', 'minimax-hailuo-02']);
	} finally {
		await sim.close();
	}
});

test('auth: 401 without/with wrong key; requests recorded with headers', async () => {
	const sim = await startSimulator({ apiKey: 'k1' });
	try {
		const none = await call(sim, 'GET', '/models', undefined, { authorization: '' });
		assert.equal(none.status, 401);
		assert.deepEqual(none.json, { error: 'Unauthorized: invalid API key' });
		const wrong = await call(sim, 'GET', '/models', undefined, { authorization: 'Bearer nope' });
		assert.equal(wrong.status, 401);
		const ok = await call(sim, 'GET', '/models?x=1', undefined, { 'X-Organization-ID': 'org-42' });
		assert.equal(ok.status, 200);
		assert.equal(sim.requests.length, 3);
		const rec = sim.requests[2];
		assert.equal(rec.server, 'api');
		assert.equal(rec.method, 'GET');
		assert.equal(rec.path, API_BASE + '/models');
		assert.deepEqual(rec.query, { x: '1' });
		assert.equal(rec.headers['x-organization-id'], 'org-42');
		assert.equal(rec.headers.authorization, 'Bearer k1');
		assert.equal(typeof rec.at, 'number');
		assert.equal(rec.body, null);
	} finally {
		await sim.close();
	}
});

// --- models ----------------------------------------------------------------------------------

test('GET /models default list and override', async () => {
	const sim = await startSimulator();
	const custom = await startSimulator({ models: ['Minimax-Hailuo-02', 'X'] });
	try {
		const r = await call(sim, 'GET', '/models');
		assert.deepEqual(r.json, {
			model_ids: [
				'Minimax-Hailuo-02',
				'Minimax-Hailuo-2.3',
				'Minimax-Hailuo-2.3-Fast',
				'minimax-hailuo-02',
				'DeepSeek-R1',
				'Qwen3-Coder',
				'Veo3',
				'ElevenLabs-TTS-v3',
			],
		});
		assert.deepEqual((await call(custom, 'GET', '/models')).json, { model_ids: ['Minimax-Hailuo-02', 'X'] });
		// A model outside the list is unknown to submit.
		const sub = await call(custom, 'POST', '/requests', { model: 'Minimax-Hailuo-2.3', payload: { prompt: 'x' } });
		assert.equal(sub.status, 404);
	} finally {
		await sim.close();
		await custom.close();
	}
});

test('GET /models/{id} detail (dots, encoding) and 404', async () => {
	const sim = await startSimulator();
	try {
		const r = await call(sim, 'GET', '/models/' + encodeURIComponent('Minimax-Hailuo-2.3'));
		assert.equal(r.status, 200);
		assert.equal(r.json.model, 'Minimax-Hailuo-2.3');
		assert.equal(r.json.org_id, 'org-sim');
		assert.equal(typeof r.json.brief_description, 'string');
		assert.equal(typeof r.json.detailed_description, 'string');
		assert.deepEqual(r.json.modalities, { input: ['text', 'image'], output: ['video'] });
		const names = r.json.parameters.map((/** @type {any} */ p) => p.name);
		assert.deepEqual(names, ['prompt', 'duration', 'resolution', 'first_frame_image', 'prompt_optimizer', 'fast_pretreatment']);
		assert.deepEqual(r.json.parameters[0], {
			name: 'prompt',
			display_name: 'Prompt',
			description: r.json.parameters[0].description,
			type: 'string',
			required: true,
		});
		const encoded = await call(sim, 'GET', '/models/Minimax%2DHailuo%2D2.3-Fast');
		assert.equal(encoded.json.model, 'Minimax-Hailuo-2.3-Fast');
		const other = await call(sim, 'GET', '/models/DeepSeek-R1');
		assert.deepEqual(other.json.modalities.output, ['text']);
		const missing = await call(sim, 'GET', '/models/Nope-1.0');
		assert.equal(missing.status, 404);
		assert.deepEqual(missing.json, { error: 'model not found: Nope-1.0' });
	} finally {
		await sim.close();
	}
});

// --- submit & validation ---------------------------------------------------------------------

test('POST /requests valid -> short record, ids and submit counts', async () => {
	const { sim, clock } = await clockedSim();
	try {
		const r = await call(sim, 'POST', '/requests', submitBody());
		assert.equal(r.status, 200);
		const sec = Math.floor(clock.t / 1000);
		assert.match(r.json.request_id, /^[0-9a-f-]{36}$/);
		assert.deepEqual(r.json, {
			request_id: r.json.request_id,
			model: 'Minimax-Hailuo-02',
			status: 'queued',
			created_at: sec,
			updated_at: sec,
			queued_at: sec,
		});
		await call(sim, 'POST', '/requests', submitBody());
		await call(sim, 'POST', '/requests', { model: 'minimax-hailuo-02', payload: { prompt: 'other', duration: 10, resolution: '768P' } });
		assert.equal(sim.requestIds.length, 3);
		assert.equal(sim.requestIds[0], r.json.request_id);
		assert.equal(sim.submitsByPrompt.get(PROMPT), 2);
		assert.equal(sim.submitsByPrompt.get('other'), 1);
		assert.equal(sim.jobs.size, 3);
		assert.equal(sim.jobs.get(r.json.request_id)?.model, 'Minimax-Hailuo-02');
		assert.deepEqual(sim.requests[0].body, submitBody());
	} finally {
		await sim.close();
	}
});

test('POST /requests unknown model -> 404', async () => {
	const sim = await startSimulator();
	try {
		const r = await call(sim, 'POST', '/requests', { model: 'Hailuo-99', payload: { prompt: 'x' } });
		assert.equal(r.status, 404);
		assert.deepEqual(r.json, { error: 'Model Hailuo-99 not found' });
		assert.equal(sim.requestIds.length, 0);
	} finally {
		await sim.close();
	}
});

test('POST /requests invalid payloads -> nested 400 with specific details', async () => {
	const sim = await startSimulator();
	const img = 'https://example.com/a.png';
	/** @type {[Record<string, unknown>, RegExp][]} */
	const cases = [
		[{}, /prompt is required/],
		[{ prompt: '' }, /prompt is required/],
		[{ prompt: 42 }, /prompt is required/],
		[{ prompt: 'x'.repeat(2001) }, /at most 2000/],
		[{ prompt: 'x', duration: 8 }, /duration must be one of 6, 10/],
		[{ prompt: 'x', duration: '6' }, /duration must be one of 6, 10/],
		[{ prompt: 'x', resolution: '720P' }, /resolution "720P" is not supported for Minimax-Hailuo-02 at duration 6/],
		[{ prompt: 'x', duration: 10, resolution: '1080P' }, /^resolution "1080P" is not supported for Minimax-Hailuo-02 at duration 10 \(supported: 512P, 768P\)$/],
		[{ prompt: 'x', resolution: '512P' }, /first_frame_image is required for Minimax-Hailuo-02 at 512P/],
		[{ prompt: 'x', first_frame_image: 'ftp://x/y.png' }, /first_frame_image must be/],
		[{ prompt: 'x', first_frame_image: 5 }, /first_frame_image must be/],
		[{ prompt: 'x', prompt_optimizer: 'yes' }, /prompt_optimizer must be a boolean/],
		[{ prompt: 'x', fast_pretreatment: 1 }, /fast_pretreatment must be a boolean/],
	];
	try {
		for (const [payload, expected] of cases) {
			const r = await call(sim, 'POST', '/requests', { model: 'Minimax-Hailuo-02', payload });
			assert.equal(r.status, 400, JSON.stringify(payload).slice(0, 80));
			assert.equal(r.json.error.message, 'Invalid request payload');
			assert.equal(typeof r.json.error.details, 'string');
			const inner = JSON.parse(r.json.error.details);
			assert.match(inner.error.message, expected);
		}
		const missingPayload = await call(sim, 'POST', '/requests', { model: 'Minimax-Hailuo-02' });
		assert.equal(missingPayload.status, 400);
		// Valid edge cases.
		const valid = [
			{ prompt: 'x'.repeat(2000) },
			{ prompt: 'x', duration: 10, resolution: '512P', first_frame_image: img },
			{ prompt: 'x', duration: 6, resolution: '1080P', prompt_optimizer: false, fast_pretreatment: true },
			{ prompt: 'x', resolution: '512P', first_frame_image: 'data:image/png;base64,iVBORw0KGgo=' },
			{ prompt: 'x', first_frame_image: 'http://example.com/a.jpg' },
		];
		for (const payload of valid) {
			const r = await call(sim, 'POST', '/requests', { model: 'Minimax-Hailuo-2.3', payload });
			assert.equal(r.status, 200, JSON.stringify(payload).slice(0, 80));
		}
		assert.equal(sim.requestIds.length, valid.length);
		// Rejected submits are counted per prompt too (GMI keeps an audit record of them).
		assert.equal(sim.submitsByPrompt.get('x'), cases.filter((c) => c[0].prompt === 'x').length + valid.length - 1);
	} finally {
		await sim.close();
	}
});

// --- lifecycle -------------------------------------------------------------------------------

test('lifecycle queued -> processing -> success with video outcome (clocked)', async () => {
	const { sim, clock } = await clockedSim({ videoBytes: 1234 });
	try {
		const t0 = clock.t;
		const { json } = await call(sim, 'POST', '/requests', submitBody(PROMPT, { duration: 6 }), { 'x-organization-id': 'org-7' });
		const id = json.request_id;
		const get = async () => (await call(sim, 'GET', `/requests/${id}`)).json;

		let rec = await get();
		assert.deepEqual(Object.keys(rec).sort(), [
			'created_at', 'is_public', 'model', 'org_id', 'outcome', 'payload', 'queued_at', 'request_id', 'status', 'updated_at',
		]);
		assert.equal(rec.status, 'queued');
		assert.equal(rec.is_public, false);
		assert.equal(rec.org_id, 'org-7');
		assert.equal(rec.outcome, null);
		assert.deepEqual(rec.payload, { prompt: PROMPT, duration: 6 });
		assert.equal(Number.isInteger(rec.created_at), true);

		clock.t = t0 + 1000;
		rec = await get();
		assert.equal(rec.status, 'processing');
		assert.equal(rec.outcome, null);
		assert.equal(rec.updated_at, Math.floor((t0 + 1000) / 1000));
		clock.t = t0 + 2999;
		assert.equal((await get()).status, 'processing');
		clock.t = t0 + 3000;
		rec = await get();
		assert.equal(rec.status, 'success');
		assert.deepEqual(rec.outcome, {
			video_url: `${sim.filesUrl}/videos/${id}/sample_0.mp4`,
			thumbnail_image_url: `${sim.filesUrl}/thumbs/${id}.jpg`,
		});
		assert.equal(sim.statusOf(id), 'success');
		assert.equal(sim.jobs.get(id)?.plan.videoBytes, 1234);

		const missing = await call(sim, 'GET', '/requests/00000000-0000-0000-0000-000000000000');
		assert.equal(missing.status, 404);
		assert.deepEqual(missing.json, { error: 'request not found' });
	} finally {
		await sim.close();
	}
});

test('lifecycle with the real clock', async () => {
	// Second-long phases, watched every 20 ms: each is seen however busy the machine is.
	const sim = await startSimulator({ queuedMs: 1000, processingMs: 1000 });
	try {
		const { json } = await call(sim, 'POST', '/requests', submitBody());
		/** @type {string[]} */
		const seen = [];
		while (seen[seen.length - 1] !== 'success') {
			const status = (await call(sim, 'GET', `/requests/${json.request_id}`)).json.status;
			if (status !== seen[seen.length - 1]) seen.push(status);
			await sleep(20);
		}
		assert.deepEqual(seen, ['queued', 'processing', 'success']);
	} finally {
		await sim.close();
	}
});

test('prompt markers drive the plan', async () => {
	const { sim, clock } = await clockedSim({ queuedMs: 10, processingMs: 10 });
	try {
		const submit = async (/** @type {string} */ prompt) => (await call(sim, 'POST', '/requests', submitBody(prompt))).json.request_id;
		const t0 = clock.t;
		const ids = {
			fail: await submit('a dog #FAIL'),
			cancel: await submit('#cancel a dog'),
			stuck: await submit('a #stuck dog'),
			rate: await submit('a dog #ratelimit'),
			media: await submit('a dog #media'),
			unknown: await submit('a dog #unknown-status'),
			vanish: await submit('a dog #vanish'),
			ms: await submit('a dog #ms=500'),
			bytes: await submit('a dog #bytes=777'),
			field: await submit('a dog #fail #failfield=outcome.fail_reason'),
			fieldOnly: await submit('a dog #failfield=error'),
		};
		const get = async (/** @type {string} */ id) => call(sim, 'GET', `/requests/${id}`);

		clock.t = t0 + 15;
		assert.equal((await get(ids.vanish)).status, 404, 'vanished after queuedMs');
		assert.equal(sim.statusOf(ids.vanish), 'gone');
		assert.equal((await get(ids.unknown)).json.status, 'processing');
		clock.t = t0 + 25;
		assert.equal((await get(ids.unknown)).json.status, 'preprocessing');
		clock.t = t0 + 75;
		assert.equal((await get(ids.unknown)).json.status, 'uploading');
		clock.t = t0 + 200;
		assert.equal((await get(ids.unknown)).json.status, 'success');

		const fail = (await get(ids.fail)).json;
		assert.equal(fail.status, 'failed');
		assert.equal(fail.error_message, 'Video generation failed: content moderation');
		assert.equal(fail.outcome, null);
		const cancel = (await get(ids.cancel)).json;
		assert.equal(cancel.status, 'cancelled');
		assert.equal(cancel.outcome, null);
		assert.equal((await get(ids.stuck)).json.status, 'queued');
		const rate = (await get(ids.rate)).json;
		assert.equal(rate.status, 'failed');
		assert.equal(rate.error_message, 'rate limit exceeded, please retry later');
		const media = (await get(ids.media)).json;
		assert.deepEqual(media.outcome, { media_urls: [{ id: '0', url: `${sim.filesUrl}/videos/${ids.media}/sample_0.mp4` }] });
		assert.equal((await get(ids.ms)).json.status, 'processing');
		clock.t = t0 + 510;
		assert.equal((await get(ids.ms)).json.status, 'success');
		assert.equal(sim.jobs.get(ids.bytes)?.plan.videoBytes, 777);
		const field = (await get(ids.field)).json;
		assert.equal(field.status, 'failed');
		assert.deepEqual(field.outcome, { fail_reason: 'Video generation failed: content moderation' });
		assert.equal(field.error_message, undefined);
		const fieldOnly = (await get(ids.fieldOnly)).json;
		assert.equal(fieldOnly.status, 'failed');
		assert.equal(fieldOnly.error, 'Video generation failed: content moderation');

		// Still-stuck job after a long time.
		clock.t = t0 + 3_600_000;
		assert.equal((await get(ids.stuck)).json.status, 'queued');
	} finally {
		await sim.close();
	}
});

test('options.plan overrides markers; every failure field', async () => {
	const fields = ['error_message', 'error', 'outcome.error', 'outcome.message', 'outcome.error_message', 'outcome.fail_reason'];
	/** @type {[unknown, number][]} */
	const seen = [];
	const { sim, clock } = await clockedSim({
		queuedMs: 0,
		processingMs: 0,
		plan: (payload, index) => {
			seen.push([payload, index]);
			if (index < fields.length) return { final: 'failed', failureField: fields[index], failureReason: `why ${index}` };
			return { final: 'success', videoBytes: 99 }; // beats the #fail marker
		},
	});
	try {
		/** @type {string[]} */
		const ids = [];
		for (let i = 0; i <= fields.length; i++) ids.push((await call(sim, 'POST', '/requests', submitBody(`p${i} #fail`))).json.request_id);
		clock.t += 1;
		for (let i = 0; i < fields.length; i++) {
			const rec = (await call(sim, 'GET', `/requests/${ids[i]}`)).json;
			assert.equal(rec.status, 'failed');
			const [head, sub] = fields[i].split('.');
			if (sub) assert.deepEqual(rec.outcome, { [sub]: `why ${i}` });
			else assert.equal(rec[head], `why ${i}`);
		}
		const last = (await call(sim, 'GET', `/requests/${ids[fields.length]}`)).json;
		assert.equal(last.status, 'success');
		assert.equal(sim.jobs.get(ids[fields.length])?.plan.videoBytes, 99);
		assert.deepEqual(seen[0], [{ prompt: 'p0 #fail' }, 0]);
		// setPlan replaces it at runtime; reset restores the start option.
		sim.setPlan(() => ({ final: 'cancelled' }));
		const c = (await call(sim, 'POST', '/requests', submitBody('c'))).json.request_id;
		clock.t += 1;
		assert.equal((await call(sim, 'GET', `/requests/${c}`)).json.status, 'cancelled');
	} finally {
		await sim.close();
	}
});

test('non-video model answers media_urls', async () => {
	const { sim, clock } = await clockedSim({ queuedMs: 0, processingMs: 0 });
	try {
		const r = await call(sim, 'POST', '/requests', { model: 'ElevenLabs-TTS-v3', payload: { text: 'hello' } });
		assert.equal(r.status, 200);
		clock.t += 1;
		const rec = (await call(sim, 'GET', `/requests/${r.json.request_id}`)).json;
		assert.ok(Array.isArray(rec.outcome.media_urls));
		assert.equal(rec.outcome.video_url, undefined);
	} finally {
		await sim.close();
	}
});

// --- list ------------------------------------------------------------------------------------

test('GET /requests list: newest first, model filter, paging, all shapes', async () => {
	// Jobs stay queued for a minute, so a busy machine cannot move them on while the list is read.
	const sim = await startSimulator({ queuedMs: 60_000 });
	try {
		/** @type {string[]} */
		const ids = [];
		for (let i = 0; i < 25; i++) {
			const model = i % 5 === 0 ? 'Minimax-Hailuo-2.3' : 'Minimax-Hailuo-02';
			ids.push((await call(sim, 'POST', '/requests', { model, payload: { prompt: `p${i}` } })).json.request_id);
		}
		const newest = [...ids].reverse();
		const hailuo02 = newest.filter((_, i) => (24 - i) % 5 !== 0);
		const idsOf = (/** @type {any[]} */ items) => items.map((x) => x.request_id);

		let r = await call(sim, 'GET', '/requests');
		assert.deepEqual(Object.keys(r.json).sort(), ['page', 'page_size', 'requests', 'total']);
		assert.equal(r.json.total, 25);
		assert.equal(r.json.page, 1);
		assert.equal(r.json.page_size, 20);
		assert.deepEqual(idsOf(r.json.requests), newest.slice(0, 20));
		assert.equal(r.json.requests[0].is_public, false);
		assert.equal(r.json.requests[0].status, 'queued');

		r = await call(sim, 'GET', '/requests?model_id=Minimax-Hailuo-02&page=2&page_size=7');
		assert.equal(r.json.total, 20);
		assert.deepEqual(idsOf(r.json.requests), hailuo02.slice(7, 14));
		r = await call(sim, 'GET', '/requests?page_size=1000');
		assert.equal(r.json.page_size, 100);
		r = await call(sim, 'GET', '/requests?page=9');
		assert.deepEqual(r.json.requests, []);

		for (const shape of /** @type {const} */ (['items', 'data', 'list'])) {
			sim.setListShape(shape);
			r = await call(sim, 'GET', '/requests?page=2');
			assert.deepEqual(Object.keys(r.json).sort(), [shape, 'page', 'page_size', 'total'].sort());
			assert.deepEqual(idsOf(r.json[shape]), newest.slice(20));
		}
		sim.setListShape('array');
		r = await call(sim, 'GET', '/requests?model_id=Minimax-Hailuo-2.3&page_size=2');
		assert.ok(Array.isArray(r.json));
		assert.equal(r.json.length, 5, 'array shape: all matching, no paging');
		sim.setListShape('nototal');
		r = await call(sim, 'GET', '/requests');
		assert.deepEqual(Object.keys(r.json), ['requests']);
		assert.equal(r.json.requests.length, 20);
		assert.throws(() => sim.setListShape(/** @type {any} */ ('bogus')));
	} finally {
		await sim.close();
	}
});

test('list omits vanished jobs', async () => {
	const { sim, clock } = await clockedSim();
	try {
		await call(sim, 'POST', '/requests', submitBody('keep'));
		await call(sim, 'POST', '/requests', submitBody('go #vanish'));
		assert.equal((await call(sim, 'GET', '/requests')).json.total, 2);
		clock.t += 1000;
		const r = await call(sim, 'GET', '/requests');
		assert.equal(r.json.total, 1);
		assert.equal(r.json.requests[0].payload.prompt, 'keep');
	} finally {
		await sim.close();
	}
});

test('list behaviour: order, capped page size, zone-less dates, timeless records, late answers, Date on the clock', async () => {
	const { sim, clock } = await clockedSim();
	try {
		for (const prompt of ['a', 'b', 'c #listed-without-time']) {
			await call(sim, 'POST', '/requests', submitBody(prompt));
			clock.t += 1000;
		}
		const prompts = (/** @type {any} */ r) => r.json.requests.map((/** @type {any} */ x) => x.payload.prompt);
		let r = await call(sim, 'GET', '/requests');
		assert.deepEqual(prompts(r), ['c #listed-without-time', 'b', 'a']);
		assert.equal(r.headers.get('date'), new Date(clock.t).toUTCString());
		assert.equal(r.json.requests[0].created_at, undefined);
		assert.equal((await call(sim, 'GET', `/requests/${sim.requestIds[2]}`)).json.created_at, Math.floor((clock.t - 1000) / 1000));
		sim.setListBehaviour({ order: 'oldest-first', pageSizeCap: 2, timeFormat: 'iso-no-zone' });
		r = await call(sim, 'GET', '/requests?page=1&page_size=100');
		assert.deepEqual(prompts(r), ['a', 'b']);
		assert.equal(r.json.requests[0].created_at, new Date(1_753_468_514_000).toISOString().slice(0, 19));
		assert.deepEqual(prompts(await call(sim, 'GET', '/requests?page=2&page_size=100')), ['c #listed-without-time']);
		assert.throws(() => sim.setListBehaviour({ order: /** @type {any} */ ('sideways') }), /order must be one of/);
		sim.setListBehaviour({ order: 'newest-first', pageSizeCap: null, delayMs: 150 });
		const t0 = Date.now();
		await call(sim, 'GET', '/requests');
		assert.ok(Date.now() - t0 >= 140, 'the list answered before its delay');
		sim.reset();
		assert.deepEqual(sim.listBehaviour, { order: 'newest-first', delayMs: 0, pageSizeCap: null, timeFormat: 'unix' });
	} finally {
		await sim.close();
	}
});

// --- uploads & files -------------------------------------------------------------------------

test('upload-url + presigned PUT + public URL; jpg quirk; 403 XML', async () => {
	const sim = await startSimulator();
	try {
		const bad = await call(sim, 'POST', '/upload-url', { file_type: 'gif' });
		assert.equal(bad.status, 400);
		assert.deepEqual(bad.json, { error: 'unsupported file_type' });

		const png = (await call(sim, 'POST', '/upload-url', { file_type: 'png' })).json;
		assert.match(png.upload_url, new RegExp(`^${sim.filesUrl}/upload/[^?]+\\?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=[0-9a-f]{64}$`));
		assert.match(png.public_url, new RegExp(`^${sim.filesUrl}/public/[^/]+\\.png$`));
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

		// Before upload: 404.
		assert.equal((await fetch(png.public_url)).status, 404);
		let put = await fetch(png.upload_url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes });
		assert.equal(put.status, 200);
		assert.equal(await put.text(), '');
		const got = await fetch(png.public_url);
		assert.equal(got.status, 200);
		assert.equal(got.headers.get('content-type'), 'image/png');
		assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
		const rec = sim.requests.find((r) => r.server === 'files' && r.method === 'PUT');
		assert.deepEqual(rec?.body, { bytes: 7, contentType: 'image/png' });
		assert.equal(rec?.query['X-Goog-Algorithm'], 'GOOG4-RSA-SHA256');

		// Wrong signature.
		const forged = png.upload_url.replace(/Signature=[0-9a-f]+/, 'Signature=00');
		put = await fetch(forged, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: bytes });
		assert.equal(put.status, 403);
		const xml = await put.text();
		assert.ok(xml.startsWith("<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code>"), xml);

		// jpg needs image/jpg; image/jpeg is refused.
		const jpg = (await call(sim, 'POST', '/upload-url', { file_type: 'jpg' })).json;
		put = await fetch(jpg.upload_url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: bytes });
		assert.equal(put.status, 403);
		put = await fetch(jpg.upload_url, { method: 'PUT', headers: { 'content-type': 'image/jpg' }, body: bytes });
		assert.equal(put.status, 200);
		const jpeg = (await call(sim, 'POST', '/upload-url', { file_type: 'jpeg' })).json;
		put = await fetch(jpeg.upload_url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: bytes });
		assert.equal(put.status, 200);
		for (const [type, ct] of [['mp4', 'video/mp4'], ['mp3', 'audio/mpeg'], ['wav', 'audio/wav']]) {
			const u = (await call(sim, 'POST', '/upload-url', { file_type: type })).json;
			put = await fetch(u.upload_url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: bytes });
			assert.equal(put.status, 403);
			put = await fetch(u.upload_url, { method: 'PUT', headers: { 'content-type': ct }, body: bytes });
			assert.equal(put.status, 200, type);
		}
		assert.equal(sim.stats().filesRequestsWithAuth, 0);
	} finally {
		await sim.close();
	}
});

test('files server: video bytes, thumbnail, 404s, auth header detection', async () => {
	const { sim, clock } = await clockedSim({ queuedMs: 0, processingMs: 0, videoBytes: 200_000 });
	try {
		const id = (await call(sim, 'POST', '/requests', submitBody())).json.request_id;
		clock.t += 1;
		const rec = (await call(sim, 'GET', `/requests/${id}`)).json;
		const video = await fetch(rec.outcome.video_url);
		assert.equal(video.status, 200);
		assert.equal(video.headers.get('content-type'), 'video/mp4');
		assert.equal(video.headers.get('content-length'), '200000');
		const buf = Buffer.from(await video.arrayBuffer());
		assert.equal(buf.length, 200_000);
		assert.equal(buf.subarray(4, 8).toString(), 'ftyp');
		assert.deepEqual(buf, videoContent(200_000));
		const head = await fetch(rec.outcome.video_url, { method: 'HEAD' });
		assert.equal(head.headers.get('content-length'), '200000');

		const thumb = await fetch(rec.outcome.thumbnail_image_url);
		assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
		const jpg = Buffer.from(await thumb.arrayBuffer());
		assert.deepEqual([...jpg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
		assert.deepEqual([...jpg.subarray(-2)], [0xff, 0xd9]);

		const missing = await fetch(`${sim.filesUrl}/videos/nope/sample_0.mp4`);
		assert.equal(missing.status, 404);
		assert.match(await missing.text(), /<Code>NoSuchKey<\/Code>/);
		assert.equal(sim.stats().filesRequestsWithAuth, 0);
		await fetch(rec.outcome.thumbnail_image_url, { headers: { authorization: 'Bearer leaked' } });
		assert.equal(sim.stats().filesRequestsWithAuth, 1);
		assert.equal(sim.requests.filter((r) => r.server === 'files').length, 5);
	} finally {
		await sim.close();
	}
});

test('files server: videoBytes "sample" serves the real MP4; a #bytes marker still asks for a placeholder', async () => {
	const sample = (/** @type {string} */ name) => fs.readFileSync(path.join(__dirname, 'samples', name));
	const { sim, clock } = await clockedSim({ queuedMs: 0, processingMs: 0, videoBytes: 'sample' });
	try {
		const real = (await call(sim, 'POST', '/requests', submitBody())).json.request_id;
		const sized = (await call(sim, 'POST', '/requests', submitBody('A fox #bytes=5000'))).json.request_id;
		clock.t += 1;
		const rec = (await call(sim, 'GET', `/requests/${real}`)).json;
		const video = await fetch(rec.outcome.video_url);
		assert.equal(video.headers.get('content-type'), 'video/mp4');
		const buf = Buffer.from(await video.arrayBuffer());
		assert.deepEqual(buf, sample('sample.mp4'));
		// an MP4 a player can start: ftyp first, the moov index before the media data (faststart)
		assert.equal(buf.subarray(4, 8).toString(), 'ftyp');
		assert.ok(buf.indexOf('moov') > 0 && buf.indexOf('moov') < buf.indexOf('mdat'), 'moov after mdat');
		assert.ok(buf.length > 10_000 && buf.length < 100_000, `sample is ${buf.length} bytes`);
		assert.equal((await fetch(rec.outcome.video_url, { method: 'HEAD' })).headers.get('content-length'), String(buf.length));

		const thumb = Buffer.from(await (await fetch(rec.outcome.thumbnail_image_url)).arrayBuffer());
		assert.deepEqual(thumb, sample('thumbnail.jpg'));
		const placeholder = Buffer.from(await (await fetch(`${sim.filesUrl}/videos/${sized}/sample_0.mp4`)).arrayBuffer());
		assert.deepEqual(placeholder, videoContent(5000));

		const image = await fetch(`${sim.filesUrl}/samples/first-frame.jpg`);
		assert.equal(image.headers.get('content-type'), 'image/jpeg');
		assert.deepEqual(Buffer.from(await image.arrayBuffer()), sample('first-frame.jpg'));
		assert.equal((await fetch(`${sim.filesUrl}/samples/make.sh`)).status, 404);
		assert.equal((await fetch(`${sim.filesUrl}/samples/..%2Findex.js`)).status, 404);

		sim.configure({ videoBytes: 123 });
		assert.equal(sim.config.videoBytes, 123);
		sim.configure({ videoBytes: 'sample' });
		assert.equal(sim.config.videoBytes, 'sample');
		assert.throws(() => sim.configure({ videoBytes: /** @type {any} */ ('big') }), /videoBytes must be a number >= 0/);
	} finally {
		await sim.close();
	}
});

test('20 concurrent 50 MB videos stream cheaply', async () => {
	const size = 50 * 1024 * 1024;
	const { sim, clock } = await clockedSim({ queuedMs: 0, processingMs: 0, videoBytes: size });
	try {
		const id = (await call(sim, 'POST', '/requests', submitBody())).json.request_id;
		clock.t += 1;
		const url = `${sim.filesUrl}/videos/${id}/sample_0.mp4`;
		const rssBefore = process.memoryUsage().rss;
		let peak = rssBefore;
		const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		const started = Date.now();
		const counts = await Promise.all(
			Array.from({ length: 20 }, async () => {
				const res = await fetch(url);
				let n = 0;
				// @ts-ignore: web stream async iteration
				for await (const chunk of res.body) n += chunk.length;
				return n;
			}),
		);
		clearInterval(timer);
		assert.deepEqual(counts, Array(20).fill(size));
		const growthMb = (peak - rssBefore) / 1024 / 1024;
		assert.ok(growthMb < 300, `rss grew ${growthMb.toFixed(0)} MB`);
		process.stderr.write(`    (1 GB streamed in ${Date.now() - started} ms, rss +${growthMb.toFixed(0)} MB)\n`);
	} finally {
		await sim.close();
	}
});

// --- faults ----------------------------------------------------------------------------------

/**
 * Expect a request to fail at the network level (reset or similar), possibly after headers.
 * @param {() => Promise<unknown>} fn
 */
async function expectNetworkError(fn) {
	await assert.rejects(fn(), (err) => err instanceof Error);
}

test('faults: 429/status/502/html/malformed/empty/auth, times, order, matching', async () => {
	const sim = await startSimulator();
	try {
		sim.addFault({ kind: '429', path: '/requests', method: 'POST', retryAfter: 3 });
		// Path prefix and method must match: a GET /models is untouched.
		assert.equal((await call(sim, 'GET', '/models')).status, 200);
		let r = await call(sim, 'POST', '/requests', submitBody());
		assert.equal(r.status, 429);
		assert.equal(r.headers.get('retry-after'), '3');
		assert.deepEqual(r.json, { error: 'rate limit exceeded' });
		// The faulted submit was recorded but created no job.
		assert.equal(sim.requestIds.length, 0);
		assert.equal(sim.requests.filter((q) => q.method === 'POST').length, 1);
		assert.equal((await call(sim, 'POST', '/requests', submitBody())).status, 200, 'consumed after 1 time');
		assert.equal(sim.faults.length, 0);

		sim.addFault([
			{ kind: 'status', status: 503, times: 2 },
			{ kind: 'status', status: 502 },
			{ kind: 'html' },
			{ kind: 'html', status: 504 },
			{ kind: 'malformed' },
			{ kind: 'empty' },
			{ kind: 'auth' },
		]);
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 503);
		assert.deepEqual(r.json, { error: 'upstream error' });
		assert.equal((await call(sim, 'GET', '/models')).status, 503);
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 502);
		assert.equal(r.headers.get('content-type'), 'text/html');
		assert.equal(r.text, '<html><body><h1>502 Bad Gateway</h1></body></html>');
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 500);
		assert.match(r.text, /<center>nginx<\/center>/);
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 504);
		assert.match(r.text, /504 Gateway Timeout/);
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('content-type'), 'application/json');
		assert.equal(r.text, '{"request_id": "x", "status": ');
		assert.equal(r.json, undefined);
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 200);
		assert.equal(r.text, '');
		assert.equal(r.headers.get('content-type'), 'application/json');
		r = await call(sim, 'GET', '/models');
		assert.equal(r.status, 401);
		assert.deepEqual(r.json, { error: 'Unauthorized: invalid API key' });
		assert.equal((await call(sim, 'GET', '/models')).status, 200);

		// Regex path, Infinity, clearFaults.
		sim.addFault({ kind: 'status', status: 500, path: /^\/requests\/[^/]+$/, times: Infinity });
		const id = sim.requestIds[0];
		for (let i = 0; i < 3; i++) assert.equal((await call(sim, 'GET', `/requests/${id}`)).status, 500);
		assert.equal((await call(sim, 'GET', '/requests')).status, 200, 'regex does not match the list');
		sim.clearFaults();
		assert.equal((await call(sim, 'GET', `/requests/${id}`)).status, 200);

		// '/requests/' prefix hits status polls, not submits.
		sim.addFault({ kind: '429', path: '/requests/' });
		assert.equal((await call(sim, 'POST', '/requests', submitBody())).status, 200);
		assert.equal((await call(sim, 'GET', `/requests/${id}`)).status, 429);

		// Files-server fault.
		sim.addFault({ server: 'files', kind: 'status', status: 503, path: '/videos/' });
		assert.equal((await call(sim, 'GET', '/models')).status, 200, 'api untouched by files fault');
		assert.equal((await fetch(`${sim.filesUrl}/videos/${id}/sample_0.mp4`)).status, 503);
		assert.equal((await fetch(`${sim.filesUrl}/videos/${id}/sample_0.mp4`)).status, 200);
		assert.throws(() => sim.addFault(/** @type {any} */ ({ kind: 'explode' })));
	} finally {
		await sim.close();
	}
});

test('faults: reset mid-body and hang; close() is quick with hanging requests', async () => {
	const sim = await startSimulator();
	try {
		sim.addFault({ kind: 'reset', path: '/requests/' });
		await expectNetworkError(async () => {
			const res = await fetch(`${sim.baseUrl}/requests/abc`, { headers: { authorization: 'Bearer test-key' } });
			await res.text();
		});
		assert.equal((await call(sim, 'GET', '/models')).status, 200, 'server fine after reset');

		sim.addFault({ server: 'files', kind: 'reset' });
		await expectNetworkError(async () => (await fetch(`${sim.filesUrl}/thumbs/x.jpg`)).arrayBuffer());

		sim.addFault({ kind: 'hang', times: 5 });
		await assert.rejects(
			fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer test-key' }, signal: AbortSignal.timeout(150) }),
			/abort|timeout/i,
		);
		// Leave some requests hanging, then close.
		const pending = [1, 2, 3].map(() =>
			fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer test-key' } }).then(
				() => 'answered',
				() => 'failed',
			),
		);
		await sleep(50);
		// Hanging requests are never answered: a close() that waited for them would never end.
		const closed = await Promise.race([sim.close().then(() => true), sleep(10_000).then(() => false)]);
		assert.ok(closed, 'close() waits for hanging requests');
		assert.deepEqual(await Promise.all(pending), ['failed', 'failed', 'failed']);
	} finally {
		await sim.close();
	}
});

// --- reset & control over HTTP ---------------------------------------------------------------

test('reset() clears requests, jobs, faults, counters and restores config', async () => {
	const sim = await startSimulator({ listShape: 'items' });
	try {
		const requestsRef = sim.requests;
		await call(sim, 'POST', '/requests', submitBody());
		sim.addFault({ kind: '429', times: Infinity, path: '/nothing' });
		sim.setListShape('array');
		sim.configure({ queuedMs: 5 });
		sim.reset();
		assert.equal(sim.requests.length, 0);
		assert.equal(sim.requests, requestsRef, 'same array kept, so held references stay live');
		assert.equal(sim.jobs.size, 0);
		assert.equal(sim.requestIds.length, 0);
		assert.equal(sim.submitsByPrompt.size, 0);
		assert.equal(sim.faults.length, 0);
		assert.deepEqual(sim.stats().submits, 0);
		assert.equal(sim.config.listShape, 'items');
		assert.equal(sim.config.queuedMs, 50);
	} finally {
		await sim.close();
	}
});

test('control endpoints under /__sim/ (unauthenticated, unrecorded)', async () => {
	// Queued for a minute: still queued when the stats are read, however busy the machine.
	const sim = await startSimulator({ queuedMs: 60_000 });
	const ctl = async (/** @type {string} */ method, /** @type {string} */ p, /** @type {unknown} */ body = undefined) => {
		const res = await fetch(`${sim.url}/__sim/${p}`, {
			method,
			headers: body !== undefined ? { 'content-type': 'application/json' } : {},
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		return { status: res.status, json: await res.json() };
	};
	try {
		const id = (await call(sim, 'POST', '/requests', submitBody())).json.request_id;
		await call(sim, 'POST', '/requests', { model: 'Minimax-Hailuo-02', payload: { prompt: PROMPT, duration: 7 } });
		await fetch(`${sim.filesUrl}/thumbs/${id}.jpg`, { headers: { authorization: 'Bearer x' } });

		let r = await ctl('GET', 'stats');
		assert.deepEqual(r.json, {
			submits: 2,
			submitsByPrompt: { [PROMPT]: 2 },
			requestIds: [id],
			statuses: { [id]: 'queued' },
			filesRequestsWithAuth: 1,
		});
		r = await ctl('GET', 'requests');
		assert.equal(r.json.length, 3);
		assert.ok(r.json.every((/** @type {any} */ q) => !q.path.startsWith('/__sim')));

		r = await ctl('POST', 'faults', [{ kind: 'status', status: 500, pathRegex: '^/models$', times: 'Infinity' }, { kind: '429' }]);
		assert.equal(r.status, 200);
		assert.equal(sim.faults.length, 2);
		assert.equal(sim.faults[0].times, Infinity);
		assert.equal((await call(sim, 'GET', '/models')).status, 500);
		assert.equal((await call(sim, 'GET', '/models')).status, 500);
		assert.equal((await call(sim, 'GET', '/requests')).status, 429);
		assert.equal((await ctl('POST', 'faults', { kind: 'nope' })).status, 400);
		assert.equal((await ctl('DELETE', 'faults')).status, 200);
		assert.equal(sim.faults.length, 0);

		r = await ctl('POST', 'config', { queuedMs: 0, processingMs: 0, videoBytes: 10, listShape: 'array', priceShape: 'per-video' });
		assert.deepEqual(r.json, {
			queuedMs: 0,
			processingMs: 0,
			videoBytes: 10,
			listShape: 'array',
			modelListShape: 'model_ids',
			listLagMs: 0,
			priceShape: 'per-video',
			modelPriceShapes: {},
		});
		assert.ok(Array.isArray((await call(sim, 'GET', '/requests')).json));
		assert.equal((await ctl('POST', 'config', { listShape: 'weird' })).status, 400);

		const before = sim.requests.length;
		r = await ctl('POST', 'reset');
		assert.equal(r.status, 200);
		assert.equal(sim.requests.length, 0);
		assert.ok(before > 0);
		assert.deepEqual((await ctl('GET', 'stats')).json.requestIds, []);
		assert.equal(sim.requests.length, 0, 'control calls are not recorded');
	} finally {
		await sim.close();
	}
});

test('cli.js prints one JSON line, serves, exits on SIGTERM', async () => {
	const child = spawn(
		process.execPath,
		[path.join(__dirname, 'cli.js'), '--api-key', 'cli-key', '--queued-ms', '0', '--processing-ms=0', '--video-bytes', '321'],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIM_PORT: '0' } },
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	try {
		// Node may take seconds to start on a busy machine.
		for (let i = 0; i < 1000 && !stdout.includes('\n'); i++) await sleep(20);
		const info = JSON.parse(stdout.trim());
		assert.deepEqual(Object.keys(info), ['url', 'filesUrl', 'apiKey']);
		assert.equal(info.apiKey, 'cli-key');
		const auth = { authorization: 'Bearer cli-key', 'content-type': 'application/json' };
		const sub = await fetch(`${info.url}${API_BASE}/requests`, { method: 'POST', headers: auth, body: JSON.stringify(submitBody()) });
		const { request_id } = await sub.json();
		await sleep(10);
		const rec = await (await fetch(`${info.url}${API_BASE}/requests/${request_id}`, { headers: auth })).json();
		assert.equal(rec.status, 'success');
		const video = await fetch(rec.outcome.video_url);
		assert.equal((await video.arrayBuffer()).byteLength, 321);
		const stats = await (await fetch(`${info.url}/__sim/stats`)).json();
		assert.equal(stats.submits, 1);
	} finally {
		child.kill('SIGTERM');
	}
	const result = /** @type {{code: number | null}} */ (await exited);
	assert.equal(result.code, 0, stderr);
	assert.equal(stdout.split('\n').filter(Boolean).length, 1, 'exactly one stdout line');
	assert.equal(stderr, '', 'silent without --verbose');
});

test('cli.js serves the real sample MP4 unless --video-bytes asks for a size', async () => {
	const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--queued-ms', '0', '--processing-ms', '0'], {
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	let stdout = '';
	child.stdout.on('data', (d) => (stdout += d));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	try {
		for (let i = 0; i < 1000 && !stdout.includes('\n'); i++) await sleep(20);
		const info = JSON.parse(stdout.trim());
		const auth = { authorization: `Bearer ${info.apiKey}`, 'content-type': 'application/json' };
		const { request_id } = await (await fetch(`${info.url}${API_BASE}/requests`, { method: 'POST', headers: auth, body: JSON.stringify(submitBody()) })).json();
		await sleep(10);
		const rec = await (await fetch(`${info.url}${API_BASE}/requests/${request_id}`, { headers: auth })).json();
		const video = Buffer.from(await (await fetch(rec.outcome.video_url)).arrayBuffer());
		assert.deepEqual(video, fs.readFileSync(path.join(__dirname, 'samples', 'sample.mp4')));
	} finally {
		child.kill('SIGTERM');
	}
	await exited;
});

test('drift markers: #noid answers without request_id, #nourl finishes without URLs, #nostatus drops the status', async () => {
	const sim = await startSimulator({ queuedMs: 0, processingMs: 0 });
	try {
		const submitted = async (/** @type {string} */ prompt) =>
			(await call(sim, 'POST', '/requests', { model: hailuoVideoModels[0], payload: { prompt, duration: 6, resolution: '768P' } })).json;
		const noId = await submitted('a #noid');
		assert.equal(noId.request_id, undefined);
		assert.equal(sim.requestIds.length, 1);
		const noUrl = await submitted('b #nourl');
		await sleep(20);
		const finished = (await call(sim, 'GET', `/requests/${noUrl.request_id}`)).json;
		assert.equal(finished.status, 'success');
		assert.deepEqual(finished.outcome, {});
		const noStatus = await submitted('c #nostatus');
		const record = (await call(sim, 'GET', `/requests/${noStatus.request_id}`)).json;
		assert.equal(record.request_id, noStatus.request_id);
		assert.equal('status' in record, false);
	} finally {
		await sim.close();
	}
});

// --- prices ----------------------------------------------------------------------------------

test('GET /models/{id} serves price_info per shape: none by default, one for all, or per model', async () => {
	const sim = await startSimulator();
	try {
		const priceInfo = async (/** @type {string} */ id) => (await call(sim, 'GET', '/models/' + encodeURIComponent(id))).json.price_info;
		assert.equal(await priceInfo('Minimax-Hailuo-02'), undefined);
		sim.configure({ priceShape: 'per-second' });
		assert.deepEqual(await priceInfo('Minimax-Hailuo-02'), { price: 0.045, pricing_type: 'per_second', unit: 'USD' });
		sim.configure({ modelPriceShapes: { 'Minimax-Hailuo-2.3-Fast': 'tiered', 'DeepSeek-R1': 'none' } });
		assert.equal(Array.isArray(await priceInfo('Minimax-Hailuo-2.3-Fast')), true);
		assert.equal(await priceInfo('DeepSeek-R1'), undefined);
		assert.deepEqual(await priceInfo('Minimax-Hailuo-2.3'), { price: 0.045, pricing_type: 'per_second', unit: 'USD' });
		assert.throws(() => sim.configure({ priceShape: /** @type {any} */ ('cheap') }), /priceShape must be one of none, per-second/);
		assert.throws(() => sim.configure({ modelPriceShapes: { x: /** @type {any} */ ('cheap') } }), /priceShape must be one of/);
		sim.reset();
		assert.equal(await priceInfo('Minimax-Hailuo-2.3-Fast'), undefined);
	} finally {
		await sim.close();
	}
});

// --- runner ----------------------------------------------------------------------------------

(async () => {
	let passed = 0;
	let failed = 0;
	for (const { name, fn } of tests) {
		try {
			await fn();
			passed++;
			process.stderr.write(`  ok   ${name}\n`);
		} catch (err) {
			failed++;
			process.stderr.write(`  FAIL ${name}\n    ${/** @type {Error} */ (err).stack}\n`);
		}
	}
	console.log(`selftest: ${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
})();
