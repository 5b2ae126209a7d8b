/**
 * The API key never reaches an output or an error, whatever its length and in whatever form a
 * host echoes it: as is, or JSON-escaped inside a JSON body (once, or twice in a nested string).
 */
import { runHailuo } from '../helpers/engine';
import { submit } from '../helpers/fixtures';
import { startGateway } from '../hostile/gateway';
import { startSimulator } from '../simulator';

const forms = (key: string) => {
	const once = JSON.stringify(key).slice(1, -1);
	return [key, once, JSON.stringify(once).slice(1, -1)];
};

describe('the API key is masked in every form', () => {
	test.each([
		['a short key (6 characters)', 'k3y-42'],
		['a key holding quotes and backslashes (JSON-escaped when echoed)', 'sk-"quoted"\\slashed\\-0123456789'],
		['a short key holding a quote', 'a"b\\c'],
	])('%s echoed by a gateway in a 401', async (_name, key) => {
		const sim = await startSimulator({ apiKey: key });
		const gateway = await startGateway({ target: sim.url, echoAuth: { method: 'POST', path: /\/requests$/, status: 401, times: 1 } });
		try {
			const { error, run } = await runHailuo({ parameters: submit(), credentials: { apiKey: key, baseUrl: gateway.url, organizationId: '' } });
			expect(gateway.echoed).toBe(1);
			expect(error?.message).toMatch(/The API key was rejected \(HTTP 401\): upstream rejected credentials "Bearer \*\*\*" \(key \*\*\*\)/);
			const texts = [error?.message, error?.description, JSON.stringify(run.data)].join('\n');
			for (const form of forms(key)) expect(texts).not.toContain(form);
		} finally {
			await gateway.close();
			await sim.close();
		}
	});

	test('a short key inside longer words is left alone (it is not the key there)', async () => {
		const { withoutKey } = await import('../../nodes/gmi/errors');
		expect(withoutKey({ message: 'abc rejected; abcdef is fine', note: 'key=abc' }, 'abc')).toEqual({ message: '*** rejected; abcdef is fine', note: 'key=***' });
	});
});
