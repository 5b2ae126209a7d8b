/**
 * Retry On Fail: n8n's WorkflowExecute runs the whole node again (every item) up to `maxTries`
 * times when a try throws. A job GMI accepted in an earlier try is picked up again, never
 * submitted twice; only a job that failed or was cancelled at GMI is submitted anew.
 */
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 80 });
const batch = (extra = {}) => submit({ prompt: '={{ $json.prompt }}', waitUntilDone: true, pollInterval: 1, timeout: 30, ...extra });
const items = (...prompts: string[]) => prompts.map((prompt) => ({ json: { prompt } }));
const retry = { retryOnFail: { maxTries: 3 } };
const submits = () => gmi.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/requests'));

describe('Retry On Fail', () => {
	test('a failed download is retried by downloading again: one job, one submit', async () => {
		gmi.sim.addFault({ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 3 });
		const { error, items: output } = await gmi.run(batch({ prompt: 'Harbor', downloadVideo: true }), { ...retry });
		// 3 tries × 1 download attempt each (a 404 is not retried within a try) use up the 3 faults.
		expect(error?.message).toMatch(/Downloading the video of request .* failed: HTTP 404/);
		expect(output).toEqual([]);
		expect(gmi.sim.requests.filter((r) => r.server === 'files' && r.path.startsWith('/videos/'))).toHaveLength(3);
		expect(submits()).toHaveLength(1);
		expect(gmi.sim.requestIds).toHaveLength(1);
	});

	test('a download that works on the second try ends in the video, from the one job', async () => {
		gmi.sim.addFault({ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 1 });
		const { error, items: output } = await gmi.run(batch({ prompt: 'Harbor', downloadVideo: true }), { ...retry });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'success', request_id: gmi.sim.requestIds[0] });
		expect(output[0].binary?.data).toBeDefined();
		expect(submits()).toHaveLength(1);
	});

	test('a batch whose one job fails: the others are resumed, only the failed one is submitted anew', async () => {
		const { error } = await gmi.run(batch(), { items: items('Harbor', 'Volcano #fail', 'City'), ...retry });
		expect(error?.message).toMatch(/failed: Video generation failed/);
		expect(gmi.sim.submitsByPrompt.get('Harbor')).toBe(1);
		expect(gmi.sim.submitsByPrompt.get('City')).toBe(1);
		// The failed job is submitted again on each of the 3 tries.
		expect(gmi.sim.submitsByPrompt.get('Volcano #fail')).toBe(3);
		// Every try's error lists the resumed jobs, so the last one (the one n8n shows) does too.
		for (const prompt of ['Harbor', 'City']) {
			const id = [...gmi.sim.jobs.values()].find((job) => job.payload.prompt === prompt)!.id;
			expect(error?.description).toContain(`request ${id}: success`);
		}
	});

	test('a job whose wait hit a poll error is resumed, not submitted again', async () => {
		gmi.sim.addFault({ kind: 'auth', method: 'GET', path: '/requests/', times: 1 });
		const { error, items: output } = await gmi.run(batch({ prompt: 'Harbor' }), { ...retry });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'success', request_id: gmi.sim.requestIds[0] });
		expect(submits()).toHaveLength(1);
	});

	test('a submit answered with a server error is submitted again (nothing was accepted)', async () => {
		gmi.sim.addFault({ kind: 'status', status: 500, method: 'POST', path: /^\/requests$/ });
		const { error, items: output } = await gmi.run(batch({ prompt: 'Harbor' }), { ...retry });
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('success');
		expect(submits()).toHaveLength(2);
		expect(gmi.sim.requestIds).toHaveLength(1);
	});

	test('a submit accepted without a request id is never submitted again', async () => {
		const { error } = await gmi.run(batch({ prompt: 'Harbor #noid' }), { ...retry });
		expect(error?.message).toMatch(/Not submitting this item again/);
		expect(submits()).toHaveLength(1);
	});

	test('with Continue On Fail too: n8n retries when the first item carries an error, and the others are resumed', async () => {
		const { error, items: output } = await gmi.run(batch(), { items: items('Volcano #fail', 'Harbor'), continueOnFail: true, ...retry });
		expect(error).toBeUndefined();
		// WorkflowExecute re-runs the node while the first output item has an `error` field.
		expect(gmi.sim.submitsByPrompt.get('Volcano #fail')).toBe(3);
		expect(gmi.sim.submitsByPrompt.get('Harbor')).toBe(1);
		expect(output[0].json).toMatchObject({ status: 'failed', error: expect.stringMatching(/failed/) });
		expect(output[1].json).toMatchObject({ status: 'success', request_id: gmi.sim.requestIds.find((id) => gmi.sim.jobs.get(id)!.payload.prompt === 'Harbor') });
	});

	test('without Retry On Fail nothing is resumed: a new run is a new job', async () => {
		await gmi.run(batch({ prompt: 'Harbor' }));
		await gmi.run(batch({ prompt: 'Harbor' }));
		expect(gmi.sim.submitsByPrompt.get('Harbor')).toBe(2);
	});

	test('each item of a retried node has its own job', async () => {
		const { items: output } = await gmi.run(batch({ prompt: 'Harbor' }), { items: items('a', 'b'), ...retry });
		expect(output).toHaveLength(2);
		expect(new Set(output.map((item) => item.json.request_id)).size).toBe(2);
	});
});
