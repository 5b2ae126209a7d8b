/**
 * What sheets, forms and AI agents hand the node. Every row must be refused with a
 * NodeOperationError naming the parameter, before a single request leaves the node.
 *
 * A row's `bad` values are given as the user would have them: plain values typed into the
 * field, or expressions (`={{ … }}`). In the Continue On Fail run only the middle item gets
 * them (they become `={{ $json.hostileBad ? <bad> : <good> }}`); the items around it are valid.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

export type Operation = 'submit' | 'getStatus' | 'list' | 'modelGet';

export interface BadInput {
	name: string;
	/** The parameter the error must name, as the workflow JSON spells it. */
	field: string;
	op: Operation;
	/** Parameters of every item (valid by themselves). */
	shared?: INodeParameters;
	/** The bad values. */
	bad?: INodeParameters;
	/** The bad item, when the badness travels with the item (binary data, an agent's tool call). */
	badItem?: () => INodeExecutionData;
	/** A valid item for the Continue On Fail run (default: an empty item). */
	goodItem?: () => INodeExecutionData;
}

export const GOOD_PROMPT = 'A lighthouse in a storm, waves breaking';
export const GOOD_MODEL = 'Minimax-Hailuo-02';
const rl = (value: string) => ({ __rl: true as const, mode: 'id', value });

/** Valid parameters of each operation; `@JOB` is replaced by a real request id. */
export function baseParameters(op: Operation, jobId: string): INodeParameters {
	switch (op) {
		case 'submit':
			return {
				resource: 'video',
				operation: 'submit',
				model: rl(GOOD_MODEL),
				prompt: GOOD_PROMPT,
				duration: 6,
				resolution: '768P',
				firstFrame: 'none',
				// Explicit, so a field made an expression for the bad item has a value for the good ones
				// (an expression that finds nothing is an error, not the default).
				lastFrame: 'none',
				cameraMovements: [],
				options: { promptOptimizer: true },
				waitUntilDone: false,
			};
		case 'getStatus':
			return { resource: 'video', operation: 'getStatus', requestId: jobId, waitUntilDone: false };
		case 'list':
			return { resource: 'video', operation: 'list', returnAll: false, limit: 5 };
		case 'modelGet':
			return { resource: 'model', operation: 'get', model: rl(GOOD_MODEL) };
	}
}

// --- images ----------------------------------------------------------------------------------

export const PNG_1x1 = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ffbf1e000502027f3c3a0b4a0000000049454e44ae426082',
	'hex',
);
export const WEBP_HEADER = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF');

export function withBinary(bytes: Buffer, mimeType: string, fileName: string, property = 'data'): INodeExecutionData {
	return { json: {}, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName } } };
}
const pngItem = () => withBinary(PNG_1x1, 'image/png', 'frame.png');
/** A real PNG header followed by more than 20 MB. */
const hugePng = () => withBinary(Buffer.concat([PNG_1x1, Buffer.alloc(20 * 1024 * 1024 + 1)]), 'image/png', 'huge.png');

// --- an agent's tool calls -------------------------------------------------------------------

/** How n8n fills a tool's parameters from the agent's arguments. */
const fromAi = {
	prompt: "={{ $fromAI('prompt', 'What the video shows', 'string') }}",
	duration: "={{ $fromAI('duration', 'Length in seconds: 6 or 10', 'number') }}",
	resolution: "={{ $fromAI('resolution', '512P, 768P or 1080P', 'string') }}",
};
/** Agents add what they think helps: these fields exist in no parameter. */
const agentExtras = { style: 'anime', aspect_ratio: '16:9', negative_prompt: 'blurry', fps: 60, seed: 42 };
const agentCall = (args: Record<string, unknown>) => () => ({ json: { ...agentExtras, ...args } });
const validAgentCall = agentCall({ prompt: GOOD_PROMPT, duration: 6, resolution: '768P' });

