import { NodeOperationError } from 'n8n-workflow';

import { useSimulator } from '../helpers/fixtures';

const gmi = useSimulator();

describe('Model → List', () => {
	test('returns one item per model id, marking the Hailuo video models', async () => {
		const { items } = await gmi.run({ resource: 'model', operation: 'list' });
		expect(items.map((i) => i.json.id)).toEqual(gmi.sim.models);
		expect(items.filter((i) => i.json.isHailuoVideoModel).map((i) => i.json.id)).toEqual([
			'Minimax-Hailuo-02',
			'Minimax-Hailuo-2.3',
			'Minimax-Hailuo-2.3-Fast',
			'minimax-hailuo-02',
		]);
	});

	test('a rejected key fails with the credential hint', async () => {
		const { error } = await gmi.run({ resource: 'model', operation: 'list' }, { credentials: gmi.credentials({ apiKey: 'nope' }) });
		expect(error?.message).toMatch(/API key was rejected/);
	});
});

describe('Model → Get', () => {
	test('returns the model description and parameters', async () => {
		const { items } = await gmi.run({ resource: 'model', operation: 'get', model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-2.3-Fast' } });
		expect(items[0].json).toMatchObject({ model: 'Minimax-Hailuo-2.3-Fast', parameters: expect.any(Array) });
		expect(gmi.apiRequests()[0].path).toMatch(/\/models\/Minimax-Hailuo-2\.3-Fast$/);
	});

	test('an unknown model is a 404 naming it', async () => {
		const { error } = await gmi.run({ resource: 'model', operation: 'get', model: 'No-Such-Model' });
		expect(error?.message).toMatch(/Not found \(HTTP 404\): model not found: No-Such-Model/);
	});

	test.each([['={{ "" }}'], ['a/b'], ['has space']])('model id %p is refused before any request', async (model) => {
		const { items } = await gmi.run({ resource: 'model', operation: 'get', model: { __rl: true, mode: 'id', value: model } }, { continueOnFail: true });
		expect(items[0].error).toBeInstanceOf(NodeOperationError);
		expect(items[0].error?.message).toMatch(/Model \(model\)/);
		expect(gmi.sim.requests).toHaveLength(0);
	});
});
