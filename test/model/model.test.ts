import { NodeOperationError } from 'n8n-workflow';

import { useSimulator } from '../helpers/fixtures';
import { unlistedHailuoModel } from '../simulator';

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

	test.each([['models'], ['model-objects']] as const)('a list answered as %s gives the same items', async (shape) => {
		gmi.sim.configure({ modelListShape: shape });
		const { items, error } = await gmi.run({ resource: 'model', operation: 'list' });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.id)).toEqual(gmi.sim.models);
	});

	test('an unknown wrapper is an error naming the keys GMI sent', async () => {
		gmi.sim.configure({ modelListShape: 'unknown' });
		const { error, items } = await gmi.run({ resource: 'model', operation: 'list' });
		expect(items).toEqual([]);
		expect(error?.message).toBe('GMI answered the model list in an unknown shape (keys: data, total)');
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

	test('acceptedParameters lists what the model takes: name, type, required, allowed values, default', async () => {
		const { items } = await gmi.run({ resource: 'model', operation: 'get', model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-2.3-Fast' } });
		const accepted = items[0].json.acceptedParameters as Array<Record<string, unknown>>;
		expect(accepted.map((p) => p.name)).toEqual(['prompt', 'duration', 'resolution', 'first_frame_image', 'prompt_optimizer', 'fast_pretreatment']);
		expect(accepted.find((p) => p.name === 'resolution')).toEqual({
			name: 'resolution',
			type: 'string',
			required: false,
			allowedValues: ['768P', '1080P'],
			default: '768P',
			description: 'Output resolution.',
		});
		expect(accepted.find((p) => p.name === 'prompt')).toMatchObject({ required: true, allowedValues: null, default: null });
	});

	test('parameters described as a JSON schema (enum, required list) are normalised the same way', async () => {
		gmi.sim.models.push(unlistedHailuoModel);
		try {
			const { items } = await gmi.run({ resource: 'model', operation: 'get', model: { __rl: true, mode: 'id', value: unlistedHailuoModel } });
			expect(items[0].json.acceptedParameters).toEqual([
				{ name: 'prompt', type: 'string', required: true, allowedValues: null, default: null, description: 'Text description of the video.' },
				{ name: 'duration', type: 'integer', required: false, allowedValues: [6], default: 6, description: null },
				{ name: 'resolution', type: 'string', required: false, allowedValues: ['768P'], default: '768P', description: null },
				{ name: 'first_frame_image', type: 'string', required: false, allowedValues: null, default: null, description: null },
			]);
		} finally {
			gmi.sim.models.pop();
		}
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