export const BAD_INPUTS: BadInput[] = [
	// Prompt (typed empty, it never reaches the node: n8n refuses to run a node with an empty required field)
	{ name: 'empty prompt from an empty sheet cell', field: 'prompt', op: 'submit', bad: { prompt: '={{ "" }}' } },
	{ name: 'whitespace-only prompt', field: 'prompt', op: 'submit', bad: { prompt: '  \n\t  ' } },
	{ name: '2001-character prompt', field: 'prompt', op: 'submit', bad: { prompt: 'x'.repeat(2001) } },
	{ name: 'prompt pushed over 2000 characters by its camera movements', field: 'prompt', op: 'submit', bad: { prompt: 'x'.repeat(1995), cameraMovements: ['[Pan left]'] } },
	{ name: 'non-string prompt: a number', field: 'prompt', op: 'submit', bad: { prompt: '={{ 42 }}' } },
	{ name: 'non-string prompt: an object', field: 'prompt', op: 'submit', bad: { prompt: '={{ { text: "a fox" } }}' } },
	// Duration and resolution
	{ name: 'duration 8', field: 'duration', op: 'submit', bad: { duration: 8 } },
	{ name: 'duration "ten"', field: 'duration', op: 'submit', bad: { duration: 'ten' } },
	{ name: 'duration ={{ 7.5 }}', field: 'duration', op: 'submit', bad: { duration: '={{ 7.5 }}' } },
	{ name: '10 s at 1080P', field: 'resolution', op: 'submit', bad: { duration: '={{ 10 }}', resolution: '1080P' } },
	{ name: '6 s at 720P', field: 'resolution', op: 'submit', bad: { resolution: '720P' } },
	{ name: 'resolution ={{ "4k" }}', field: 'resolution', op: 'submit', bad: { resolution: '={{ "4k" }}' } },
	// Expressions that find nothing (a typo, an empty cell): an error, not the field's default
	{ name: 'duration from a typo ={{ $json.durtion }}', field: 'duration', op: 'submit', bad: { duration: '={{ $json.durtion }}' } },
	{ name: 'resolution from an empty cell ={{ "" }}', field: 'resolution', op: 'submit', bad: { resolution: '={{ "" }}' } },
	{ name: 'model from an expression that finds nothing', field: 'model', op: 'submit', bad: { model: rl('={{ $json.model }}') } },
	{ name: 'first frame source ={{ null }}', field: 'firstFrame', op: 'submit', bad: { firstFrame: '={{ null }}' } },
	{ name: 'camera movements from an empty cell', field: 'cameraMovements', op: 'submit', bad: { cameraMovements: '={{ $json.camera }}' } },
	{ name: 'wait switch from a missing column', field: 'waitUntilDone', op: 'submit', bad: { waitUntilDone: '={{ $json.wait }}' } },
	{ name: 'Get Status wait switch from a missing column', field: 'waitUntilDone', op: 'getStatus', bad: { waitUntilDone: '={{ $json.wait }}' } },
	// Model rules: the chosen model's row decides
	{ name: 'Hailuo-2.3-Fast at 512P', field: 'resolution', op: 'submit', bad: { model: rl('Minimax-Hailuo-2.3-Fast'), resolution: '={{ "512P" }}' } },
	{ name: 'Hailuo-2.3 at 10 s in 1080P', field: 'resolution', op: 'submit', bad: { model: rl('Minimax-Hailuo-2.3'), duration: 10, resolution: '={{ "1080P" }}' } },
	{ name: 'a last frame at 512P', field: 'lastFrame', op: 'submit', bad: { resolution: '={{ "512P" }}', firstFrame: 'url', firstFrameUrl: 'https://example.com/f.png', lastFrame: 'url', lastFrameUrl: 'https://example.com/l.png' } },
	// First frame
	{ name: '512P without a first frame image', field: 'firstFrame', op: 'submit', bad: { resolution: '512P', firstFrame: 'none' } },
	{ name: 'first frame source ={{ "base64" }}', field: 'firstFrame', op: 'submit', bad: { firstFrame: '={{ "base64" }}' } },
	{ name: 'image URL ftp://…', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: 'ftp://files.example.com/frame.png' } },
	{ name: 'image URL "not a url"', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: 'not a url' } },
	{ name: 'image URL javascript:…', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: 'javascript:alert(document.cookie)' } },
	{ name: 'empty image URL from an expression', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: '={{ "" }}' } },
	{ name: 'data URI of a PDF', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: `data:application/pdf;base64,${PDF.toString('base64')}` } },
	{ name: 'data URI labelled image/png holding text', field: 'firstFrameUrl', op: 'submit', bad: { firstFrame: 'url', firstFrameUrl: `data:image/png;base64,${Buffer.from('hello, I am not a picture').toString('base64')}` } },
	{
		name: 'binary field missing from the item',
		field: 'firstFrameBinaryProperty',
		op: 'submit',
		shared: { firstFrame: 'binary', firstFrameBinaryProperty: 'data' },
		badItem: () => withBinary(PNG_1x1, 'image/png', 'frame.png', 'photo'),
		goodItem: pngItem,
	},
	{
		name: 'binary that is not an image (a PDF named .png)',
		field: 'firstFrameBinaryProperty',
		op: 'submit',
		shared: { firstFrame: 'binary', firstFrameBinaryProperty: 'data' },
		badItem: () => withBinary(PDF, 'image/png', 'frame.png'),
		goodItem: pngItem,
	},
	{
		name: 'binary over 20 MB',
		field: 'firstFrameBinaryProperty',
		op: 'submit',
		shared: { firstFrame: 'binary', firstFrameBinaryProperty: 'data' },
		badItem: hugePng,
		goodItem: pngItem,
	},
	// Camera, options, model
	{ name: 'unknown camera tag', field: 'cameraMovements', op: 'submit', bad: { cameraMovements: ['[Dolly zoom]'] } },
	{ name: 'camera tags from a sheet with one unknown', field: 'cameraMovements', op: 'submit', bad: { cameraMovements: '={{ "Pan left, Barrel roll" }}' } },
	{ name: 'prompt optimizer "yes"', field: 'promptOptimizer', op: 'submit', bad: { options: { promptOptimizer: '={{ "yes" }}' } } },
	{ name: 'model id with spaces', field: 'model', op: 'submit', bad: { model: rl('Minimax Hailuo 02') } },
	{ name: 'model id with slashes', field: 'model', op: 'submit', bad: { model: rl('minimax/hailuo-02') } },
	{ name: 'Model → Get of a path (../requests)', field: 'model', op: 'modelGet', bad: { model: rl('../requests') } },
	{ name: 'Video → List filtered by a model id with a space and a slash', field: 'model', op: 'list', bad: { model: rl('hailuo 02/fast') } },
	// Request ids
	{ name: 'empty request id from an expression', field: 'requestId', op: 'getStatus', bad: { requestId: '={{ "" }}' } },
	{ name: 'request id ../models', field: 'requestId', op: 'getStatus', bad: { requestId: '../models' } },
	{ name: 'request id with a query string', field: 'requestId', op: 'getStatus', bad: { requestId: 'abc?status=success' } },
	// List limit
	{ name: 'limit 0', field: 'limit', op: 'list', bad: { limit: 0 } },
	{ name: 'limit -1', field: 'limit', op: 'list', bad: { limit: -1 } },
	{ name: 'limit "abc"', field: 'limit', op: 'list', bad: { limit: '={{ "abc" }}' } },
	// Waiting: refused before the job exists, not after
	{ name: 'poll interval 0', field: 'pollInterval', op: 'submit', shared: { waitUntilDone: true, pollInterval: 1, timeout: 3 }, bad: { pollInterval: 0 } },
	{ name: 'timeout -5', field: 'timeout', op: 'getStatus', shared: { waitUntilDone: true, pollInterval: 1, timeout: 3 }, bad: { timeout: '={{ -5 }}' } },
	// An AI agent's tool call: unknown extra fields next to a bad one
	{
		name: 'AI tool call with extra fields and duration "8 seconds"',
		field: 'duration',
		op: 'submit',
		shared: fromAi,
		badItem: agentCall({ prompt: GOOD_PROMPT, duration: '8 seconds', resolution: '768P' }),
		goodItem: validAgentCall,
	},
	{
		name: 'AI tool call with extra fields and resolution "4K UHD"',
		field: 'resolution',
		op: 'submit',
		shared: fromAi,
		badItem: agentCall({ prompt: GOOD_PROMPT, duration: 6, resolution: '4K UHD' }),
		goodItem: validAgentCall,
	},
	{
		name: 'AI tool call with extra fields and no prompt',
		field: 'prompt',
		op: 'submit',
		shared: fromAi,
		badItem: agentCall({ description: GOOD_PROMPT, duration: 6, resolution: '768P' }),
		goodItem: validAgentCall,
	},
];

