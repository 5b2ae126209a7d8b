import { accountKeyOf } from '../../nodes/gmi/account';
import { waitingGroups } from '../../nodes/Hailuo/helpers/batchRefresh';
import { rememberedAccounts } from '../../nodes/gmi/rateLimitPause';
import { submit, useSimulator } from '../helpers/fixtures';

const OTHER_KEY = 'second-account-key-0123';
const gmi = useSimulator({ queuedMs: 20, processingMs: 80, extraApiKeys: [OTHER_KEY] });
const waiting = (extra = {}) => submit({ waitUntilDone: true, pollInterval: 1, prompt: '={{ $json.prompt }}', ...extra });
const items = (count: number, prompt: string) => Array.from({ length: count }, (_, i) => ({ json: { prompt: `${prompt} ${i}` } }));
/** Every status request of the first account is refused with a long Retry-After. */
const limitFirstAccount = (retryAfter: number) =>
	gmi.sim.addFault({ kind: '429', method: 'GET', path: /^\/requests/, apiKey: gmi.sim.apiKey, retryAfter, times: Infinity });

describe('Rate-limit pauses belong to one account', () => {
	afterEach(() => {
		expect(rememberedAccounts()).toBe(0);
		expect(waitingGroups()).toBe(0);
	});

	test('a long Retry-After for one account does not delay another account on the same host', async () => {
		limitFirstAccount(30);
		// More paused jobs than shared poll slots: a sleeping pause must hold none of them.
		const [limited, other] = await Promise.all([
			gmi.run(waiting({ timeout: 4 }), { items: items(12, 'limited #ms=400') }),
			gmi.run(waiting({ timeout: 20 }), { items: items(1, 'other #ms=1500'), credentials: gmi.credentials({ apiKey: OTHER_KEY }) }),
		]);
		expect(other.error).toBeUndefined();
		expect(other.items[0].json).toMatchObject({ status: 'success' });
		expect(other.items[0].json.timedOut).toBeUndefined();
		expect(limited.items).toHaveLength(12);
		for (const item of limited.items) expect(item.json).toMatchObject({ timedOut: true, lastPollProblem: expect.stringMatching(/429/) });
	}, 30_000);

	test('a pause never runs past the item’s own timeout', async () => {
		limitFirstAccount(3600);
		const { items: out, error } = await gmi.run(waiting({ timeout: 2 }), { items: items(2, 'patient') });
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.timedOut)).toEqual([true, true]);
		expect(out.every((item) => typeof item.json.request_id === 'string')).toBe(true);
	});

	test('the pause is forgotten when the wait that needed it ends', async () => {
		limitFirstAccount(3600);
		await gmi.run(waiting({ timeout: 1.5 }), { items: items(1, 'first') });
		gmi.sim.clearFaults();
		const { items: out } = await gmi.run(waiting({ timeout: 20 }), { items: items(1, 'next #ms=300') });
		expect(out[0].json).toMatchObject({ status: 'success' });
		expect(out[0].json.timedOut).toBeUndefined();
	}, 30_000);

	test('an account is named by a hash of base URL, key and organization, never by the key', () => {
		const base = { apiKey: 'sk-live-abcdef0123456789', baseUrl: 'https://console.gmicloud.ai', organizationId: '' };
		const id = accountKeyOf(base);
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		expect(id).not.toContain(base.apiKey.slice(0, 8));
		expect(accountKeyOf({ ...base, apiKey: `Bearer ${base.apiKey}`, baseUrl: 'https://console.gmicloud.ai/' })).toBe(id);
		expect(accountKeyOf({ ...base, apiKey: 'sk-live-other' })).not.toBe(id);
		expect(accountKeyOf({ ...base, organizationId: 'org-2' })).not.toBe(id);
		expect(accountKeyOf({ ...base, baseUrl: 'https://proxy.example' })).not.toBe(id);
	});
});
