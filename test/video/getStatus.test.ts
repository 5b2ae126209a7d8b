import { NodeOperationError } from 'n8n-workflow';

import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 60 });
const getStatus = (requestId: string, extra = {}) => ({ resource: 'video', operation: 'getStatus', requestId, ...extra });

async function submittedId(prompt = 'A kite over a beach'): Promise<string> {
	const { items } = await gmi.run(submit({ prompt }));
	return String(items[0].json.request_id);
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('Video → Get Status', () => {
	test('returns the job record while it is in flight', async () => {
		// A job that renders for a minute is still in flight however busy the machine is.
		const id = await submittedId('A kite over a beach #ms=60000');
		const { items } = await gmi.run(getStatus(id, { simplify: false }));
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ request_id: id, status: expect.stringMatching(/queued|processing/), outcome: null });
		expect(items[0].json.videoUrl).toBeUndefined();
	});

	test('Simplify (the default) returns the fields a workflow chains on, not GMI’s whole record', async () => {
		const id = await submittedId();
		await sleep(150);
		const { items } = await gmi.run(getStatus(id));
		expect(Object.keys(items[0].json).sort()).toEqual(
			['created_at', 'duration', 'model', 'prompt', 'request_id', 'resolution', 'status', 'updated_at', 'videoUrl'].sort(),
		);
		expect(items[0].json).toMatchObject({ request_id: id, status: 'success', prompt: 'A kite over a beach', duration: 6, resolution: '768P' });
	});

	test('with Simplify off, a finished job gets a top-level videoUrl and thumbnailUrl, the API fields kept', async () => {
		const id = await submittedId();
		await sleep(150);
		const { items } = await gmi.run(getStatus(id, { simplify: false }));
		const json = items[0].json as Record<string, any>;
		expect(json.status).toBe('success');
		expect(json.videoUrl).toBe(json.outcome.video_url);
		expect(json.thumbnailUrl).toBe(json.outcome.thumbnail_image_url);
		expect(json.payload).toMatchObject({ prompt: 'A kite over a beach' });
	});

	test('media_urls outcomes (other models) also give a videoUrl', async () => {
		const id = await submittedId('A choir #media');
		await sleep(150);
		const { items } = await gmi.run(getStatus(id, { simplify: false }));
		expect(items[0].json.videoUrl).toBe((items[0].json.outcome as any).media_urls[0].url);
	});

	test('a failed job is returned as a record with its failureReason when not waiting', async () => {
		const id = await submittedId('A storm #fail');
		await sleep(150);
		const { items, error } = await gmi.run(getStatus(id));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'failed', failureReason: 'Video generation failed: content moderation' });
	});

	test('an id of several items is looked up per item', async () => {
		const ids = [await submittedId('a'), await submittedId('b')];
		const { items } = await gmi.run(getStatus('={{ $json.id }}'), { items: ids.map((id) => ({ json: { id } })) });
		expect(items.map((i) => i.json.request_id)).toEqual(ids);
	});

	test('an unknown request id is a 404 error naming "Not found"', async () => {
		const { error } = await gmi.run(getStatus('00000000-0000-0000-0000-000000000000'));
		expect(error?.message).toMatch(/Not found \(HTTP 404\): request not found/);
	});

	test.each([
		['empty', '   ', /is empty/],
		['a path', '../models', /is not a valid id/],
		['with spaces', 'abc def', /is not a valid id/],
	])('an %s request id is refused before any request', async (_name, requestId, problem) => {
		const { items } = await gmi.run(getStatus(requestId), { continueOnFail: true });
		expect(items[0].error).toBeInstanceOf(NodeOperationError);
		expect(items[0].error?.message).toMatch(/Request ID \(requestId\)/);
		expect(items[0].error?.message).toMatch(problem);
		expect(gmi.sim.requests).toHaveLength(0);
	});
});
