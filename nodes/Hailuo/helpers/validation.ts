import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FIRST_FRAME_IMAGE, ID_PATTERN, type ImageType } from '../../gmi/api';
import { CAMERA_MOVEMENTS, DEFAULT_DURATION, DEFAULT_RESOLUTION, DURATIONS, type Duration, FIRST_FRAME_SOURCES, type FirstFrameSource, type ModelRules, PROMPT_MAX_LENGTH, RESOLUTIONS, type Resolution, rulesOf } from '../hailuo';
import type { ModelDetails } from '../../gmi/models';
import type { FirstFrameImage } from '../../gmi/upload';
import { type Field, FIELDS } from '../descriptions/fields';
import type { ItemInput } from './itemInput';

const show = (value: unknown): string => {
	if (typeof value === 'string') return `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"`;
	if (value === undefined || value === null) return 'nothing';
	return JSON.stringify(value) ?? String(value);
};

/** The image sources as the editor names them, so a message speaks the editor's words. */
export const FRAME_SOURCE_LABELS: Record<FirstFrameSource, string> = { none: 'None', url: 'Image URL', binary: 'Binary From Input' };
const sourceLabel = (value: unknown): unknown => FRAME_SOURCE_LABELS[value as FirstFrameSource] ?? value;
const durationLabel = (seconds: number): string => `${seconds} Seconds`;

/** "Invalid Resolution (resolution): "1080P" is not available for 10 s videos … Allowed: 512P, 768P" */
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

export type Fail = (field: Field, value: unknown, problem: string, allowed?: readonly unknown[] | string) => never;

/** Throws the refusal of one item's field (itemIndex as n8n counts, from 0; messages count from 1). */
export function failer(node: INode, itemIndex: number): Fail {
	return (field, value, problem, allowed) => {
		throw invalidField(node, itemIndex, field, value, problem, allowed);
	};
}

/** A model's durations: the table's for a model it knows, any whole number of seconds otherwise. */
export function checkDuration(value: unknown, rules: ModelRules | undefined, fail: Fail): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const allowed = rules ? DURATIONS.map(durationLabel) : 'a whole number of seconds';
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) fail(FIELDS.duration, value, 'is not a duration', allowed);
	if (rules && !DURATIONS.includes(number as Duration)) fail(FIELDS.duration, value, `is not a duration of ${rules.id}`, allowed);
	return number as number;
}

const RESOLUTION_PATTERN = /^\d{3,4}P$/;

/**
 * Lower-case "768p" is accepted and sent as "768P": it is unambiguous, and AI agents write it. The
 * allowed values named are the ones of this model at this duration, never all of them.
 */
export function checkResolution(value: unknown, duration: number, rules: ModelRules | undefined, fail: Fail): string {
	const resolution = typeof value === 'string' ? value.trim().toUpperCase() : value;
	const allowed = rules ? rules.resolutions[duration as Duration] : RESOLUTIONS;
	if (typeof resolution !== 'string' || !RESOLUTION_PATTERN.test(resolution)) fail(FIELDS.resolution, value, 'is not a resolution', allowed);
	if (rules && !allowed.includes(resolution as Resolution)) {
		fail(FIELDS.resolution, value, `is not available for ${duration} s videos with ${rules.id}`, allowed);
	}
	return resolution as string;
}

function checkFrameSource(field: Field, value: unknown, fail: Fail): FirstFrameSource {
	if (!FIRST_FRAME_SOURCES.includes(value as FirstFrameSource)) fail(field, value, 'is not an image source', Object.values(FRAME_SOURCE_LABELS));
	return value as FirstFrameSource;
}

export function checkFirstFrameSource(value: unknown, resolution: string, rules: ModelRules | undefined, fail: Fail): FirstFrameSource {
	const source = checkFrameSource(FIELDS.firstFrame, value, fail);
	if (source === 'none' && rules?.firstFrameRequired.includes(resolution as Resolution)) {
		fail(FIELDS.firstFrame, sourceLabel(value), `is not possible at ${resolution} with ${rules.id}: ${resolution} needs a first frame image`, [FRAME_SOURCE_LABELS.url, FRAME_SOURCE_LABELS.binary]);
	}
	return source;
}

