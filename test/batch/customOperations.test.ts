/**
 * Submit and Get Status are n8n custom operations (`customOperations.video.*`, picked by
 * WorkflowExecute by resource and operation): plain code over n8n's public API. These tests hold
 * what must not depend on anything n8n merely happens to do: the order in which items' checks
 * finish, the objects n8n hands a retry, the way an AI agent's tool call reaches the node.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { executeContextFor, freshExecutionData, nodeTypes, HAILUO_TYPE } from '../helpers/engine';
import { API_KEY, submit, useSimulator } from '../helpers/fixtures';
import { defaultModels, unlistedHailuoModel } from '../simulator';

const gmi = useSimulator({ queuedMs: 20, processingMs: 80, models: [...defaultModels, unlistedHailuoModel] });
const submits = () => gmi.apiRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/requests'));
const items = (...prompts: string[]): INodeExecutionData[] => prompts.map((prompt) => ({ json: { prompt } }));
const waiting = (extra: INodeParameters = {}) => submit({ prompt: '={{ $json.prompt }}', waitUntilDone: true, pollInterval: 1, timeout: 30, ...extra });
let account = 0;
const freshAccount = () => gmi.credentials({ organizationId: `custom-op-${++account}` });

describe('n8n runs Submit and Get Status as custom operations', () => {
	test('the node declares them by resource and operation, and keeps routing only for the tool path', () => {
		const node = new Hailuo();
		expect(Object.keys(node.customOperations.video).sort()).toEqual(['getStatus', 'submit']);
		const operations = node.description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('video'));
		const submitOption = operations?.options?.find((o) => 'value' in o && o.value === 'submit') as { routing?: { operations?: { pagination?: unknown } } };
		expect(typeof submitOption.routing?.operations?.pagination).toBe('function');
	});

	test('items whose checks finish in reverse order: the invalid first item still stops every submit', async () => {
		const credentials = freshAccount();
		// Warm the details of Hailuo-02 for this account: item 2's check then finishes at once, while
		// item 1 (a model only its details know) waits for GMI's answer and is refused after it.
		await gmi.run(submit({ prompt: 'warm-up' }), { credentials });
		gmi.sim.reset();
		const { error } = await gmi.run(
			submit({ prompt: '={{ $json.prompt }}', model: { __rl: true, mode: 'id', value: '={{ $json.model }}' }, resolution: '={{ $json.resolution }}' }),
			{
				items: [
					{ json: { prompt: 'first', model: unlistedHailuoModel, resolution: '1080P' } },
					{ json: { prompt: 'second', model: 'Minimax-Hailuo-02', resolution: '768P' } },
				],
				credentials,
			},
		);
		expect(gmi.apiRequests().map((r) => `${r.method} ${r.path.replace(/.*apikey/, '')}`)).toEqual([`GET /models/${unlistedHailuoModel}`]);
		expect(error?.message).toMatch(/^Item 1 of this run is invalid, so no item was sent: Invalid Resolution/);
		expect(submits()).toHaveLength(0);
	});

	test('a retry that gets a fresh context and a fresh execute-data object still resumes the job GMI accepted', async () => {
		const runExecutionData = freshExecutionData();
		const parameters = waiting({ downloadVideo: true });
		const credentials = { apiKey: API_KEY, baseUrl: gmi.sim.url, organizationId: '' };
		const tryOnce = async () => {
			const ctx = executeContextFor({ parameters, credentials, items: items('Harbor', 'Desert'), runExecutionData });
			return await new Hailuo().customOperations.video.submit.call(ctx as unknown as IExecuteFunctions);
		};
		gmi.sim.addFault({ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 1 });
		await expect(tryOnce()).rejects.toThrow(/Downloading the video of request .* failed: HTTP 404/);
		const [output] = await tryOnce();
		expect(output.map((item) => item.json.status)).toEqual(['success', 'success']);
		expect(output.every((item) => item.binary?.data)).toBe(true);
		expect(submits()).toHaveLength(2);
		// The run ended well: its book is emptied, so nothing of it is carried further in the execution's data.
		expect(JSON.stringify(runExecutionData.executionData?.contextData)).not.toContain('Harbor');
		expect(Object.values(Object.values(runExecutionData.executionData!.contextData)[0] ?? {}).every((book) => Object.keys(book as object).length === 0)).toBe(true);
	});

	test('the next run of the node in a loop is new work: its jobs are not the earlier run’s', async () => {
		const runExecutionData = freshExecutionData();
		const credentials = { apiKey: API_KEY, baseUrl: gmi.sim.url, organizationId: '' };
		const run = async () => await new Hailuo().customOperations.video.submit.call(executeContextFor({ parameters: submit(), credentials, items: items('x'), runExecutionData }) as unknown as IExecuteFunctions);
		await run();
		await run();
		expect(submits()).toHaveLength(2);
	});

	test('an AI agent’s tool call (RoutingNode, n8n’s path for a declarative node used as a tool) runs the same code for its one item', async () => {
		const nodeType = nodeTypes.getByNameAndVersion(HAILUO_TYPE, 1);
		const credentials = { apiKey: API_KEY, baseUrl: gmi.sim.url, organizationId: '' };
		const ctx = executeContextFor({ parameters: waiting({ prompt: '={{ $json.prompt }}' }), credentials, items: items('A tool-made video'), runExecutionData: freshExecutionData() });
		const [output] = (await nodeType.execute!.call(ctx as unknown as IExecuteFunctions)) as INodeExecutionData[][];
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'success', prompt: 'A tool-made video', videoUrl: expect.any(String) });
		expect(submits().map((r) => r.body.payload.prompt)).toEqual(['A tool-made video']);
	});
});

describe('what a run shows', () => {
	test('Simplify (the default) returns the fields a workflow chains on; off returns GMI’s whole record', async () => {
		const simple = await gmi.run(waiting({ prompt: 'Harbor' }));
		expect(Object.keys(simple.items[0].json).sort()).toEqual(
			['created_at', 'duration', 'model', 'prompt', 'request_id', 'resolution', 'status', 'updated_at', 'videoUrl'].sort(),
		);
		const full = await gmi.run(waiting({ prompt: 'Harbor', simplify: false }));
		expect(full.items[0].json).toMatchObject({ status: 'success', outcome: { video_url: expect.any(String) }, payload: { prompt: 'Harbor' }, videoUrl: expect.any(String) });
	});

	test('a submit without waiting returns its job with what was asked for', async () => {
		const { items: out } = await gmi.run(submit({ prompt: 'Dunes', duration: 10 }));
		expect(out[0].json).toMatchObject({ request_id: gmi.sim.requestIds[0], status: 'queued', prompt: 'Dunes', duration: 10, resolution: '768P' });
	});

	test('a run that left jobs rendering, or items failed with Continue On Fail, carries an execution hint', async () => {
		const timedOut = await gmi.run(waiting({ timeout: 1 }), { items: items('Glacier #stuck', 'Harbor') });
		expect(timedOut.items.map((item) => item.json.timedOut)).toEqual([true, undefined]);
		expect(timedOut.hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^1 of 2 video jobs were still rendering when the wait timed out/));
		const failed = await gmi.run(waiting(), { items: items('Volcano #fail', 'Harbor'), continueOnFail: true });
		expect(failed.hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^1 of 2 items failed/));
		const clean = await gmi.run(waiting(), { items: items('Harbor') });
		expect(clean.hints.filter((hint) => hint.type === 'warning')).toEqual([]);
	});
});

describe('the wait trusts the job, not the clock or the list', () => {
	test('a job that finished before the deadline is never reported timed out: the deadline’s last look asks the job', async () => {
		// The next poll would be due after the deadline: without the last look the job came back queued and timedOut.
		const { items: out } = await gmi.run(waiting({ prompt: 'Quick #ms=300', pollInterval: 30, timeout: 2 }));
		expect(out[0].json).toMatchObject({ status: 'success', videoUrl: expect.any(String) });
		expect(out[0].json.timedOut).toBeUndefined();
	});

	test('a list that keeps saying "processing" is checked against a job’s own record, then no longer trusted', async () => {
		const { items: out } = await gmi.run(waiting({ timeout: 60 }), { items: items('a #listed-as=processing #ms=200', 'b #listed-as=processing #ms=200', 'c #listed-as=processing #ms=200') });
		expect(out.map((item) => [item.json.status, item.json.timedOut])).toEqual([
			['success', undefined],
			['success', undefined],
			['success', undefined],
		]);
		// Trusted to the deadline, the list would have been read every second for 60 s; a job that had
		// no own answer for 10 intervals checks it, and the contradiction ends the trust.
		const lists = gmi.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/requests'));
		expect(lists.length).toBeLessThanOrEqual(15);
	});
});

describe('Max Jobs per Run', () => {
	const many = (count: number) => Array.from({ length: count }, (_, i) => ({ json: { prompt: `job ${i + 1}` } }));

	test('101 items with the default limit (100): nothing is sent, and the error says how to raise it', async () => {
		const { error } = await gmi.run(submit({ prompt: '={{ $json.prompt }}' }), { items: many(101) });
		expect(error?.message).toBe('This run would submit 101 paid video jobs, more than Max Jobs per Run allows (100)');
		expect(error?.description).toMatch(/raise Options → Max Jobs per Run \(0 means no limit\)/);
		expect(gmi.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	test('with Continue On Fail the first 100 go and the 101st gets an error item', async () => {
		const { items: out } = await gmi.run(submit({ prompt: '={{ $json.prompt }}' }), { items: many(101), continueOnFail: true });
		expect(submits()).toHaveLength(100);
		expect(out.filter((item) => item.json.request_id)).toHaveLength(100);
		expect(String(out[100].json.error)).toMatch(/item 101 was not submitted/);
	});

	test('0 means no limit; a lower limit is refused above it', async () => {
		await gmi.run(submit({ prompt: '={{ $json.prompt }}', options: { maxJobsPerRun: 0 } }), { items: many(101) });
		expect(submits()).toHaveLength(101);
		gmi.sim.reset();
		const { error } = await gmi.run(submit({ prompt: '={{ $json.prompt }}', options: { maxJobsPerRun: 2 } }), { items: many(3) });
		expect(error?.message).toMatch(/3 paid video jobs, more than Max Jobs per Run allows \(2\)/);
		expect(submits()).toHaveLength(0);
	});

	test('jobs a Retry On Fail try picks up again were paid once and do not count again', async () => {
		gmi.sim.addFault({ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 1 });
		const { error, items: out } = await gmi.run(waiting({ downloadVideo: true, options: { maxJobsPerRun: 2 } }), { items: items('a', 'b'), retryOnFail: { maxTries: 2, waitBetweenTries: 10 } });
		expect(error).toBeUndefined();
		expect(out).toHaveLength(2);
		expect(submits()).toHaveLength(2);
	});
});

describe('what a batch will cost', () => {
	test('each job’s estimate when GMI states a price, and one hint with the batch total', async () => {
		gmi.sim.configure({ priceShape: 'per-second' });
		try {
			const { items: out, hints } = await gmi.run(submit({ prompt: '={{ $json.prompt }}', duration: 6 }), { items: items('a', 'b'), credentials: freshAccount() });
			expect(out[0].json.estimatedCost).toEqual({ amount: 0.27, currency: 'USD' });
			expect(hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^Estimated cost: .*2 jobs.*≈ \$0\.54/));
		} finally {
			gmi.sim.configure({ priceShape: 'none' });
		}
	});

	test('no stated price: no estimate is invented, the hint says it is unknown, and the submit goes', async () => {
		const { items: out, hints, error } = await gmi.run(submit({ prompt: 'a' }), { credentials: freshAccount() });
		expect(error).toBeUndefined();
		expect(out[0].json.estimatedCost).toBeUndefined();
		expect(hints.map((hint) => hint.message)).toContainEqual(expect.stringMatching(/^Estimated cost: .*price unknown/));
	});
});
