import type { INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { loadOptionsContext } from '../helpers/engine';
import { useSimulator } from '../helpers/fixtures';

const gmi = useSimulator();
const hailuo = new Hailuo();
const { listSearch } = hailuo.methods;
const context = () => loadOptionsContext({ resource: 'video', operation: 'submit' }, gmi.credentials());

describe('the Model picker', () => {
	test('Submit and List offer only the Hailuo / MiniMax video models from GET /models, each once', async () => {
		// GMI lists Minimax-Hailuo-02 also as the slug minimax-hailuo-02
		expect(gmi.sim.models).toEqual(expect.arrayContaining(['Minimax-Hailuo-02', 'minimax-hailuo-02']));
		const { results } = await listSearch.searchVideoModels.call(context());
		expect(results).toEqual([
			{ name: 'Minimax-Hailuo-02', value: 'Minimax-Hailuo-02' },
			{ name: 'Minimax-Hailuo-2.3', value: 'Minimax-Hailuo-2.3' },
			{ name: 'Minimax-Hailuo-2.3-Fast', value: 'Minimax-Hailuo-2.3-Fast' },
		]);
		expect(gmi.sim.requests[0].headers.authorization).toBe('Bearer test-key');
	});

	test.each([
		[['minimax-hailuo-02', 'Minimax-Hailuo-02'], 'Minimax-Hailuo-02'],
		[['minimax-hailuo-next', 'Minimax-Hailuo-Next'], 'Minimax-Hailuo-Next'],
		[['minimax-hailuo-next'], 'minimax-hailuo-next'],
	])('listed as %j, the model shows once, as %s', async (ids, shown) => {
		const listed = gmi.sim.models.splice(0, gmi.sim.models.length, ...ids, 'DeepSeek-R1');
		try {
			expect((await listSearch.searchVideoModels.call(context())).results.map((r) => r.value)).toEqual([shown]);
			expect((await listSearch.searchModels.call(context())).results.map((r) => r.value)).toEqual(['DeepSeek-R1', shown]);
		} finally {
			gmi.sim.models.splice(0, gmi.sim.models.length, ...listed);
		}
	});

	test('typing filters the list; typing the slug finds GMI’s spelling', async () => {
		expect((await listSearch.searchVideoModels.call(context(), 'fast')).results.map((r) => r.value)).toEqual(['Minimax-Hailuo-2.3-Fast']);
		expect((await listSearch.searchVideoModels.call(context(), 'minimax-hailuo-02')).results.map((r) => r.value)).toEqual(['Minimax-Hailuo-02']);
	});

	test('Model → Get offers every model, each once', async () => {
		const { results } = await listSearch.searchModels.call(context());
		expect(results).toHaveLength(new Set(gmi.sim.models.map((id) => id.toLowerCase())).size);
		expect(results.map((r) => r.value)).toContain('DeepSeek-R1');
	});

	test('a new node’s Model field starts on "From List", with the default model picked', () => {
		const fields = hailuo.description.properties.filter((p: INodeProperties) => p.name === 'model');
		const defaults = fields.map((p) => [p.displayOptions?.show?.operation, p.default as INodeParameterResourceLocator]);
		expect(defaults).toEqual([
			[['submit'], { mode: 'list', value: 'Minimax-Hailuo-02', cachedResultName: 'Minimax-Hailuo-02' }],
			[['list'], { mode: 'list', value: '' }],
			[['get'], { mode: 'list', value: '' }],
		]);
	});

	test.each([['models'], ['model-objects']] as const)('a list answered as %s fills the picker the same way', async (shape) => {
		gmi.sim.configure({ modelListShape: shape });
		const { results } = await listSearch.searchVideoModels.call(context());
		expect(results.map((r) => r.value)).toEqual(['Minimax-Hailuo-02', 'Minimax-Hailuo-2.3', 'Minimax-Hailuo-2.3-Fast']);
	});

	test('an unknown list wrapper shows an error naming the keys found', async () => {
		gmi.sim.configure({ modelListShape: 'unknown' });
		await expect(listSearch.searchModels.call(context())).rejects.toThrow('GMI answered the model list in an unknown shape (keys: data, total)');
	});

	test('a rejected key shows the credential hint in the picker', async () => {
		const ctx = loadOptionsContext({}, gmi.credentials({ apiKey: 'bad' }));
		await expect(listSearch.searchVideoModels.call(ctx)).rejects.toThrow(/API key was rejected/);
	});
});
