import type { IDataObject, IExecuteSingleFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CAMERA_MOVEMENTS,
	DEFAULT_DURATION,
	DEFAULT_RESOLUTION,
	DURATIONS,
	type Duration,
	FIRST_FRAME_IMAGE,
	FIRST_FRAME_SOURCES,
	type FirstFrameSource,
	ID_PATTERN,
	type ImageType,
	PROMPT_MAX_LENGTH,
	RESOLUTIONS,
	RESOLUTIONS_BY_DURATION,
	RESOLUTIONS_NEEDING_FIRST_FRAME,
	type Resolution,
} from '../hailuo';

/** A field as the user sees it in the editor and as a workflow JSON names it. */
export interface Field {
	displayName: string;
	name: string;
}

export const FIELDS = {
	model: { displayName: 'Model', name: 'model' },
	prompt: { displayName: 'Prompt', name: 'prompt' },
	cameraMovements: { displayName: 'Camera Movements', name: 'cameraMovements' },
	duration: { displayName: 'Duration', name: 'duration' },
	resolution: { displayName: 'Resolution', name: 'resolution' },
	firstFrame: { displayName: 'First Frame Image', name: 'firstFrame' },
	firstFrameUrl: { displayName: 'First Frame Image URL', name: 'firstFrameUrl' },
	firstFrameBinaryProperty: { displayName: 'Input Binary Field', name: 'firstFrameBinaryProperty' },
	requestId: { displayName: 'Request ID', name: 'requestId' },
	limit: { displayName: 'Limit', name: 'limit' },
	promptOptimizer: { displayName: 'Prompt Optimizer', name: 'promptOptimizer' },
	fastPretreatment: { displayName: 'Fast Pretreatment', name: 'fastPretreatment' },
} as const satisfies Record<string, Field>;

const show = (value: unknown): string => {
	if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
	if (value === undefined) return 'nothing';
	return JSON.stringify(value) ?? String(value);
};

/** "Invalid Resolution (resolution): "1080P" is not allowed for 10 s videos. Allowed: 512P, 768P" */
export function invalidField(
	node: INode,
	itemIndex: number,
	field: Field,
	value: unknown,
	problem: string,
	allowed?: readonly unknown[] | string,
): NodeOperationError {
	const allowedText = allowed === undefined ? '' : typeof allowed === 'string' ? allowed : allowed.join(', ');
	return new NodeOperationError(
		node,
		`Invalid ${field.displayName} (${field.name}): ${show(value)} ${problem}${allowedText ? `. Allowed: ${allowedText}` : ''}`,
		{
			itemIndex,
			description: `Fix the "${field.displayName}" parameter${allowedText ? ` (allowed: ${allowedText})` : ''}. Nothing was sent to GMI for this item.`,
		},
	);
}

type Fail = (field: Field, value: unknown, problem: string, allowed?: readonly unknown[] | string) => never;

function failer(ctx: IExecuteSingleFunctions): Fail {
	return (field, value, problem, allowed) => {
		throw invalidField(ctx.getNode(), ctx.getItemIndex(), field, value, problem, allowed);
	};
}

export function checkDuration(value: unknown, fail: Fail): Duration {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (!DURATIONS.includes(number as Duration)) fail(FIELDS.duration, value, 'is not a duration', DURATIONS.map((d) => `${d}`));
	return number as Duration;
}

/** Lower-case "768p" is accepted and sent as "768P": it is unambiguous, and AI agents write it. */
export function checkResolution(value: unknown, duration: Duration, fail: Fail): Resolution {
	const resolution = typeof value === 'string' ? value.trim().toUpperCase() : value;
	if (!RESOLUTIONS.includes(resolution as Resolution)) fail(FIELDS.resolution, value, 'is not a resolution', RESOLUTIONS);
	const allowed = RESOLUTIONS_BY_DURATION[duration];
	if (!allowed.includes(resolution as Resolution)) {
		fail(FIELDS.resolution, value, `is not available for ${duration} s videos`, allowed);
	}
	return resolution as Resolution;
}

export function checkPrompt(value: unknown, fail: Fail): string {
	if (typeof value !== 'string') fail(FIELDS.prompt, value, 'must be text', `1–${PROMPT_MAX_LENGTH} characters`);
	const prompt = (value as string).trim();
	if (!prompt) fail(FIELDS.prompt, value, 'is empty', `1–${PROMPT_MAX_LENGTH} characters`);
	return prompt;
}

export function checkCameraMovements(value: unknown, fail: Fail): string[] {
	if (value === undefined || value === null || value === '') return [];
	const tags = Array.isArray(value) ? value : String(value).split(',');
	return tags.map((tag) => {
		const text = String(tag).trim();
		const bracketed = text.startsWith('[') ? text : `[${text}]`;
		const known = CAMERA_MOVEMENTS.find((m) => m.toLowerCase() === bracketed.toLowerCase());
		if (!known) fail(FIELDS.cameraMovements, tag, 'is not a camera movement', CAMERA_MOVEMENTS);
		return known as string;
	});
}

export function checkFirstFrameSource(value: unknown, resolution: Resolution, fail: Fail): FirstFrameSource {
	if (!FIRST_FRAME_SOURCES.includes(value as FirstFrameSource)) {
		fail(FIELDS.firstFrame, value, 'is not a first-frame source', FIRST_FRAME_SOURCES);
	}
	if (value === 'none' && RESOLUTIONS_NEEDING_FIRST_FRAME.includes(resolution)) {
		fail(FIELDS.firstFrame, value, `is not possible at ${resolution}: ${resolution} needs a first frame image`, ['url', 'binary']);
	}
	return value as FirstFrameSource;
}

const DATA_URI = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i;

