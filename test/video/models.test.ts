/**
 * Every Hailuo model with its own rules, through n8n's engine against a simulator that serves
 * each model's rules (answering 400 like GMI) and its details with declared values.
 */
import { type INodeExecutionData, type INodeParameters, NodeOperationError } from 'n8n-workflow';

import { DURATIONS, MODEL_RULES, type ModelRules, RESOLUTIONS } from '../../nodes/Hailuo/hailuo';
import { binaryItem, PNG_1x1, submit, useSimulator } from '../helpers/fixtures';
import { defaultModels, unlistedHailuoModel } from '../simulator';

/** The lower-case slug some accounts list: a model the rules table does not know, with GMI's details. */
const FAST_SLUG = 'minimax-hailuo-2.3-fast';
const gmi = useSimulator({ models: [...defaultModels, unlistedHailuoModel, FAST_SLUG] });
const submits = () => gmi.apiRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/requests'));
const detailReads = () => gmi.apiRequests().filter((r) => r.method === 'GET' && /\/models\/[^/]+$/.test(r.path));
const model = (id: string) => ({ __rl: true, mode: 'list', value: id });
const FRAME = { firstFrame: 'url', firstFrameUrl: 'https://example.com/frame.png' };
/** Model details are cached per account for a minute: a fresh organization is a fresh account. */
let account = 0;
const freshAccount = () => gmi.credentials({ organizationId: `org-${++account}` });

const cells = MODEL_RULES.flatMap((rules) =>
	DURATIONS.flatMap((duration) => RESOLUTIONS.map((resolution) => [rules.id, duration, resolution, rules] as const)),
);