/** Values that look odd but are decided to be fine: normalised and sent. */
export interface Accepted {
	name: string;
	parameters: INodeParameters;
	item?: () => INodeExecutionData;
	/** What the submitted body must contain. */
	sent: Record<string, unknown>;
	/** Payload keys that must not be sent. */
	absent?: string[];
}

export const ACCEPTED: Accepted[] = [
	{ name: 'lower-case 768p is sent as 768P', parameters: { resolution: '768p' }, sent: { payload: { resolution: '768P' } } },
	{ name: 'duration "10" from a sheet is sent as 10', parameters: { duration: '={{ "10" }}' }, sent: { payload: { duration: 10 } } },
	{
		name: 'camera tags in any case, with or without brackets',
		parameters: { cameraMovements: '={{ "pan left, [ZOOM IN]" }}' },
		sent: { payload: { prompt: `${GOOD_PROMPT} [Pan left] [Zoom in]` } },
	},
	{ name: 'a prompt of exactly 2000 characters', parameters: { prompt: 'y'.repeat(2000) }, sent: { payload: { prompt: 'y'.repeat(2000) } } },
	{ name: 'a prompt of 2000 emoji (2000 characters, 4000 UTF-16 units)', parameters: { prompt: '🎬'.repeat(2000) }, sent: { payload: { prompt: '🎬'.repeat(2000) } } },
	{ name: 'a model typed as a plain string', parameters: { model: GOOD_MODEL }, sent: { model: GOOD_MODEL } },
	{
		name: 'a WebP binary first frame travels as a data URI',
		parameters: { firstFrame: 'binary', firstFrameBinaryProperty: 'data' },
		item: () => withBinary(WEBP_HEADER, 'image/webp', 'frame.webp'),
		sent: { payload: { first_frame_image: `data:image/webp;base64,${WEBP_HEADER.toString('base64')}` } },
	},
	{
		name: "an agent's extra fields are not sent",
		parameters: fromAi,
		item: validAgentCall,
		sent: { payload: { prompt: GOOD_PROMPT, duration: 6, resolution: '768P' } },
		absent: Object.keys(agentExtras),
	},
];
