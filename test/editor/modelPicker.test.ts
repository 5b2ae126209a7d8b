import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { loadOptionsContext } from '../helpers/engine';
import { useSimulator } from '../helpers/fixtures';

const gmi = useSimulator();
const { listSearch } = new Hailuo().methods;
const context = () => loadOptionsContext({ resource: 'video', operation: 'submit' }, gmi.credentials());

describe('the Model picker', () => {
	test('Submit and List offer only the Hailuo / MiniMax video models from GET /models', async () => {
		const { results } = await listSearch.searchVideoModels.call(context());
		expect(results.map((r) => r.value)).toEqual(['minimax-hailuo-02', 'Minimax-Hailuo-02', 'Minimax-Hailuo-2.3', 'Minimax-Hailuo-2.3-Fast']);
		expect(gmi.sim.requests[0].headers.authorization).toBe('Bearer test-key');
	});

	test('typing filters the list', async () => {
		const { results } = await listSearch.searchVideoModels.call(context(), 'fast');
		expect(results.map((r) => r.value)).toEqual(['Minimax-Hailuo-2.3-Fast']);
	});

	test('Model → Get offers every model', async () => {
		const { results } = await listSearch.searchModels.call(context());
		expect(results).toHaveLength(gmi.sim.models.length);
	});

	test.each([['models'], ['model-objects']] as const)('a list answered as %s fills the picker the same way', async (shape) => {
		gmi.sim.configure({ modelListShape: shape });
		const { results } = await listSearch.searchVideoModels.call(context());
		expect(results.map((r) => r.value)).toEqual(['minimax-hailuo-02', 'Minimax-Hailuo-02', 'Minimax-Hailuo-2.3', 'Minimax-Hailuo-2.3-Fast']);
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
