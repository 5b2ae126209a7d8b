import { videoContent } from '../simulator';
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 80 });
const waiting = (extra = {}) => submit({ waitUntilDone: true, pollInterval: 1, timeout: 30, ...extra });
const pollsOf = (id: string) => gmi.sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/requests/${id}`));

describe('Wait Until Done', () => {
	test('Submit waits by default and returns the finished job with its video URL', async () => {
		const { items, error } = await gmi.run({ resource: 'video', operation: 'submit', prompt: 'Tides', pollInterval: 1 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'success', videoUrl: expect.stringContaining('/sample_0.mp4') });
		expect(items[0].json.thumbnailUrl).toBeUndefined(); // Simplify keeps to the fields a workflow chains on
		expect(items[0].json.timedOut).toBeUndefined();
		expect(pollsOf(String(items[0].json.request_id)).length).toBeGreaterThanOrEqual(1);
	});

	test('unknown in-flight statuses are waited through', async () => {
		const { items } = await gmi.run(waiting({ prompt: 'Dunes #unknown-status' }));
		expect(items[0].json.status).toBe('success');
	});

	test.each([
		['failed', 'A volcano #fail', /Video request .* failed: Video generation failed: content moderation/],
		['cancelled', 'A volcano #cancel', /Video request .* was cancelled/],
	])('a %s job is an error naming the request id and the reason', async (_status, prompt, message) => {
		const { error } = await gmi.run(waiting({ prompt }));
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain(gmi.sim.requestIds[0]);
	});

	test('a job failed by the rate limit says so', async () => {
		const { error } = await gmi.run(waiting({ prompt: 'Crowds #ratelimit' }));
		expect(error?.message).toMatch(/failed: rate limit exceeded/);
		expect(error?.description).toMatch(/rate limit/);
	});

	test('with Continue On Fail a failed job’s item carries its record and the error, others succeed', async () => {
		const { items, error } = await gmi.run(waiting({ prompt: '={{ $json.prompt }}' }), {
			items: [{ json: { prompt: 'Rain #fail' } }, { json: { prompt: 'Sun' } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const failedId = [...gmi.sim.jobs.values()].find((job) => String(job.payload.prompt).includes('#fail'))?.id;
		expect(items[0].json).toMatchObject({ status: 'failed', request_id: failedId, failureReason: expect.any(String), error: expect.stringMatching(/failed/) });
		expect(items[1].json.status).toBe('success');
	});

	test('a timeout returns the last known record with timedOut and its request id, not an error', async () => {
		const { items, error } = await gmi.run(waiting({ prompt: 'Glacier #stuck', timeout: 1.5 }));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ timedOut: true, request_id: gmi.sim.requestIds[0], status: 'queued' });
	});

	test('Get Status with waiting picks a timed-out job up again', async () => {
		const first = await gmi.run(waiting({ prompt: 'Slow bloom #ms=1500', timeout: 1 }));
		expect(first.items[0].json.timedOut).toBe(true);
		const { items } = await gmi.run({
			resource: 'video',
			operation: 'getStatus',
			requestId: '={{ $json.request_id }}',
			waitUntilDone: true,
			pollInterval: 1,
		}, { items: first.items.map((i) => ({ json: i.json })) });
		expect(items[0].json).toMatchObject({ status: 'success', request_id: first.items[0].json.request_id });
		expect(items[0].json.timedOut).toBeUndefined();
	});

	test('many items wait together: every job is polled before any is polled twice', async () => {
		const prompts = ['a #ms=100', 'b #ms=1200', 'c #ms=400', 'd #ms=2200'];
		const { items } = await gmi.run(waiting({ prompt: '={{ $json.prompt }}' }), { items: prompts.map((prompt) => ({ json: { prompt } })) });
		expect(items.map((i) => i.json.status)).toEqual(['success', 'success', 'success', 'success']);
		const polls = gmi.sim.requests.filter((r) => r.method === 'GET' && /\/requests\/[^/]+$/.test(r.path)).map((r) => r.path.split('/').pop());
		expect(new Set(polls.slice(0, 4)).size).toBe(4);
		// The slowest job is still being polled after the quickest one finished: the waits overlap.
		const slowest = String(items[3].json.request_id);
		expect(polls.lastIndexOf(slowest)).toBeGreaterThan(polls.indexOf(String(items[0].json.request_id)));
	});

	test('429 with Retry-After and a burst of 5xx while polling do not end the wait', async () => {
		gmi.sim.addFault([
			{ kind: '429', path: '/requests/', method: 'GET', retryAfter: 1 },
			{ kind: 'status', status: 500, path: '/requests/', method: 'GET', times: 2 },
			{ kind: 'status', status: 503, path: '/requests/', method: 'GET' },
		]);
		const { items, error } = await gmi.run(waiting({ prompt: 'Storm' }));
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('success');
		expect(gmi.sim.faults).toHaveLength(0);
	});

	test('resets and unreadable bodies while polling do not end the wait', async () => {
		gmi.sim.addFault([
			{ kind: 'reset', path: '/requests/', method: 'GET' },
			{ kind: 'malformed', path: '/requests/', method: 'GET' },
			{ kind: 'empty', path: '/requests/', method: 'GET' },
		]);
		const { items, error } = await gmi.run(waiting({ prompt: 'Harbor' }));
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('success');
	});

	test('a job that vanishes while waiting is an error naming its request id', async () => {
		const { error } = await gmi.run(waiting({ prompt: 'Ghost #vanish #ms=2000' }));
		expect(error?.message).toMatch(new RegExp(`Request ${gmi.sim.requestIds[0]} is gone`));
	});
});

describe('Download Video', () => {
	test('the finished video comes back as binary data: right size, type and file name', async () => {
		const { items, error } = await gmi.run(waiting({ prompt: 'Aurora #bytes=300000', downloadVideo: true }));
		expect(error).toBeUndefined();
		const binary = items[0].binary?.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${gmi.sim.requestIds[0]}.mp4`, fileExtension: 'mp4' });
		expect(Buffer.from(binary!.data, 'base64').equals(videoContent(300000))).toBe(true);
	});

	test('the binary field name is configurable', async () => {
		const { items } = await gmi.run(waiting({ downloadVideo: true, binaryPropertyName: 'video' }));
		expect(Object.keys(items[0].binary ?? {})).toEqual(['video']);
	});

	test('the download host never receives the API key', async () => {
		await gmi.run(waiting({ downloadVideo: true }), { items: [{ json: {} }, { json: {} }] });
		const downloads = gmi.sim.requests.filter((r) => r.server === 'files');
		expect(downloads).toHaveLength(2);
		expect(downloads.every((r) => r.headers.authorization === undefined)).toBe(true);
		expect(gmi.sim.stats().filesRequestsWithAuth).toBe(0);
	});

	test('a timed-out or failed job is not downloaded', async () => {
		await gmi.run(waiting({ prompt: 'x #stuck', timeout: 1, downloadVideo: true }));
		await gmi.run(waiting({ prompt: 'y #fail', downloadVideo: true }), { continueOnFail: true });
		expect(gmi.sim.requests.filter((r) => r.server === 'files')).toHaveLength(0);
	});
});