describe('Video → Submit, per model', () => {
	test.each(cells)('%s, %i s at %s: sent when the row has it, else refused before any request naming the row’s values', async (id, duration, resolution, rules: ModelRules) => {
		const { items } = await gmi.run(submit({ model: model(id), duration, resolution, ...FRAME }), { continueOnFail: true, credentials: freshAccount() });
		if (rules.resolutions[duration].includes(resolution)) {
			expect(items[0].error).toBeUndefined();
			expect(submits()[0].body).toMatchObject({ model: id, payload: { duration, resolution } });
		} else {
			expect(items[0].error).toBeInstanceOf(NodeOperationError);
			expect(items[0].error?.message).toContain(`Invalid Resolution (resolution): "${resolution}" is not available for ${duration} s videos with ${id}. Allowed: ${rules.resolutions[duration].join(', ')}`);
			expect(gmi.sim.requests).toHaveLength(0);
		}
	});

	test('an unknown resolution names the values of that model at that duration, not all of them', async () => {
		const { items } = await gmi.run(submit({ duration: 10, resolution: '={{ "4K" }}' }), { continueOnFail: true });
		expect(items[0].error?.message).toMatch(/"4K" is not a resolution\. Allowed: 512P, 768P$/);
		const fast = await gmi.run(submit({ model: model('Minimax-Hailuo-2.3-Fast'), duration: 10, resolution: '={{ "4K" }}' }), { continueOnFail: true });
		expect(fast.items[0].error?.message).toMatch(/Allowed: 768P$/);
		expect(gmi.sim.requests).toHaveLength(0);
	});

	describe('first frame: certain rules refused, disputed ones left to GMI', () => {
		test('Hailuo-02 at 512P without a frame is refused before any request (all sources agree)', async () => {
			const { items } = await gmi.run(submit({ resolution: '512P', firstFrame: 'none' }), { continueOnFail: true });
			expect(items[0].error?.message).toMatch(/First Frame Image \(firstFrame\).*512P with Minimax-Hailuo-02: 512P needs a first frame/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('Hailuo-2.3 at 512P (GMI lists it, MiniMax does not) is sent, and GMI accepts it here', async () => {
			const { items } = await gmi.run(submit({ model: model('Minimax-Hailuo-2.3'), resolution: '512P' }), { credentials: freshAccount() });
			expect(items[0].json.request_id).toBe(gmi.sim.requestIds[0]);
		});

		test('Hailuo-2.3-Fast without a frame is refused before any request: its details on GMI mark first_frame_image required', async () => {
			const { items } = await gmi.run(submit({ model: model('Minimax-Hailuo-2.3-Fast'), firstFrame: 'none' }), { continueOnFail: true, credentials: freshAccount() });
			expect(submits()).toHaveLength(0);
			expect(items[0].error?.message).toMatch(/Invalid First Frame Image \(firstFrame\): "None" is not possible at 768P with Minimax-Hailuo-2\.3-Fast.*Allowed: Image URL, Binary From Input/);
		});

		test('a model the table does not know (a lower-case slug) whose details mark first_frame_image required: refused without one, before any submit', async () => {
			const { items } = await gmi.run(submit({ model: model(FAST_SLUG), firstFrame: 'none' }), { continueOnFail: true, credentials: freshAccount() });
			expect(submits()).toHaveLength(0);
			expect(items[0].error?.message).toMatch(/Invalid First Frame Image \(firstFrame\): "None" is not possible with minimax-hailuo-2\.3-fast: its details on GMI mark first_frame_image as required\. Allowed: Image URL, Binary From Input/);
			const framed = await gmi.run(submit({ model: model(FAST_SLUG), ...FRAME }), { credentials: freshAccount() });
			expect(framed.error).toBeUndefined();
			expect(submits()).toHaveLength(1);
		});
	});

	describe('last frame', () => {
		test('Hailuo-02 at 768P sends last_frame_image from a URL, and only when set', async () => {
			await gmi.run(submit({ resolution: '768P', ...FRAME, lastFrame: 'url', lastFrameUrl: 'https://example.com/last.png' }));
			await gmi.run(submit({ resolution: '768P', ...FRAME }));
			expect(submits()[0].body.payload).toMatchObject({ first_frame_image: 'https://example.com/frame.png', last_frame_image: 'https://example.com/last.png' });
			expect(submits()[1].body.payload).not.toHaveProperty('last_frame_image');
		});

		test('a binary last frame takes the first frame’s checks and upload path', async () => {
			const item = binaryItem(PNG_1x1, 'image/png', 'last.png', 'end');
			const { error } = await gmi.run(submit({ resolution: '1080P', lastFrame: 'binary', lastFrameBinaryProperty: 'end' }), { items: [item] });
			expect(error).toBeUndefined();
			expect(String(submits()[0].body.payload.last_frame_image).startsWith(gmi.sim.filesUrl)).toBe(true);
			const bad = await gmi.run(submit({ resolution: '1080P', lastFrame: 'binary', lastFrameBinaryProperty: 'end' }), {
				items: [binaryItem(Buffer.from('%PDF-1.7'), 'image/png', 'last.png', 'end')],
				continueOnFail: true,
			});
			expect(bad.items[0].error?.message).toMatch(/Last Frame Input Binary Field \(lastFrameBinaryProperty\).*is not an image/);
		});

		test('a last frame at 512P, or for a model whose row and details take none (both from expressions), is refused before submit', async () => {
			const at512 = await gmi.run(submit({ resolution: '={{ "512P" }}', ...FRAME, lastFrame: 'url', lastFrameUrl: 'https://example.com/l.png' }), { continueOnFail: true, credentials: freshAccount() });
			expect(at512.items[0].error?.message).toMatch(/Last Frame Image \(lastFrame\): "Image URL" is not accepted by Minimax-Hailuo-02 at 512P\. Allowed: a last frame at 768P, 1080P/);
			const on23 = await gmi.run(submit({ model: model('={{ "Minimax-Hailuo-2.3" }}'), lastFrame: 'url', lastFrameUrl: 'https://example.com/l.png' }), { continueOnFail: true, credentials: freshAccount() });
			expect(on23.items[0].error?.message).toMatch(/"Image URL" is not accepted by Minimax-Hailuo-2\.3\. Allowed: None/);
			expect(submits()).toHaveLength(0);
		});
	});

	describe('a model the table does not know: its details are the final word', () => {
		const next = (parameters: INodeParameters = {}) => submit({ model: model(unlistedHailuoModel), ...parameters });

		test('a resolution outside the declared values is refused before submit, naming them', async () => {
			const { items } = await gmi.run(next({ duration: 6, resolution: '1080P' }), { continueOnFail: true, credentials: freshAccount() });
			expect(items[0].error?.message).toMatch(/Invalid Resolution \(resolution\): "1080P" is not a resolution Minimax-Hailuo-Next declares for 6 s videos\. Allowed: 768P$/);
			expect(submits()).toHaveLength(0);
			expect(detailReads()).toHaveLength(1);
		});

		test('a duration outside the declared values is refused the same way', async () => {
			const { items } = await gmi.run(next({ duration: 10, resolution: '768P' }), { continueOnFail: true, credentials: freshAccount() });
			expect(items[0].error?.message).toMatch(/Invalid Duration \(duration\): 10 is not a duration Minimax-Hailuo-Next declares\. Allowed: 6 Seconds$/);
			expect(submits()).toHaveLength(0);
		});

		test('a declared value is sent', async () => {
			const { items } = await gmi.run(next({ duration: 6, resolution: '768P' }), { credentials: freshAccount() });
			expect(items[0].json.request_id).toBe(gmi.sim.requestIds[0]);
		});

		test('details read once per model for a whole batch', async () => {
			const prompts = ['one', 'two', 'three', 'four'];
			await gmi.run(next({ prompt: '={{ $json.prompt }}', duration: 6, resolution: '768P' }), { items: prompts.map((prompt) => ({ json: { prompt } })), credentials: freshAccount() });
			expect(submits()).toHaveLength(4);
			expect(detailReads()).toHaveLength(1);
		});

		test('details that cannot be read fall back to the table (here: none), never to an error; GMI decides', async () => {
			gmi.sim.addFault({ kind: 'status', status: 500, method: 'GET', path: `/models/${unlistedHailuoModel}`, times: 1 });
			const { items } = await gmi.run(next({ duration: 6, resolution: '1080P' }), { continueOnFail: true, credentials: freshAccount() });
			expect(submits()).toHaveLength(1);
			expect(String(items[0].json.error ?? items[0].error?.message)).toMatch(/resolution "1080P" is not supported for Minimax-Hailuo-Next/);
		});

		test('declared values also narrow a model the table knows', async () => {
			// The simulated GMI declares 768P and 1080P for 2.3-Fast: the table agrees, so nothing changes.
			const { items } = await gmi.run(submit({ model: model('Minimax-Hailuo-2.3-Fast'), ...FRAME }), { credentials: freshAccount() });
			expect(items[0].json.request_id).toBeDefined();
			expect(detailReads().map((r) => r.path)).toEqual([expect.stringMatching(/\/models\/Minimax-Hailuo-2\.3-Fast$/)]);
		});
	});
});

describe('no silent defaults: an expression that finds nothing is an error, before any request', () => {
	const cases: Array<[string, INodeParameters]> = [
		['Duration', { duration: '={{ $json.durtion }}' }],
		['Resolution', { resolution: '={{ $json.resolution }}' }],
		['Model', { model: { __rl: true, mode: 'id', value: '={{ $json.model }}' } }],
		['First Frame Image', { firstFrame: '={{ $json.frame }}' }],
		['Camera Movements', { cameraMovements: '={{ $json.camera }}' }],
		['Wait Until Done', { waitUntilDone: '={{ $json.wait }}' }],
		['Poll Interval (Seconds)', { waitUntilDone: true, pollInterval: '={{ $json.every }}' }],
		['Timeout (Seconds)', { waitUntilDone: true, timeout: '={{ null }}' }],
		['Prompt Optimizer', { options: { promptOptimizer: '={{ "" }}' } }],
	];
	test.each(cases)('%s', async (displayName, parameters) => {
		const { error } = await gmi.run(submit(parameters));
		expect(error?.message).toContain(`Invalid ${displayName} (`);
		expect(error?.message).toMatch(/found no value .*does not fall back to the default/);
		expect(gmi.sim.requests).toHaveLength(0);
	});

	test('Get Status’s wait switch and List’s Return All too', async () => {
		const status = await gmi.run({ resource: 'video', operation: 'getStatus', requestId: 'abc', waitUntilDone: '={{ $json.wait }}' });
		expect(status.error?.message).toMatch(/Invalid Wait Until Done \(waitUntilDone\): .*found no value/);
		const list = await gmi.run({ resource: 'video', operation: 'list', returnAll: '={{ $json.all }}' });
		expect(list.error?.message).toMatch(/Invalid Return All \(returnAll\): .*found no value/);
		expect(gmi.sim.requests).toHaveLength(0);
	});

	test('an expression with a value, and a field left unset, are fine', async () => {
		await gmi.run(submit({ duration: '={{ $json.duration }}' }), { items: [{ json: { duration: 10 } }] });
		await gmi.run(submit());
		expect(submits().map((r) => r.body.payload.duration)).toEqual([10, 6]);
	});
});

describe('stop on fail: every item of a run is checked before the first submit', () => {
	const three = (bad: INodeExecutionData['json']): INodeExecutionData[] => [{ json: {} }, { json: bad }, { json: {} }];

	test('a table refusal on item 2 of 3: nothing at all is sent', async () => {
		const { error, items } = await gmi.run(submit({ duration: '={{ $json.duration ?? 6 }}', resolution: '1080P' }), { items: three({ duration: 10 }) });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^Item 2 of this run is invalid, so no item was sent: Invalid Resolution \(resolution\)/);
		expect(error?.description).toMatch(/Nothing was sent to GMI/);
		expect(gmi.sim.requests).toHaveLength(0);
	});

	test('binary first frames are not uploaded when another item is invalid', async () => {
		const items = [binaryItem(PNG_1x1, 'image/png'), { ...binaryItem(PNG_1x1, 'image/png'), json: { prompt: '' } }];
		const { error } = await gmi.run(submit({ prompt: '={{ $json.prompt ?? "ok" }}', firstFrame: 'binary' }), { items });
		expect(error?.message).toMatch(/Item 2 .*Invalid Prompt \(prompt\)/);
		expect(gmi.sim.requests).toHaveLength(0);
	});

	test('a declared-value refusal on one item stops the others’ submits too', async () => {
		const { error } = await gmi.run(submit({ model: model(unlistedHailuoModel), resolution: '={{ $json.resolution ?? "768P" }}' }), {
			items: three({ resolution: '1080P' }),
			credentials: freshAccount(),
		});
		expect(error?.message).toMatch(/Item 2 .*declares/);
		expect(submits()).toHaveLength(0);
	});

	test('with Continue On Fail the valid items still go', async () => {
		const { items } = await gmi.run(submit({ duration: '={{ $json.duration ?? 6 }}', resolution: '1080P' }), { items: three({ duration: 10 }), continueOnFail: true });
		expect(items.map((item) => (item.error ? 'error' : 'sent'))).toEqual(['sent', 'error', 'sent']);
		expect(submits()).toHaveLength(2);
	});
});
