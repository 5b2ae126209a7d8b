import { type INodeParameters, NodeOperationError } from 'n8n-workflow';

import { binaryItem, JPEG_HEADER, PNG_1x1, submit, useSimulator, WEBP_HEADER } from '../helpers/fixtures';

const gmi = useSimulator();
const submits = () => gmi.apiRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/requests'));

describe('Video → Submit', () => {
	test('sends the Hailuo payload and returns the queued job', async () => {
		const { items, error } = await gmi.run(submit({ duration: 10, resolution: '768P' }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ status: 'queued', model: 'Minimax-Hailuo-02' });
		expect(items[0].json.request_id).toEqual(gmi.sim.requestIds[0]);
		expect(submits()[0].body).toEqual({
			model: 'Minimax-Hailuo-02',
			payload: { prompt: 'A red fox runs through fresh snow at dawn', duration: 10, resolution: '768P' },
		});
	});

	test('defaults: Minimax-Hailuo-02, 6 s, 768P, no first frame', async () => {
		await gmi.run({ resource: 'video', operation: 'submit', prompt: 'Waves', waitUntilDone: false });
		expect(submits()[0].body).toEqual({ model: 'Minimax-Hailuo-02', payload: { prompt: 'Waves', duration: 6, resolution: '768P' } });
	});

	test('sends the API key as a Bearer header, and an organization only when one is set', async () => {
		await gmi.run(submit());
		expect(submits()[0].headers.authorization).toBe('Bearer test-key');
		expect(submits()[0].headers['x-organization-id']).toBeUndefined();
		gmi.sim.reset();
		await gmi.run(submit(), { credentials: gmi.credentials({ organizationId: 'org-42' }) });
		expect(submits()[0].headers['x-organization-id']).toBe('org-42');
	});

	test('a key pasted with "Bearer " is sent once', async () => {
		await gmi.run(submit(), { credentials: gmi.credentials({ apiKey: 'Bearer test-key' }) });
		expect(submits()[0].headers.authorization).toBe('Bearer test-key');
	});

	test('a model picked from the list or typed as a plain id is sent as the model', async () => {
		await gmi.run(submit({ model: { __rl: true, mode: 'list', value: 'Minimax-Hailuo-2.3' } }));
		await gmi.run(submit({ model: 'minimax-hailuo-02' }));
		expect(submits().map((r) => r.body.model)).toEqual(['Minimax-Hailuo-2.3', 'minimax-hailuo-02']);
	});

	test('camera movements are appended to the prompt in brackets', async () => {
		await gmi.run(submit({ prompt: 'A lighthouse', cameraMovements: ['[Pan left]', '[Zoom in]'] }));
		expect(submits()[0].body.payload.prompt).toBe('A lighthouse [Pan left] [Zoom in]');
	});

	test('options map to prompt_optimizer and fast_pretreatment', async () => {
		await gmi.run(submit({ options: { promptOptimizer: false, fastPretreatment: true } }));
		expect(submits()[0].body.payload).toMatchObject({ prompt_optimizer: false, fast_pretreatment: true });
	});

	test('a first frame URL is sent as first_frame_image (512P image-to-video)', async () => {
		await gmi.run(submit({ resolution: '512P', firstFrame: 'url', firstFrameUrl: 'https://example.com/frame.png' }));
		expect(submits()[0].body.payload).toMatchObject({ resolution: '512P', first_frame_image: 'https://example.com/frame.png' });
	});

	test('a binary PNG first frame is uploaded through /upload-url and its public URL is sent', async () => {
		const { error } = await gmi.run(submit({ resolution: '512P', firstFrame: 'binary', firstFrameBinaryProperty: 'data' }), {
			items: [binaryItem(PNG_1x1, 'image/png')],
		});
		expect(error).toBeUndefined();
		const grant = gmi.apiRequests().find((r) => r.path.endsWith('/upload-url'));
		expect(grant?.body).toEqual({ file_type: 'png' });
		const put = gmi.sim.requests.find((r) => r.server === 'files' && r.method === 'PUT');
		expect(put?.body).toEqual({ bytes: PNG_1x1.length, contentType: 'image/png' });
		expect(put?.headers.authorization).toBeUndefined();
		const publicUrl = submits()[0].body.payload.first_frame_image as string;
		expect(publicUrl.startsWith(gmi.sim.filesUrl)).toBe(true);
		expect(publicUrl).not.toContain('Signature');
	});

	test('a JPEG is uploaded as jpg with the image/jpg content type GMI insists on', async () => {
		const { error } = await gmi.run(submit({ firstFrame: 'binary' }), { items: [binaryItem(Buffer.concat([JPEG_HEADER, Buffer.alloc(64)]), 'image/jpeg')] });
		expect(error).toBeUndefined();
		const put = gmi.sim.requests.find((r) => r.server === 'files' && r.method === 'PUT');
		expect(put?.body.contentType).toBe('image/jpg');
	});

	test('a WebP first frame, or the Data URI option, travels inline', async () => {
		await gmi.run(submit({ firstFrame: 'binary' }), { items: [binaryItem(WEBP_HEADER, 'image/webp')] });
		await gmi.run(submit({ firstFrame: 'binary', options: { firstFrameTransfer: 'dataUri' } }), { items: [binaryItem(PNG_1x1, 'image/png')] });
		const frames = submits().map((r) => r.body.payload.first_frame_image as string);
		expect(frames[0]).toBe(`data:image/webp;base64,${WEBP_HEADER.toString('base64')}`);
		expect(frames[1]).toBe(`data:image/png;base64,${PNG_1x1.toString('base64')}`);
		expect(gmi.apiRequests().some((r) => r.path.endsWith('/upload-url'))).toBe(false);
	});

	test('several items are submitted as several jobs, output in input order', async () => {
		const prompts = ['one', 'two', 'three'];
		const { items } = await gmi.run(submit({ prompt: '={{ $json.prompt }}' }), { items: prompts.map((prompt) => ({ json: { prompt } })) });
		expect(items).toHaveLength(3);
		expect(items.map((i) => gmi.sim.jobs.get(String(i.json.request_id))?.payload.prompt)).toEqual(prompts);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	describe('run-time rules (values from expressions, agents or old workflows), checked before any request', () => {
		const cases: Array<[string, INodeParameters, RegExp]> = [
			['10 s + 1080P', { duration: '={{ 10 }}', resolution: '1080P' }, /Resolution \(resolution\).*"1080P".*10 s.*Allowed: 512P, 768P/],
			['an unknown duration', { duration: '={{ 8 }}' }, /Duration \(duration\): 8 .*Allowed: 6 Seconds, 10 Seconds/],
			['512P without a first frame', { resolution: '={{ "512P" }}', firstFrame: 'none' }, /First Frame Image \(firstFrame\).*512P needs a first frame/],
			['an empty prompt', { prompt: '   ' }, /Prompt \(prompt\).*is empty/],
			['a prompt over 2000 characters', { prompt: 'x'.repeat(2001) }, /Prompt \(prompt\).*2001 characters.*1–2000/],
			['a prompt pushed over 2000 by camera tags', { prompt: 'x'.repeat(1995), cameraMovements: ['[Pan left]'] }, /with the camera movements/],
			['an ftp first frame URL', { firstFrame: 'url', firstFrameUrl: 'ftp://example.com/a.png' }, /First Frame Image URL \(firstFrameUrl\).*not an http\(s\) URL/],
			['an unknown camera tag', { cameraMovements: ['[Barrel roll]'] }, /Camera Movements \(cameraMovements\).*\[Barrel roll\]/],
			['a model id with a slash', { model: 'models/../x' }, /Model \(model\).*not a valid id/],
		];
		test.each(cases)('%s is refused with the field named', async (_name, parameters, message) => {
			const { items } = await gmi.run(submit(parameters), { continueOnFail: true });
			expect(items[0].error).toBeInstanceOf(NodeOperationError);
			expect(items[0].error?.message).toMatch(message);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('without Continue On Fail the run stops on that error', async () => {
			const { error, items } = await gmi.run(submit({ duration: '={{ 10 }}', resolution: '1080P' }));
			expect(items).toHaveLength(0);
			expect(error?.message).toMatch(/Invalid Resolution \(resolution\)/);
			expect(error?.description).toMatch(/Nothing was sent to GMI/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('a missing binary field names the fields the item has', async () => {
			const { error } = await gmi.run(submit({ firstFrame: 'binary', firstFrameBinaryProperty: 'image' }), { items: [binaryItem(PNG_1x1, 'image/png', 'f', 'photo')] });
			expect(error?.message).toMatch(/Input Binary Field \(firstFrameBinaryProperty\): "image" is not a binary field.*Allowed: photo/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('a binary that is not an image is refused whatever its file name says', async () => {
			const { error } = await gmi.run(submit({ firstFrame: 'binary' }), { items: [binaryItem(Buffer.from('%PDF-1.7 not an image'), 'image/png', 'fake.png')] });
			expect(error?.message).toMatch(/firstFrameBinaryProperty.*is not an image.*JPG, PNG or WebP up to 20 MB/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('a first frame over 20 MB is refused', async () => {
			const big = Buffer.concat([PNG_1x1, Buffer.alloc(20 * 1024 * 1024)]);
			const { error } = await gmi.run(submit({ firstFrame: 'binary' }), { items: [binaryItem(big, 'image/png')] });
			expect(error?.message).toMatch(/20\.0 MB, over the image limit/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('lower-case 768p is accepted and sent as 768P', async () => {
			await gmi.run(submit({ resolution: '={{ "768p" }}' }));
			expect(submits()[0].body.payload.resolution).toBe('768P');
		});

		test('stop on fail: one invalid item means no item of the run is submitted, and the error names it', async () => {
			const { error } = await gmi.run(submit({ prompt: '={{ $json.prompt }}' }), { items: [{ json: { prompt: 'fine' } }, { json: { prompt: '' } }] });
			expect(error?.message).toMatch(/^Item 2 of this run is invalid, so no item was sent: Invalid Prompt \(prompt\)/);
			expect(gmi.sim.requests).toHaveLength(0);
		});

		test('with Continue On Fail the bad item gets an error and the others go on', async () => {
			const { items, error } = await gmi.run(submit({ prompt: '={{ $json.prompt }}' }), {
				items: [{ json: { prompt: 'fine' } }, { json: { prompt: '' } }, { json: { prompt: 'also fine' } }],
				continueOnFail: true,
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(3);
			expect(items[0].json.request_id).toBeDefined();
			expect(String(items[1].json.error)).toMatch(/Prompt \(prompt\).*is empty/);
			expect(items[2].json.request_id).toBeDefined();
			expect(submits()).toHaveLength(2);
		});
	});

	describe('API errors', () => {
		test('an unknown model is a 404 that names the model', async () => {
			const { error } = await gmi.run(submit({ model: 'Unknown-Model' }));
			expect(error?.message).toMatch(/Not found \(HTTP 404\): Model Unknown-Model not found/);
		});

		test('a 401 says the API key was rejected, without the key', async () => {
			const { error } = await gmi.run(submit(), { credentials: gmi.credentials({ apiKey: 'wrong-key-123' }) });
			expect(error?.message).toMatch(/API key was rejected \(HTTP 401\)/);
			expect(error?.description).toMatch(/GMI Cloud API" credential/);
			expect(JSON.stringify(error)).not.toContain('wrong-key-123');
		});

		test('a 429 and a 5xx on submit name the status and what to do', async () => {
			gmi.sim.addFault({ kind: '429', path: '/requests', method: 'POST', retryAfter: 3 });
			expect((await gmi.run(submit())).error?.message).toMatch(/rate limit.*HTTP 429/);
			gmi.sim.addFault({ kind: 'status', status: 503, path: '/requests', method: 'POST' });
			expect((await gmi.run(submit())).error?.message).toMatch(/may still have been created.*HTTP 503/);
		});
	});
});
