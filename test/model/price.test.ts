/**
 * Issue 20, price: Model → Get and Model → List (Include Price) show a model's price as GMI
 * states it, normalised where its shape is readable, "unknown" with the reason otherwise, and
 * never a number GMI did not state.
 */
import type { ExecuteContext } from 'n8n-core';
import type { INodeParameters } from 'n8n-workflow';

import { modelDetailsOf } from '../../nodes/gmi/models';
import { estimateCost, type Price } from '../../nodes/gmi/price';
import { MAX_CONCURRENT_DETAILS } from '../../nodes/Hailuo/actions/model/list.operation';
import { executeContextFor, freshExecutionData } from '../helpers/engine';
import { useSimulator } from '../helpers/fixtures';
import { PRICE_SHAPES, type PriceShape } from '../simulator';

const gmi = useSimulator();

/**
 * Details are cached per account and model for a minute; each test is its own organization, so
 * no test reads a price another test's simulator configuration served.
 */
let organizations = 0;
const freshAccount = () => ({ credentials: gmi.credentials({ organizationId: `org-price-${++organizations}` }) });

const get = (model: string) => ({ resource: 'model', operation: 'get', model: { __rl: true, mode: 'id', value: model } });
const list = (options: INodeParameters = {}): INodeParameters => ({ resource: 'model', operation: 'list', options });
const detailRequests = () => gmi.apiRequests().filter((r) => r.method === 'GET' && r.path.includes('/models/'));

const UNREADABLE = "GMI's price_info could not be read";
const EXPECTED: Record<PriceShape, Price> = {
	none: { known: false, reason: 'absent', raw: null },
	'per-second': { known: true, amount: 0.045, currency: 'USD', per: 'second', raw: { price: 0.045, pricing_type: 'per_second', unit: 'USD' } },
	'per-video': { known: true, amount: 0.28, currency: null, per: 'video', raw: { price: 0.28, pricing_type: 'fixed', unit: 'video' } },
	'per-request': { known: true, amount: 0.25, currency: 'USD', per: 'request', raw: { price: '$0.25', pricing_type: 'per_request', unit: 'request' } },
	'string-amount': { known: true, amount: 0.05, currency: null, per: 'second', raw: { price: '0.05', pricing_type: 'per_second', unit: 'second' } },
	'no-unit': { known: false, reason: `${UNREADABLE}: it does not say per what (request, second, video)`, raw: { price: 0.28 } },
	unreadable: { known: false, reason: `${UNREADABLE}: the price "from 0.19" is not a plain amount`, raw: { price: 'from 0.19', pricing_type: 'per_video', unit: 'video' } },
	tiered: {
		known: false,
		reason: `${UNREADABLE}: it lists 2 prices (by resolution or duration?), not one`,
		raw: [
			{ resolution: '768P', duration: 6, price: 0.28 },
			{ resolution: '1080P', duration: 6, price: 0.49 },
		],
	},
};

describe('Model → Get: price', () => {
	test('the simulator serves every shape this suite expects', () => {
		expect([...PRICE_SHAPES].sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	test.each(Object.keys(EXPECTED) as PriceShape[])('price_info shaped %s → price as expected, beside acceptedParameters', async (shape) => {
		gmi.sim.configure({ priceShape: shape });
		const { items, error } = await gmi.run(get('Minimax-Hailuo-02'), freshAccount());
		expect(error).toBeUndefined();
		expect(items[0].json.price).toEqual(EXPECTED[shape]);
		expect(items[0].json.acceptedParameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'prompt' })]));
	});

	test('an unreadable or absent price gives no estimate; a readable one gives exactly what it states', () => {
		const estimates = Object.fromEntries(Object.entries(EXPECTED).map(([shape, price]) => [shape, estimateCost(price, { duration: 6 })]));
		expect(estimates).toEqual({
			none: undefined,
			'per-second': 0.27,
			'per-video': 0.28,
			'per-request': 0.25,
			'string-amount': 0.3,
			'no-unit': undefined,
			unreadable: undefined,
			tiered: undefined,
		});
	});

	test("GMI's own price_info stays in the answer as it came", async () => {
		gmi.sim.configure({ priceShape: 'per-request' });
		const { items } = await gmi.run(get('Minimax-Hailuo-2.3'), freshAccount());
		expect(items[0].json.price_info).toEqual({ price: '$0.25', pricing_type: 'per_request', unit: 'request' });
	});
});

