import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { runHailuo, type RunOptions } from './engine';

export const API_KEY = 'test-key';

/** A simulator per suite, reset between tests; `run` points the node's credential at it. */
export function useSimulator(options: SimulatorOptions = {}) {
	const state = {} as { sim: Simulator };
	beforeAll(async () => {
		state.sim = await startSimulator({ apiKey: API_KEY, queuedMs: 30, processingMs: 120, ...options });
	});
	afterEach(() => state.sim.reset());
	afterAll(async () => await state.sim.close());
	return {
		get sim() {
			return state.sim;
		},
		credentials: (extra: Record<string, string> = {}) => ({ apiKey: API_KEY, baseUrl: state.sim.url, organizationId: '', ...extra }),
		run: async (parameters: INodeParameters, options: Partial<RunOptions> = {}) =>
			await runHailuo({
				parameters,
				credentials: { apiKey: API_KEY, baseUrl: state.sim.url, organizationId: '' },
				...options,
			}),
		/** Requests that reached the API (uploads and downloads go to the files server). */
		apiRequests: () => state.sim.requests.filter((r) => r.server === 'api'),
	};
}

export const submit = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'submit',
	prompt: 'A red fox runs through fresh snow at dawn',
	waitUntilDone: false,
	...parameters,
});

export const PNG_1x1 = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ffbf1e000502027f3c3a0b4a0000000049454e44ae426082',
	'hex',
);
export const JPEG_HEADER = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
export const WEBP_HEADER = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

export function binaryItem(bytes: Buffer, mimeType: string, fileName = 'frame', property = 'data'): INodeExecutionData {
	const binary: IBinaryData = { data: bytes.toString('base64'), mimeType, fileName };
	return { json: {}, binary: { [property]: binary } };
}
