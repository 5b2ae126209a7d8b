/**
 * MiniMax's own v1 video routes (test/simulator/minimax.js), which `npm run bench:peer` drives with
 * n8n's built-in MiniMax node: the shapes that node reads, the same prompt markers as GMI's jobs.
 */
import { startSimulator, type Simulator } from '../simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ queuedMs: 0, processingMs: 100 });
});
afterEach(() => sim.reset());
afterAll(async () => await sim.close());

const call = async (method: string, path: string, body?: object, key = sim.apiKey) => {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	return { status: res.status, json: (await res.json()) as Record<string, any> };
};
const generate = (prompt: string, extra: object = {}) => call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-02', prompt, duration: 6, resolution: '768P', ...extra });
const query = (taskId: string) => call('GET', `/v1/query/video_generation?task_id=${taskId}`);
const until = async (taskId: string, status: string) => {
	for (let i = 0; i < 50; i++) {
		const answer = await query(taskId);
		if (answer.json.status === status) return answer.json;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`task ${taskId} never reached ${status}`);
};

describe("the simulator's MiniMax v1 video API", () => {
	test('a task goes Processing → Success with a file id; the file names a URL that serves the video', async () => {
		const { status, json } = await generate('a fox #ms=100');
		expect(status).toBe(200);
		expect(json).toEqual({ task_id: expect.stringMatching(/^\d+$/), base_resp: { status_code: 0, status_msg: 'success' } });
		expect((await query(json.task_id)).json).toMatchObject({ status: 'Processing', base_resp: { status_code: 0 } });
		const done = await until(json.task_id, 'Success');
		expect(done.file_id).toEqual(expect.stringMatching(/^\d+$/));
		const file = await call('GET', `/v1/files/retrieve?file_id=${done.file_id}`);
		expect(file.json).toMatchObject({ file: { file_id: done.file_id, purpose: 'video_generation' }, base_resp: { status_code: 0 } });
		const video = await fetch(file.json.file.download_url);
		expect(video.status).toBe(200);
		expect((await video.arrayBuffer()).byteLength).toBe(file.json.file.bytes);
	});

	test('#fail ends the task as Fail, the reason in base_resp', async () => {
		const { json } = await generate('a fox #ms=50 #fail');
		const failed = await until(json.task_id, 'Fail');
		expect(failed.base_resp).toEqual({ status_code: 1026, status_msg: 'Video generation failed: content moderation' });
		expect(failed.file_id).toBeUndefined();
	});

	test('errors come as HTTP 200 with base_resp: a wrong key, an unknown model, a resolution the model lacks', async () => {
		expect((await call('GET', '/v1/query/video_generation?task_id=1', undefined, 'wrong')).json.base_resp.status_code).toBe(1004);
		expect((await generate('x', { model: 'Minimax-Hailuo-02' })).json.base_resp.status_code).toBe(2013);
		expect((await generate('x', { duration: 10, resolution: '1080P' })).json.base_resp).toMatchObject({ status_code: 2013, status_msg: expect.stringMatching(/1080P at 10 s/) });
		expect(sim.stats().requestIds).toEqual([]);
	});

	test("MiniMax's tasks stay out of GMI's job list, and GMI's routes are unchanged", async () => {
		await generate('a fox');
		const list = await fetch(`${sim.baseUrl}/requests`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		expect(((await list.json()) as { requests: unknown[] }).requests).toEqual([]);
		expect(sim.stats().submits).toBe(1);
	});
});
