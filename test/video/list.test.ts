import { NodeOperationError } from 'n8n-workflow';

import type { ListShape } from '../simulator';
import { submit, useSimulator } from '../helpers/fixtures';

const gmi = useSimulator();
const list = (extra = {}) => ({ resource: 'video', operation: 'list', ...extra });
const listCalls = () => gmi.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/requests'));

async function submitMany(count: number, model = 'Minimax-Hailuo-02') {
	await gmi.run(submit({ prompt: '={{ $json.prompt }}', model, options: { maxJobsPerRun: 0 } }), { items: Array.from({ length: count }, (_, i) => ({ json: { prompt: `job ${i}` } })) });
}

describe('Video → List', () => {
	test('returns one item per job, limited to 50 by default', async () => {
		await submitMany(3);
		const { items } = await gmi.run(list());
		expect(items).toHaveLength(3);
		expect(new Set(items.map((i) => i.json.request_id))).toEqual(new Set(gmi.sim.requestIds));
		expect(listCalls()[0].query).toMatchObject({ page: '1', page_size: '50' });
	});

	test('the model filter is sent as model_id', async () => {
		await submitMany(2);
		await submitMany(1, 'Minimax-Hailuo-2.3');
		const { items } = await gmi.run(list({ model: { __rl: true, mode: 'list', value: 'Minimax-Hailuo-2.3' } }));
		expect(items.map((i) => i.json.model)).toEqual(['Minimax-Hailuo-2.3']);
		expect(listCalls()[0].query.model_id).toBe('Minimax-Hailuo-2.3');
	});

	test('with several input items, each listed job is paired with the item that asked', async () => {
		await submitMany(2);
		const { items } = await gmi.run(list(), { items: [{ json: {} }, { json: {} }] });
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});

	test('Limit stops at the limit', async () => {
		await submitMany(5);
		const { items } = await gmi.run(list({ limit: 2 }));
		expect(items).toHaveLength(2);
	});

	test('Return All follows the pages while the total says there are more', async () => {
		await submitMany(230);
		const { items } = await gmi.run(list({ returnAll: true }));
		expect(items).toHaveLength(230);
		expect(new Set(items.map((i) => i.json.request_id)).size).toBe(230);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});

	test('a limit over one page fetches just enough pages', async () => {
		await submitMany(150);
		const { items } = await gmi.run(list({ limit: 120 }));
		expect(items).toHaveLength(120);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2']);
	});

	test.each<ListShape>(['requests', 'array', 'items', 'data', 'list', 'nototal', 'stringtotal', 'ignorespage'])('reads the "%s" response shape', async (shape) => {
		gmi.sim.setListShape(shape);
		await submitMany(3);
		const { items, error } = await gmi.run(list());
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items.every((i) => typeof i.json.request_id === 'string')).toBe(true);
	});

	test('an unpaged answer is taken as the whole list (no second request)', async () => {
		gmi.sim.setListShape('nototal');
		await submitMany(3);
		await gmi.run(list({ returnAll: true }));
		expect(listCalls()).toHaveLength(1);
	});

	test('an unknown list wrapper is an error naming the keys GMI sent, not an empty list', async () => {
		gmi.sim.setListShape('unknown');
		await submitMany(2);
		const { items, error } = await gmi.run(list());
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/shape this node does not know: an object with the keys results, count/);
	});

	test('a total sent as a string is read as a number: Return All reads every page', async () => {
		gmi.sim.setListShape('stringtotal');
		await submitMany(130);
		const { items } = await gmi.run(list({ returnAll: true }));
		expect(items).toHaveLength(130);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2']);
	});

	test('a server that ignores page: the repeated page ends the listing, no job twice', async () => {
		gmi.sim.setListShape('ignorespage');
		await submitMany(130);
		const { items, error } = await gmi.run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(100);
		expect(new Set(items.map((i) => i.json.request_id)).size).toBe(100);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2']);
	});

	test('without a total, a full page asks for the next one', async () => {
		gmi.sim.setListShape('nototal');
		await submitMany(130);
		const { items } = await gmi.run(list({ returnAll: true }));
		expect(items).toHaveLength(130);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '2']);
	});

	test('429 and 5xx on a page are retried with backoff, on page 1 as on later pages', async () => {
		await submitMany(130);
		gmi.sim.addFault([
			{ method: 'GET', path: /\/requests$/, kind: '429', retryAfter: 0 },
			{ method: 'GET', path: /\/requests$/, kind: 'status', status: 503 },
		]);
		const { items, error } = await gmi.run(list({ returnAll: true }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(130);
		expect(listCalls().map((r) => r.query.page)).toEqual(['1', '1', '1', '2']);
	});

	test('a page that keeps failing ends in an error naming the page and the answer', async () => {
		await submitMany(3);
		gmi.sim.addFault({ method: 'GET', path: /\/requests$/, kind: 'status', status: 502, times: Infinity });
		const { error } = await gmi.run(list());
		expect(error?.message).toMatch(/Listing jobs \(page 1, 5 attempts\).*HTTP 502/);
		expect(listCalls()).toHaveLength(5);
	}, 60_000);

	test.each([[0], [-1], ['abc']])('limit %p is refused before any request', async (limit) => {
		const { items } = await gmi.run(list({ limit }), { continueOnFail: true });
		expect(items[0].error).toBeInstanceOf(NodeOperationError);
		expect(items[0].error?.message).toMatch(/Limit \(limit\).*a whole number of 1 or more/);
		expect(gmi.sim.requests).toHaveLength(0);
	});
});
