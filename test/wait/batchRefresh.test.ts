import type { RecordedRequest } from '../simulator';
import { LIST_SHAPES } from '../simulator';
import { submit, useSimulator } from '../helpers/fixtures';
import { waitingGroups } from '../../nodes/Hailuo/helpers/batchRefresh';

const gmi = useSimulator({ queuedMs: 20, processingMs: 80 });
const waiting = (extra = {}) => submit({ waitUntilDone: true, pollInterval: 1, timeout: 30, prompt: '={{ $json.prompt }}', ...extra });
const items = (...prompts: string[]) => ({ items: prompts.map((prompt) => ({ json: { prompt } })) });

const isList = (r: RecordedRequest) => r.server === 'api' && r.method === 'GET' && r.path.endsWith('/requests');
const ownPollsOf = (id: string) => gmi.sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/requests/${id}`));
const lists = () => gmi.sim.requests.filter(isList);

describe('Batch status refresh', () => {
	afterEach(() => expect(waitingGroups()).toBe(0));

	test('jobs of one account are refreshed by the list; each asks its own status once, for its final record', async () => {
		const { items: out, error } = await gmi.run(waiting(), items('a #ms=300', 'b #ms=1600', 'c #ms=2600', 'd #ms=900'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success', 'success']);
		for (const item of out) {
			expect(item.json.videoUrl).toEqual(expect.stringContaining('/sample_0.mp4'));
			expect(ownPollsOf(String(item.json.request_id))).toHaveLength(1);
		}
		expect(lists().length).toBeGreaterThan(0);
		expect(lists().every((r) => r.query.model_id === 'Minimax-Hailuo-02')).toBe(true);
	});

	test.each(LIST_SHAPES.filter((shape) => shape !== 'unknown'))('a list answered as "%s" serves the batch', async (shape) => {
		gmi.sim.setListShape(shape);
		const { items: out, error } = await gmi.run(waiting(), items('a #ms=300', 'b #ms=1500', 'c #ms=800'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		for (const item of out) expect(ownPollsOf(String(item.json.request_id))).toHaveLength(1);
	});

	test('a list in a shape the contract does not name is asked once; then every job asks for itself', async () => {
		gmi.sim.setListShape('unknown');
		const { items: out, error } = await gmi.run(waiting(), items('a #ms=1500', 'b #ms=2500', 'c #ms=2500'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		expect(lists()).toHaveLength(1);
		for (const item of out) expect(ownPollsOf(String(item.json.request_id)).length).toBeGreaterThan(1);
	});

	test('a job the list leaves out is waited for with its own requests', async () => {
		const { items: out, error } = await gmi.run(waiting(), items('listed #ms=2500', 'hidden #unlisted #ms=2500', 'listed too #ms=2500'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		expect(ownPollsOf(String(out[1].json.request_id)).length).toBeGreaterThan(1);
		expect(ownPollsOf(String(out[0].json.request_id))).toHaveLength(1);
	});

	test('a list that lags behind the jobs never decides an outcome: every item gets the job’s own final record', async () => {
		gmi.sim.configure({ listLagMs: 1500 });
		const { items: out, error } = await gmi.run(waiting(), { ...items('a #ms=200', 'b #fail #ms=700', 'c #ms=1200 #vanish'), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(out[0].json).toMatchObject({ status: 'success', videoUrl: expect.any(String) });
		expect(out[1].json).toMatchObject({ status: 'failed', failureReason: expect.any(String) });
		expect(String(out[2].json.error)).toMatch(/is gone/);
	});

	test('a list that calls a job failed or finished is checked against the job’s own record', async () => {
		const { items: out, error } = await gmi.run(waiting(), items('a #listed-as=failed #ms=2500', 'b #listed-as=success #ms=2500', 'c #ms=2500'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		expect(out.every((item) => typeof item.json.videoUrl === 'string')).toBe(true);
	});

	test('list trouble (429, 500, a refused list) only delays the round; jobs still end with their own records', async () => {
		gmi.sim.addFault([
			{ kind: '429', method: 'GET', path: /^\/requests$/, retryAfter: 1 },
			{ kind: 'status', status: 500, method: 'GET', path: /^\/requests$/ },
			{ kind: 'status', status: 404, method: 'GET', path: /^\/requests$/ },
		]);
		const { items: out, error } = await gmi.run(waiting(), items('a #ms=500', 'b #ms=1000', 'c #ms=1500'));
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success']);
		expect(gmi.sim.faults).toHaveLength(0);
	});

	test('jobs of different models are listed by model', async () => {
		const { items: out } = await gmi.run(waiting({ model: { __rl: true, mode: 'id', value: '={{ $json.model }}' } }), {
			items: [
				{ json: { prompt: 'a #ms=2000', model: 'Minimax-Hailuo-02' } },
				{ json: { prompt: 'b #ms=2000', model: 'Minimax-Hailuo-02' } },
				{ json: { prompt: 'c #ms=2000', model: 'Minimax-Hailuo-2.3' } },
				{ json: { prompt: 'd #ms=2000', model: 'Minimax-Hailuo-2.3' } },
			],
		});
		expect(out.map((item) => item.json.status)).toEqual(['success', 'success', 'success', 'success']);
		expect(new Set(lists().map((r) => r.query.model_id))).toEqual(new Set(['Minimax-Hailuo-02', 'Minimax-Hailuo-2.3']));
	});

	test('jobs of one account waiting in different executions share the list', async () => {
		const runs = await Promise.all([gmi.run(waiting(), items('first #ms=2600')), gmi.run(waiting(), items('second #ms=2600'))]);
		for (const { items: out, error } of runs) {
			expect(error).toBeUndefined();
			expect(out[0].json.status).toBe('success');
			// Alone, a job asks for itself every round; with a neighbour the list answers for both.
			expect(ownPollsOf(String(out[0].json.request_id))).toHaveLength(1);
		}
	});

	test('jobs of other accounts on the same host are never in one list', async () => {
		const other = { apiKey: 'other-account-key', baseUrl: gmi.sim.url, organizationId: '' };
		gmi.sim.extraApiKeys.push(other.apiKey);
		const runs = await Promise.all([gmi.run(waiting(), items('mine #ms=2600')), gmi.run(waiting(), { ...items('theirs #ms=2600'), credentials: other })]);
		for (const { items: out } of runs) expect(out[0].json.status).toBe('success');
		expect(lists()).toHaveLength(0);
	});
});
