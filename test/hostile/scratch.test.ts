import { startSimulator } from '../simulator';
import { runHailuo } from '../helpers/engine';

const KEY = 'sk-hostile-SECRET-0123456789abcdef';
const base = { resource: 'video', operation: 'submit', model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' }, prompt: 'a fox', duration: 6, resolution: '768P', firstFrame: 'none', waitUntilDone: true, pollInterval: 1, timeout: 3 };
const cases: Array<[string, any[], any?]> = [
	['429 poll', [{ kind: '429', method: 'GET', path: '/requests/', times: 2 }]],
	['429 RA poll', [{ kind: '429', method: 'GET', path: '/requests/', times: 2, retryAfter: 1 }]],
	['429 submit', [{ kind: '429', method: 'POST', path: '/requests', times: 1 }]],
	['500 submit', [{ kind: 'status', status: 500, method: 'POST', path: '/requests', times: 1 }]],
	['502 poll', [{ kind: 'status', status: 502, method: 'GET', path: '/requests/', times: 3 }]],
	['reset poll', [{ kind: 'reset', method: 'GET', path: '/requests/', times: 2 }]],
	['reset submit', [{ kind: 'reset', method: 'POST', path: '/requests', times: 1 }]],
	['hang poll', [{ kind: 'hang', method: 'GET', path: '/requests/', times: 1 }]],
	['malformed submit', [{ kind: 'malformed', method: 'POST', path: '/requests', times: 1 }]],
	['malformed poll', [{ kind: 'malformed', method: 'GET', path: '/requests/', times: 2 }]],
	['html submit', [{ kind: 'html', status: 503, method: 'POST', path: '/requests', times: 1 }]],
	['empty submit', [{ kind: 'empty', method: 'POST', path: '/requests', times: 1 }]],
	['empty poll', [{ kind: 'empty', method: 'GET', path: '/requests/', times: 2 }]],
	['auth poll', [{ kind: 'auth', method: 'GET', path: '/requests/', times: 1 }]],
	['dl 500', [{ server: 'files', kind: 'status', status: 500, path: '/videos/', times: 1 }], { downloadVideo: true }],
	['dl 404', [{ server: 'files', kind: 'status', status: 404, path: '/videos/', times: 9 }], { downloadVideo: true }],
	['dl reset', [{ server: 'files', kind: 'reset', path: '/videos/', times: 9 }], { downloadVideo: true }],
];
for (const [name, faults, extra] of cases) {
	test(name, async () => {
		const sim = await startSimulator({ apiKey: KEY, queuedMs: 20, processingMs: 50 });
		sim.addFault(faults);
		const creds = { apiKey: KEY, baseUrl: sim.url, organizationId: '' };
		const t = Date.now();
		const r = await runHailuo({ parameters: { ...base, ...extra }, credentials: creds, continueOnFail: true, items: [{ json: {} }, { json: {} }, { json: {} }] });
		console.log(name, Date.now() - t, 'ms', sim.requestIds, '\n', r.error?.message, '\n', r.items.map((i) => [i.json.request_id, i.json.status, i.json.timedOut, i.json.lastPollProblem, i.error?.constructor.name, i.error?.message, (i.error as any)?.description, Object.keys(i.binary ?? {})].join(' | ')).join('\n'));
		await sim.close();
	});
}