/** A last frame where the table says the model takes none is refused, unless the model's details list one. */
export function checkLastFrameSource(
	value: unknown,
	resolution: string,
	rules: ModelRules | undefined,
	details: ModelDetails,
	fail: Fail,
): FirstFrameSource {
	const source = checkFrameSource(FIELDS.lastFrame, value, fail);
	if (source === 'none' || !rules || rules.lastFrame.includes(resolution as Resolution)) return source;
	// Details that list a last frame outweigh a row that knows none; a row's resolutions stay.
	if (!rules.lastFrame.length && details.parameters.includes('last_frame_image')) return source;
	const where = rules.lastFrame.length ? `at ${resolution}` : '';
	fail(FIELDS.lastFrame, sourceLabel(value), `is not accepted by ${rules.id}${where ? ` ${where}` : ''}`, rules.lastFrame.length ? `a last frame at ${rules.lastFrame.join(', ')}; None otherwise` : [FRAME_SOURCE_LABELS.none]);
	return source;
}

/**
 * The values the model's own details declare are the final word: a value outside them is refused
 * before submit, naming them. The table's duration rule for a model it knows still applies.
 */
export function checkDeclaredValues(fail: Fail, submission: Submission, details: ModelDetails): void {
	const durations = details.allowed.duration?.map(Number).filter(Number.isFinite);
	if (durations?.length && !durations.includes(submission.duration)) {
		fail(FIELDS.duration, submission.duration, `is not a duration ${submission.model} declares`, durations.map(durationLabel));
	}
	const declared = details.allowed.resolution?.map((r) => String(r).trim().toUpperCase());
	if (declared?.length) {
		const { rules } = submission;
		const otherDurationsOnly = rules ? RESOLUTIONS.filter((r) => !rules.resolutions[submission.duration as Duration].includes(r)) : [];
		const allowed = declared.filter((r) => !otherDurationsOnly.includes(r as Resolution));
		if (!allowed.includes(submission.resolution)) {
			fail(FIELDS.resolution, submission.resolution, `is not a resolution ${submission.model} declares for ${submission.duration} s videos`, allowed);
		}
	}
	checkLastFrameSource(submission.lastFrame, submission.resolution, submission.rules, details, fail);
	// A frame the model's details mark required is refused missing, as the table's own rules are.
	for (const [parameter, field, source] of [
		['first_frame_image', FIELDS.firstFrame, submission.firstFrame],
		['last_frame_image', FIELDS.lastFrame, submission.lastFrame],
	] as const) {
		if (source === 'none' && details.required.includes(parameter)) {
			fail(field, FRAME_SOURCE_LABELS.none, `is not possible with ${submission.model}: its details on GMI mark ${parameter} as required`, [FRAME_SOURCE_LABELS.url, FRAME_SOURCE_LABELS.binary]);
		}
	}
}

export function checkPrompt(value: unknown, fail: Fail): string {
	if (value === undefined || value === null) fail(FIELDS.prompt, value, 'was given: the expression found no value', `text of 1–${PROMPT_MAX_LENGTH} characters`);
	if (typeof value !== 'string') fail(FIELDS.prompt, value, 'is not text', `text of 1–${PROMPT_MAX_LENGTH} characters`);
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

const DATA_URI = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i;

export function checkImageUrl(field: Field, value: unknown, fail: Fail): string {
	const url = typeof value === 'string' ? value.trim() : '';
	const allowed = 'an http(s) URL of a JPG/PNG/WebP image, or a data:image/…;base64 URI';
	if (!url) fail(field, value, 'is empty', allowed);
	if (url.startsWith('data:')) {
		const match = DATA_URI.exec(url);
		if (!match || !imageTypeByMime(match[1])) fail(field, `${url.slice(0, 40)}…`, 'is not an image data URI', allowed);
		checkImageBytes(Buffer.from(match[2], 'base64'), field, `${url.slice(0, 40)}…`, match[1], fail);
		return url;
	}
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		fail(field, value, 'is not a URL', allowed);
	}
	if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') fail(field, value, 'is not an http(s) URL', allowed);
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
		fail(field, shown, `holds ${(bytes.length / 1024 / 1024).toFixed(1)} MB, over the image limit`, limits);
	}
	const type = sniffImageType(bytes);
	if (!type) fail(field, shown, `is not an image (${declaredType})`, limits);
	return type as ImageType;
}

