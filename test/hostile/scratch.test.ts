import { startSimulator } from '../simulator';
import { runHailuo } from '../helpers/engine';

const KEY = 'sk-hostile-SECRET-0123456789abcdef';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
const base = { resource: 'video', operation: 'submit', model: { __rl: true, mode: 'id', value: 'Minimax-Hailuo-02' }, prompt: 'a fox', duration: 6, resolution: '768P', firstFrame: 'none', waitUntilDone: true, pollInterval: 1, timeout: 3 };
const cases: Array<[string, any[], any?]> = [
	['vanish', [], { prompt: 'x #vanish' }],
	['stuck', [], { prompt: 'x #stuck', timeout: 2 }],
	['ratelimit', [], { prompt: 'x #ratelimit' }],
	['failfield', [], { prompt: 'x #failfield=outcome.fail_reason' }],
	['cancel', [], { prompt: 'x #cancel' }],
	['poll0', [], { pollInterval: 0 }],
	['upload 403', [{ server: 'files', kind: 'status', status: 403, path: '/upload/', times: 9 }], { firstFrame: 'binary', firstFrameBinaryProperty: 'data' }],
	['upload reset', [{ server: 'files', kind: 'reset', path: '/upload/', times: 9 }], { firstFrame: 'binary', firstFrameBinaryProperty: 'data' }],
	['upload-url 500', [{ kind: 'status', status: 500, path: '/upload-url', times: 9 }], { firstFrame: 'binary', firstFrameBinaryProperty: 'data' }],
	['dl hang', [{ server: 'files', kind: 'hang', path: '/videos/', times: 1 }], { downloadVideo: true }],
];
for (const [name, faults, extra] of cases) {
	test(name, async () => {
		const sim = await startSimulator({ apiKey: KEY, queuedMs: 20, processingMs: 50 });
		sim.addFault(faults);
		const creds = { apiKey: KEY, baseUrl: sim.url, organizationId: '' };
		const t = Date.now();
		const items = [0, 1].map(() => ({ json: {}, binary: { data: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } } }));
		const r = await runHailuo({ parameters: { ...base, ...extra }, credentials: creds, continueOnFail: true, items, cancelAfterMs: 8000 });
		console.log(name, Date.now() - t, 'ms', sim.requestIds, sim.requests.map(q=>q.method+' '+q.path).join(','), '\n', r.error?.message, '\n', r.items.map((i) => [JSON.stringify(i.json).slice(0, 300), i.error?.constructor.name, i.error?.message, (i.error as any)?.description, Object.keys(i.binary ?? {})].join(' | ')).join('\n'));
		await sim.close();
	});
}
