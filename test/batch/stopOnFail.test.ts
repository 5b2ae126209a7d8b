/**
 * Stop on fail (n8n's default): RoutingNode runs every item's request at once and, when one
 * fails, throws that item's error and drops every other item's result. Whatever GMI accepted
 * must then be in that error: request id, status and video URL of every other job of the run.
 */
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator({ queuedMs: 20, processingMs: 80 });
const batch = (extra = {}) => submit({ prompt: '={{ $json.prompt }}', waitUntilDone: true, pollInterval: 1, timeout: 30, ...extra });
const items = (...prompts: string[]) => prompts.map((prompt) => ({ json: { prompt } }));
const idOf = (prompt: string) => [...gmi.sim.jobs.values()].find((job) => job.payload.prompt === prompt)!.id;

describe('a batch that stops on one failure', () => {
	test('a job failed at GMI: the error carries the other jobs, finished, with their video URLs', async () => {
		const { error, items: output } = await gmi.run(batch(), { items: items('Harbor', 'Volcano #fail', 'City #ms=600') });
		expect(output).toEqual([]);
		expect(error?.message).toMatch(new RegExp(`Video request ${idOf('Volcano #fail')} failed`));
		for (const prompt of ['Harbor', 'City #ms=600']) {
			expect(error?.description).toMatch(new RegExp(`item \\d: request ${idOf(prompt)}: success, video ${gmi.sim.filesUrl}/videos/\\S+\\.mp4`));
		}
		// The failed job's own advice stays first.
		expect(error?.description).toMatch(/^Request ID: .*Check the prompt/);
	});

	test('a job cancelled at GMI: same', async () => {
		const { error } = await gmi.run(batch(), { items: items('Volcano #cancel', 'Harbor') });
		expect(error?.message).toMatch(/was cancelled/);
		expect(error?.description).toContain(`request ${idOf('Harbor')}: success`);
	});

	test('a failed download: the error carries the other jobs, and the failed one keeps its id in the message', async () => {
		gmi.sim.addFault({ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 1 });
		const { error } = await gmi.run(batch({ downloadVideo: true }), { items: items('Harbor', 'Desert', 'City') });
		expect(error?.message).toMatch(/Downloading the video of request \S+ .* failed: HTTP 404/);
		const failedId = /request (\S+) from/.exec(error!.message)![1];
		const others = gmi.sim.requestIds.filter((id) => id !== failedId);
		expect(others).toHaveLength(2);
		for (const id of others) expect(error?.description).toContain(`request ${id}: success, video`);
	});

	test('a submit refused for one item: the accepted ones are in its error', async () => {
		gmi.sim.addFault({ kind: 'status', status: 500, method: 'POST', path: /^\/requests$/ });
		const { error } = await gmi.run(batch(), { items: items('Harbor', 'Desert', 'City') });
		expect(error?.message).toMatch(/may still have been created.*HTTP 500/);
		expect(gmi.sim.requestIds).toHaveLength(2);
		for (const id of gmi.sim.requestIds) expect(error?.description).toContain(`request ${id}: success`);
	});

	test('a submit whose connection breaks before GMI answers: n8n’s own error carries the accepted jobs', async () => {
		gmi.sim.addFault({ kind: 'reset', method: 'POST', path: /^\/requests$/ });
		const { error } = await gmi.run(batch(), { items: items('Harbor', 'Desert', 'City') });
		expect(error?.message).toMatch(/connection|aborted|socket hang up/i);
		expect(gmi.sim.requestIds).toHaveLength(2);
		for (const id of gmi.sim.requestIds) expect(error?.description).toContain(`request ${id}: success`);
	});

	test('a job still running when a sibling fails is listed as running, with its request id', async () => {
		const { error } = await gmi.run(batch({ timeout: 2 }), { items: items('Volcano #fail', 'Glacier #stuck') });
		// The stuck job times out (not an error): it is in the failing item's error as still running.
		expect(error?.description).toContain(`request ${idOf('Glacier #stuck')}: queued, still running at GMI (the wait timed out)`);
	});

	test('a batch where nothing fails is unchanged', async () => {
		const { error, items: output } = await gmi.run(batch(), { items: items('Harbor', 'Desert') });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.status)).toEqual(['success', 'success']);
	});

	test('with Continue On Fail every item keeps its own result, and errors list nothing else', async () => {
		const { error, items: output } = await gmi.run(batch(), { items: items('Harbor', 'Volcano #fail'), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('success');
		expect(output[1].json).toMatchObject({ status: 'failed', request_id: idOf('Volcano #fail'), error: expect.stringMatching(/failed/) });
		expect(String(output[1].json.error)).not.toContain(idOf('Harbor'));
	});
});