export async function readImageBinary(fail: Fail, item: ItemInput, field: Field, propertyName: unknown): Promise<FirstFrameImage> {
	const name = typeof propertyName === 'string' ? propertyName.trim() : '';
	if (!name) fail(field, propertyName, 'is empty', 'the name of a binary field of the input item, e.g. data');
	const binary = item.binary();
	const available = Object.keys(binary ?? {});
	if (!binary?.[name]) {
		fail(field, name, 'is not a binary field of the input item', available.length ? available : 'the item has no binary data');
	}
	const bytes = await item.binaryBuffer(name);
	return { bytes, type: checkImageBytes(bytes, field, name, binary?.[name]?.mimeType ?? 'unknown type', fail) };
}

export function checkId(fail: Fail, field: Field, value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	const allowed = 'letters, digits, ".", "-", "_" and ":" (no spaces or slashes)';
	if (!id) fail(field, value, 'is empty', allowed);
	if (!ID_PATTERN.test(id)) fail(field, value, 'is not a valid id', allowed);
	return id;
}

export function checkLimit(fail: Fail, value: unknown): number {
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		fail(FIELDS.limit, value, 'is not a positive whole number', 'a whole number of 1 or more');
	}
	return limit as number;
}

/** An item's submission, checked against the rules table (the model's own details come after). */
export interface Submission {
	model: string;
	rules: ModelRules | undefined;
	duration: number;
	resolution: string;
	firstFrame: FirstFrameSource;
	lastFrame: FirstFrameSource;
}

/** What the editor's Submit fields hold for one item, read but not yet checked. */
export interface SubmitFields {
	model: unknown;
	prompt: unknown;
	cameraMovements: unknown;
	duration: unknown;
	resolution: unknown;
	firstFrame: unknown;
	firstFrameUrl: unknown;
	lastFrame: unknown;
	lastFrameUrl: unknown;
	promptOptimizer: unknown;
	fastPretreatment: unknown;
}

/**
 * Checks one item's Submit fields against the chosen model's rules and builds GMI's payload (camera
 * movements appended to the prompt). Runs before any request of the run, so a bad value costs no call.
 */
export function checkSubmission(fail: Fail, fields: SubmitFields): { submission: Submission; payload: IDataObject } {
	const model = checkId(fail, FIELDS.model, fields.model);
	const rules = rulesOf(model);
	const tags = checkCameraMovements(fields.cameraMovements, fail);
	const prompt = [checkPrompt(fields.prompt, fail), ...tags].join(' ');
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
	const duration = checkDuration(fields.duration ?? DEFAULT_DURATION, rules, fail);
	const resolution = checkResolution(fields.resolution ?? DEFAULT_RESOLUTION, duration, rules, fail);
	const payload: IDataObject = { prompt, duration, resolution };
	const firstFrame = checkFirstFrameSource(fields.firstFrame ?? 'none', resolution, rules, fail);
	if (firstFrame === 'url') payload.first_frame_image = checkImageUrl(FIELDS.firstFrameUrl, fields.firstFrameUrl, fail);
	// Whether the model takes a last frame at all may depend on its details: checkDeclaredValues decides.
	const lastFrame = checkFrameSource(FIELDS.lastFrame, fields.lastFrame ?? 'none', fail);
	if (lastFrame === 'url') payload.last_frame_image = checkImageUrl(FIELDS.lastFrameUrl, fields.lastFrameUrl, fail);
	for (const [key, field, value] of [
		['prompt_optimizer', FIELDS.promptOptimizer, fields.promptOptimizer],
		['fast_pretreatment', FIELDS.fastPretreatment, fields.fastPretreatment],
	] as const) {
		if (value === undefined || value === null) continue;
		if (typeof value !== 'boolean') fail(field, value, 'is not true or false', ['true', 'false']);
		payload[key] = value;
	}
	return { submission: { model, rules, duration, resolution, firstFrame, lastFrame }, payload };
}