export function checkImageUrl(value: unknown, fail: Fail): string {
	const url = typeof value === 'string' ? value.trim() : '';
	const allowed = 'an http(s) URL of a JPG/PNG/WebP image, or a data:image/…;base64 URI';
	if (!url) fail(FIELDS.firstFrameUrl, value, 'is empty', allowed);
	if (url.startsWith('data:')) {
		const match = DATA_URI.exec(url);
		if (!match || !imageTypeByMime(match[1])) fail(FIELDS.firstFrameUrl, `${url.slice(0, 40)}…`, 'is not an image data URI', allowed);
		checkImageBytes(Buffer.from(match[2], 'base64'), FIELDS.firstFrameUrl, `${url.slice(0, 40)}…`, match[1], fail);
		return url;
	}
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		fail(FIELDS.firstFrameUrl, value, 'is not a URL', allowed);
	}
	if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') fail(FIELDS.firstFrameUrl, value, 'is not an http(s) URL', allowed);
	return url;
}

export const imageTypeByMime = (mimeType: string): ImageType | undefined =>
	FIRST_FRAME_IMAGE.types.find((t) => t.mimeType === mimeType.toLowerCase() || (t.name === 'JPEG' && mimeType.toLowerCase() === 'image/jpg'));

/** The bytes decide, not the file name: a renamed PDF is still a PDF. */
export function sniffImageType(bytes: Buffer): ImageType | undefined {
	const mime =
		bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
			? 'image/jpeg'
			: bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
				? 'image/png'
				: bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP'
					? 'image/webp'
					: '';
	return mime ? imageTypeByMime(mime) : undefined;
}

/** One rule for a binary field and a data URI alike: the bytes decide, not the label. */
function checkImageBytes(bytes: Buffer, field: Field, shown: unknown, declaredType: string, fail: Fail): ImageType {
	const limits = `JPG, PNG or WebP up to ${FIRST_FRAME_IMAGE.maxBytes / 1024 / 1024} MB`;
	if (bytes.length > FIRST_FRAME_IMAGE.maxBytes) {
		fail(field, shown, `holds ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the first frame limit`, limits);
	}
	const type = sniffImageType(bytes);
	if (!type) fail(field, shown, `is not an image (${declaredType})`, limits);
	return type as ImageType;
}

/** The first frame, read and checked, ready to be uploaded or inlined. */
export interface FirstFrameImage {
	bytes: Buffer;
	type: ImageType;
}

export async function readFirstFrameBinary(ctx: IExecuteSingleFunctions, propertyName: unknown): Promise<FirstFrameImage> {
	const fail = failer(ctx);
	const field = FIELDS.firstFrameBinaryProperty;
	const name = typeof propertyName === 'string' ? propertyName.trim() : '';
	if (!name) fail(field, propertyName, 'is empty', 'the name of a binary field of the input item, e.g. data');
	const item = ctx.getInputData();
	const available = Object.keys(item.binary ?? {});
	if (!item.binary?.[name]) {
		fail(field, name, 'is not a binary field of the input item', available.length ? available : 'the item has no binary data');
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(name);
	return { bytes, type: checkImageBytes(bytes, field, name, item.binary?.[name]?.mimeType ?? 'unknown type', fail) };
}

export function checkId(ctx: IExecuteSingleFunctions, field: Field, value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	const allowed = 'letters, digits, ".", "-", "_" and ":" (no spaces or slashes)';
	if (!id) failer(ctx)(field, value, 'is empty', allowed);
	if (!ID_PATTERN.test(id)) failer(ctx)(field, value, 'is not a valid id', allowed);
	return id;
}

export function checkLimit(ctx: IExecuteSingleFunctions, value: unknown): number {
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		failer(ctx)(FIELDS.limit, value, 'is not a positive whole number', 'a whole number of 1 or more');
	}
	return limit as number;
}

/**
 * Checks the Hailuo payload the routing assembled, normalises it in place and appends the camera
 * movements to the prompt. Runs before any request for the item, so a bad value costs no call.
 */
export function checkSubmission(ctx: IExecuteSingleFunctions, payload: IDataObject): { firstFrame: FirstFrameSource } {
	const fail = failer(ctx);
	const tags = checkCameraMovements(ctx.getNodeParameter(FIELDS.cameraMovements.name, []), fail);
	const prompt = [checkPrompt(payload.prompt, fail), ...tags].join(' ');
	// Characters as a person counts them: an emoji is one, not two UTF-16 units.
	const characters = Array.from(prompt).length;
	if (characters > PROMPT_MAX_LENGTH) {
		fail(
			FIELDS.prompt,
			`${prompt.slice(0, 40)}…`,
			`is ${characters} characters long${tags.length ? ' with the camera movements' : ''}`,
			`1–${PROMPT_MAX_LENGTH} characters`,
		);
	}
	const duration = checkDuration(payload.duration ?? DEFAULT_DURATION, fail);
	const resolution = checkResolution(payload.resolution ?? DEFAULT_RESOLUTION, duration, fail);
	const firstFrame = checkFirstFrameSource(ctx.getNodeParameter(FIELDS.firstFrame.name, 'none'), resolution, fail);
	if (firstFrame === 'url') payload.first_frame_image = checkImageUrl(payload.first_frame_image, fail);
	else delete payload.first_frame_image;
	for (const [key, field] of [
		['prompt_optimizer', FIELDS.promptOptimizer],
		['fast_pretreatment', FIELDS.fastPretreatment],
	] as const) {
		if (payload[key] !== undefined && typeof payload[key] !== 'boolean') fail(field, payload[key], 'is not true or false', ['true', 'false']);
	}
	Object.assign(payload, { prompt, duration, resolution });
	return { firstFrame };
}