describe('Model → List: Include Price', () => {
	test('by default: no price and no details requests, the output as before', async () => {
		gmi.sim.configure({ priceShape: 'per-video' });
		const { items } = await gmi.run(list(), freshAccount());
		expect(items.map((i) => Object.keys(i.json).sort())).toEqual(gmi.sim.models.map(() => ['id', 'isHailuoVideoModel']));
		expect(detailRequests()).toHaveLength(0);
	});

	test("on: each model's price from its own details, in list order, one details request per model", async () => {
		gmi.sim.configure({ priceShape: 'none', modelPriceShapes: { 'Minimax-Hailuo-02': 'per-video', 'Minimax-Hailuo-2.3': 'per-second', 'Minimax-Hailuo-2.3-Fast': 'tiered' } });
		const { items, error } = await gmi.run(list({ includePrice: true }), freshAccount());
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.id)).toEqual(gmi.sim.models);
		const priceOf = (id: string) => items.find((i) => i.json.id === id)?.json.price;
		expect(priceOf('Minimax-Hailuo-02')).toEqual(EXPECTED['per-video']);
		expect(priceOf('Minimax-Hailuo-2.3')).toEqual(EXPECTED['per-second']);
		expect(priceOf('Minimax-Hailuo-2.3-Fast')).toEqual(EXPECTED.tiered);
		expect(priceOf('DeepSeek-R1')).toEqual(EXPECTED.none);
		expect(detailRequests().map((r) => decodeURIComponent(r.path.split('/').pop() ?? '')).sort()).toEqual([...gmi.sim.models].sort());
	});

	test("a model whose details fail gets an unknown price naming why; the others and the list still come", async () => {
		gmi.sim.configure({ priceShape: 'per-second' });
		gmi.sim.addFault({ method: 'GET', path: '/models/Veo3', kind: 'status', status: 500, times: Infinity });
		const { items, error } = await gmi.run(list({ includePrice: true }), freshAccount());
		expect(error).toBeUndefined();
		expect(items).toHaveLength(gmi.sim.models.length);
		expect(items.find((i) => i.json.id === 'Veo3')?.json.price).toEqual({ known: false, reason: "GMI's model details could not be read (HTTP 500)", raw: null });
		expect(items.filter((i) => (i.json.price as Price).known)).toHaveLength(gmi.sim.models.length - 1);
	});

	test(`details are read at most ${MAX_CONCURRENT_DETAILS} at a time`, async () => {
		// The first details requests never answer: while they hang, no further one may start.
		gmi.sim.addFault({ method: 'GET', path: /^\/models\/./, kind: 'hang', times: MAX_CONCURRENT_DETAILS });
		expect(gmi.sim.models.length).toBeGreaterThan(MAX_CONCURRENT_DETAILS);
		let started = -1;
		setTimeout(() => (started = detailRequests().length), 700);
		const { cancelledAt } = await gmi.run(list({ includePrice: true }), { ...freshAccount(), cancelAfterMs: 900 });
		expect(cancelledAt).toBeDefined();
		expect(started).toBe(MAX_CONCURRENT_DETAILS);
	});
});

describe('modelDetailsOf (what Submit reads before any request)', () => {
	/** The context n8n gives a custom operation (`this` of an `execute`), as Submit runs in it. */
	const executeContext = (organizationId: string): ExecuteContext =>
		executeContextFor({ parameters: {}, credentials: gmi.credentials({ organizationId }), items: [{ json: {} }], runExecutionData: freshExecutionData() });

	test('carries the parsed price and the required parameters', async () => {
		gmi.sim.configure({ modelPriceShapes: { 'Minimax-Hailuo-2.3-Fast': 'per-second' } });
		const details = await modelDetailsOf(executeContext(`org-price-${++organizations}`), 'Minimax-Hailuo-2.3-Fast');
		expect(details.price).toEqual(EXPECTED['per-second']);
		expect(details.required).toEqual(['prompt', 'first_frame_image']);
		expect(details.parameters).toEqual(['prompt', 'duration', 'resolution', 'first_frame_image', 'prompt_optimizer', 'fast_pretreatment']);
		expect(details.allowed.resolution).toEqual(['768P', '1080P']);
	});

	test('read once per model and account for a minute: a second call sends no request', async () => {
		const ctx = executeContext(`org-price-${++organizations}`);
		await modelDetailsOf(ctx, 'Minimax-Hailuo-02');
		await modelDetailsOf(ctx, 'Minimax-Hailuo-02');
		expect(detailRequests()).toHaveLength(1);
	});

	test('unreadable details: no parameters, nothing required, and an unknown price naming why (not remembered)', async () => {
		const ctx = executeContext(`org-price-${++organizations}`);
		gmi.sim.addFault({ method: 'GET', path: '/models/Minimax-Hailuo-02', kind: 'status', status: 503 });
		expect(await modelDetailsOf(ctx, 'Minimax-Hailuo-02')).toEqual({
			parameters: [],
			required: [],
			allowed: {},
			price: { known: false, reason: "GMI's model details could not be read (HTTP 503)", raw: null },
		});
		expect((await modelDetailsOf(ctx, 'Minimax-Hailuo-02')).parameters).toContain('prompt');
	});
});
