/**
 * Answers that do not fit what GMI documents are loud: an error quoting the answer, or a
 * result that says plainly what is missing. Never a success that silently lacks something.
 */
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 60 });
const waiting = (extra = {}) => submit({ waitUntilDone: true, pollInterval: 1, timeout: 30, ...extra });

describe('Submit: answers that do not fit', () => {
	test('an answer without request_id is an error quoting the answer, not an item that never waited', async () => {
		const { error, items } = await gmi.run(waiting({ prompt: 'Harbor #noid' }));
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/GMI accepted the submit but named no job \(no request_id\) in its answer: \{"model":"Minimax-Hailuo-02","status":"queued"/);
		expect(error?.description).toMatch(/Video → List/);
	});

	test('the same without waiting', async () => {
		const { error } = await gmi.run(submit({ prompt: 'Harbor #noid' }));
		expect(error?.message).toMatch(/no request_id/);
	});
});

describe('finished jobs without a result URL', () => {
	test('waiting: videoUrl is null and a warning says why', async () => {
		const { error, items } = await gmi.run(waiting({ prompt: 'Harbor #nourl' }));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'success', videoUrl: null, warning: expect.stringMatching(/finished but gave no result URL \(outcome: \{\}\)/) });
		expect(items[0].json.warning).toContain(String(items[0].json.request_id));
	});

	test('Get Status without waiting: the same', async () => {
		const first = await gmi.run(waiting({ prompt: 'Harbor #nourl' }));
		const { items } = await gmi.run({ resource: 'video', operation: 'getStatus', requestId: String(first.items[0].json.request_id), waitUntilDone: false });
		expect(items[0].json).toMatchObject({ status: 'success', videoUrl: null, warning: expect.any(String) });
	});

	test('with Download Video on: an error naming the request id', async () => {
		const { error } = await gmi.run(waiting({ prompt: 'Harbor #nourl', downloadVideo: true }));
		expect(error?.message).toBe(`Request ${gmi.sim.requestIds[0]} finished without a video URL, so there is nothing to download`);
	});

	test('with Download Video and Continue On Fail: the record stays, with the error', async () => {
		const { items } = await gmi.run(waiting({ prompt: 'Harbor #nourl', downloadVideo: true }), { continueOnFail: true });
		expect(items[0].json).toMatchObject({ request_id: gmi.sim.requestIds[0], videoUrl: null, error: expect.stringMatching(/without a video URL/) });
		expect(items[0].binary).toBeUndefined();
	});
});

describe('status answers that do not fit', () => {
	test('a record without a status is an error quoting it, not a wait until the timeout', async () => {
		const { error } = await gmi.run(waiting({ prompt: 'Harbor #nostatus' }));
		expect(error?.message).toMatch(new RegExp(`GMI answered the status of request ${gmi.sim.requestIds[0]} without a status: \\{"request_id"`));
		const polls = gmi.sim.requests.filter((r) => r.method === 'GET');
		expect(polls).toHaveLength(1);
	});

	test('Get Status: the same, waiting or not', async () => {
		await gmi.run(submit({ prompt: 'Harbor #nostatus' }));
		const requestId = gmi.sim.requestIds[0];
		for (const waitUntilDone of [false, true]) {
			const { error, items } = await gmi.run({ resource: 'video', operation: 'getStatus', requestId, waitUntilDone, pollInterval: 1 });
			expect(items).toEqual([]);
			expect(error?.message).toMatch(new RegExp(`GMI answered the status of request ${requestId} without a status: \\{"request_id":"${requestId}"`));
		}
	});
});
