import type {
	DisplayCondition,
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { CAMERA_MOVEMENTS, DEFAULT_DURATION, DEFAULT_MODEL, DEFAULT_RESOLUTION, DURATIONS, MODEL_RULES, type ModelRules, PROMPT_MAX_LENGTH, RESOLUTIONS, type Resolution, resolutionLabel, resolutionsOf } from '../../hailuo';
import { modelField, waitFields } from '../../descriptions/fields';
import { refuseEmptyExpressions } from '../../helpers/expressions';
import { firstFrameReference, type FirstFrameTransfer } from '../../../gmi/upload';
import { modelDetailsOf } from '../../../gmi/models';
import { joinRun } from '../../helpers/runGate';
import { jobOfItem } from '../../helpers/runJobs';
import { checkDeclaredValues, checkId, checkSubmission, type Field, FIELDS, readImageBinary } from '../../helpers/validation';
import { checkWaitSettings } from '../../helpers/wait';

const forSubmit = { resource: ['video'], operation: ['submit'] };

/*
 * The fields that depend on the model, generated from its rules row. A model is chosen through a
 * resource locator, which the editor does not resolve, so a row's variant is *hidden* unless its
 * model is chosen (a `show` condition on an expression would always pass and show every row at
 * once). Each row also has a variant for a duration or resolution the row does not know (an
 * expression resolving to something else, or to nothing while there is no input data), and
 * models the table does not know (or a model from an expression) get the broadest variant: an
 * expression never hides a field, and exactly one variant shows whatever it resolves to.
 */
// Plain comparisons only: n8n's server evaluates `_cnd.regex` in a VM with a 250 ms limit, which a
// busy worker exceeds ("Regular expression execution timed out").
const unlessModel = (rules: ModelRules): DisplayCondition => ({ _cnd: { not: rules.id } });
const knownModels = MODEL_RULES.map((rules) => rules.id);

const resolutionField = (
	rules: ModelRules | undefined,
	values: readonly Resolution[],
	description: string,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties => ({
	displayName: FIELDS.resolution.displayName,
	name: FIELDS.resolution.name,
	type: 'options',
	default: DEFAULT_RESOLUTION,
	description,
	options: values.map((value) => ({ name: resolutionLabel(rules, value), value })),
	displayOptions,
	routing: { send: { type: 'body', property: 'payload.resolution' } },
});

const resolutionFields: INodeProperties[] = [
	...MODEL_RULES.flatMap((rules) => [
		...DURATIONS.map((duration) =>
			resolutionField(rules, rules.resolutions[duration], `Output resolution. ${rules.id} renders ${duration} s videos in ${rules.resolutions[duration].join(', ')}.`, {
				show: { ...forSubmit, [FIELDS.duration.name]: [duration] },
				hide: { [FIELDS.model.name]: [unlessModel(rules)] },
			}),
		),
		resolutionField(rules, resolutionsOf(rules), `Output resolution. ${DURATIONS.map((d) => `${d} s: ${rules.resolutions[d].join(', ')}`).join('; ')}; each item is checked when the node runs.`, {
			show: forSubmit,
			hide: { [FIELDS.model.name]: [unlessModel(rules)], [FIELDS.duration.name]: [...DURATIONS] },
		}),
	]),
	resolutionField(undefined, RESOLUTIONS, 'Output resolution. For a model this node does not know, GMI and the model’s own details decide.', {
		show: forSubmit,
		hide: { [FIELDS.model.name]: knownModels },
	}),
];

const IMAGE_SOURCES: INodePropertyOptions[] = [
	{ name: 'None (Text to Video)', value: 'none', description: 'Generate from the prompt alone' },
	{ name: 'Image URL', value: 'url', description: 'A public http(s) URL of a JPG, PNG or WebP image' },
	{ name: 'Binary From Input', value: 'binary', description: 'An image in a binary field of the input item' },
];
const withoutNone = IMAGE_SOURCES.filter((option) => option.value !== 'none');

/** "None" leads where a frame is optional, so it is the default there; "Image URL" where one is required. */
const frameSourceField = (field: Field, options: INodePropertyOptions[], description: string, displayOptions: INodeProperties['displayOptions']): INodeProperties => {
	const firstOffered = options[0].value;
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'options',
		default: firstOffered,
		description,
		options,
		displayOptions,
	};
};

/**
 * Where a first frame is required, "None" is not offered at all. When the resolution comes from an
 * expression several variants apply at run time and n8n keeps the last one's default, so the
 * variants defaulting to "None" come last.
 */
const firstFrameFields: INodeProperties[] = [
	...MODEL_RULES.flatMap((rules) => {
		const required = rules.firstFrameRequired;
		const optional = resolutionsOf(rules).filter((r) => !required.includes(r));
		const hide = { [FIELDS.model.name]: [unlessModel(rules)] };
		const optionalDescription = rules.disputed.firstFrame
			? `The image the video starts from. Sources disagree whether ${rules.id} needs one (${rules.disputed.firstFrame}): GMI decides.`
			: 'The image the video starts from (optional at this resolution)';
		return [
			...(required.length
				? [frameSourceField(FIELDS.firstFrame, withoutNone, `The image the video starts from (required at ${required.join(', ')})`, { show: { ...forSubmit, [FIELDS.resolution.name]: [...required] }, hide })]
				: []),
			...(optional.length ? [frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, optionalDescription, { show: { ...forSubmit, [FIELDS.resolution.name]: optional }, hide })] : []),
			frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, `The image the video starts from${required.length ? ` (required at ${required.join(', ')})` : ''}`, {
				show: forSubmit,
				hide: { ...hide, [FIELDS.resolution.name]: resolutionsOf(rules) },
			}),
		];
	}),
	frameSourceField(FIELDS.firstFrame, IMAGE_SOURCES, 'The image the video starts from', { show: forSubmit, hide: { [FIELDS.model.name]: knownModels } }),
];

/** Offered where a model's row accepts a last frame, and for models the table does not know. */
const lastFrameFields: INodeProperties[] = [
	...MODEL_RULES.filter((rules) => rules.lastFrame.length).map((rules) =>
		frameSourceField(
			FIELDS.lastFrame,
			[{ ...IMAGE_SOURCES[0], name: 'None', description: 'No last frame' }, ...IMAGE_SOURCES.slice(1)],
			`The image the video ends on, at ${rules.lastFrame.join(', ')}${rules.disputed.lastFrame ? ` (${rules.disputed.lastFrame})` : ''}`,
			{ show: forSubmit, hide: { [FIELDS.model.name]: [unlessModel(rules)], [FIELDS.resolution.name]: resolutionsOf(rules).filter((r) => !rules.lastFrame.includes(r)) } },
		),
	),
	frameSourceField(FIELDS.lastFrame, [{ ...IMAGE_SOURCES[0], name: 'None', description: 'No last frame' }, ...IMAGE_SOURCES.slice(1)], 'The image the video ends on, if the model accepts one', {
		show: forSubmit,
		hide: { [FIELDS.model.name]: knownModels },
	}),
];

const imageUrlField = (field: Field, source: Field, property: string): INodeProperties => ({
	displayName: field.displayName,
	name: field.name,
	type: 'string',
	// Not `required`: n8n would then refuse the whole run (no Continue On Fail) whenever the
	// resolution or source arrives by expression; the run-time check names the field instead.
	default: '',
	placeholder: 'https://example.com/frame.png',
	description: 'Public http(s) URL (or data:image/…;base64 URI) of a JPG, PNG or WebP image, up to 20 MB',
	displayOptions: { show: { ...forSubmit, [source.name]: ['url'] } },
	routing: { send: { type: 'body', property } },
});

const binaryField = (field: Field, source: Field): INodeProperties => ({
	displayName: field.displayName,
	name: field.name,
	type: 'string',
	required: true,
	default: 'data',
	description: 'Name of the input binary field holding the image (JPG, PNG or WebP, up to 20 MB)',
	displayOptions: { show: { ...forSubmit, [source.name]: ['binary'] } },
});

export const submitFields: INodeProperties[] = [
	modelField({
		operations: { resource: 'video', operation: ['submit'] },
		required: true,
		searchListMethod: 'searchVideoModels',
		defaultModel: DEFAULT_MODEL,
		description: 'The Hailuo model to generate with',
		routing: { send: { type: 'body', property: 'model' } },
	}),
	{
		displayName: FIELDS.prompt.displayName,
		name: FIELDS.prompt.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'A red fox runs through fresh snow at dawn, cinematic',
		typeOptions: { rows: 4 },
		description: `What the video shows, up to ${PROMPT_MAX_LENGTH} characters. Camera tags such as [Pan left] may be written inline.`,
		displayOptions: { show: forSubmit },
		routing: { send: { type: 'body', property: 'payload.prompt' } },
	},
	{
		displayName: FIELDS.cameraMovements.displayName,
		name: FIELDS.cameraMovements.name,
		type: 'multiOptions',
		default: [],
		description: 'Camera movements to add to the end of the prompt, in brackets',
		options: CAMERA_MOVEMENTS.map((tag) => ({ name: tag.slice(1, -1), value: tag })),
		displayOptions: { show: forSubmit },
	},
	{
		displayName: FIELDS.duration.displayName,
		name: FIELDS.duration.name,
		type: 'options',
		default: DEFAULT_DURATION,
		description: 'Length of the video',
		options: DURATIONS.map((d) => ({ name: `${d} Seconds`, value: d })),
		displayOptions: { show: forSubmit },
		routing: { send: { type: 'body', property: 'payload.duration' } },
	},
	...resolutionFields,
	...firstFrameFields,
	imageUrlField(FIELDS.firstFrameUrl, FIELDS.firstFrame, 'payload.first_frame_image'),
	binaryField(FIELDS.firstFrameBinaryProperty, FIELDS.firstFrame),
	...lastFrameFields,
	imageUrlField(FIELDS.lastFrameUrl, FIELDS.lastFrame, 'payload.last_frame_image'),
	binaryField(FIELDS.lastFrameBinaryProperty, FIELDS.lastFrame),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: forSubmit },
		options: [
			{
				displayName: 'First Frame Transfer',
				name: 'firstFrameTransfer',
				type: 'options',
				default: 'upload',
				description: 'How a binary first or last frame reaches GMI',
				options: [
					{ name: 'Upload to GMI Storage', value: 'upload', description: 'Upload it and send its public URL (WebP always goes inline)' },
					{ name: 'Send Inline (Data URI)', value: 'dataUri', description: 'Embed it in the request as a data:image/…;base64 URI' },
				],
			},
			{
				displayName: FIELDS.fastPretreatment.displayName,
				name: FIELDS.fastPretreatment.name,
				type: 'boolean',
				default: false,
				description: 'Whether to shorten prompt optimization to finish sooner',
				routing: { send: { type: 'body', property: 'payload.fast_pretreatment' } },
			},
			{
				displayName: FIELDS.promptOptimizer.displayName,
				name: FIELDS.promptOptimizer.name,
				type: 'boolean',
				default: true,
				description: 'Whether GMI may rewrite the prompt for better results',
				routing: { send: { type: 'body', property: 'payload.prompt_optimizer' } },
			},
		],
	},
	...waitFields('submit'),
];

const refuseEmptySubmitExpressions = refuseEmptyExpressions(submitFields);

/**
 * The only preSend of Submit. Checks the item against its model's rules and the model's own
 * details, waits until every item of the run has been checked (see runGate), and only then attaches
 * binary frames (the only step that may call GMI besides the model details).
 */
export async function prepareSubmission(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const checkedWithTheRun = joinRun(this);
	const { body, payload, images } = await checkedWithTheRun(async () => {
		await refuseEmptySubmitExpressions.call(this, requestOptions);
		await checkWaitSettings.call(this, requestOptions);
		const body = (requestOptions.body ?? {}) as IDataObject;
		body.model = checkId(this, FIELDS.model, body.model);
		const payload = (body.payload ?? {}) as IDataObject;
		const submission = checkSubmission(this, body.model, payload);
		const binary = async (source: string, field: Field) =>
			source === 'binary' ? await readImageBinary(this, field, this.getNodeParameter(field.name, 'data')) : undefined;
		const images = {
			first_frame_image: await binary(submission.firstFrame, FIELDS.firstFrameBinaryProperty),
			last_frame_image: await binary(submission.lastFrame, FIELDS.lastFrameBinaryProperty),
		};
		checkDeclaredValues(this, submission, await modelDetailsOf(this, body.model));
		return { body, payload, images };
	});
	const transfer = this.getNodeParameter('options.firstFrameTransfer', 'upload') as FirstFrameTransfer;
	for (const [key, image] of Object.entries(images)) {
		if (image) payload[key] = await firstFrameReference(this, image, transfer, key.replace(/_/g, ' '));
	}
	requestOptions.body = { ...body, payload };
	return requestOptions;
}

/**
 * postReceive of Submit: logs each accepted job. If the execution dies while waiting (a worker
 * killed in queue mode), n8n discards its data; the log still ties request ids to it.
 */
export async function logSubmittedJob(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	for (const { json } of items) {
		if (typeof json.request_id === 'string' && !jobOfItem(this)?.resumed) {
			this.logger.info(`Hailuo: GMI accepted video request ${json.request_id}`, {
				requestId: json.request_id,
				executionId: this.getExecutionId(),
				workflowId: this.getWorkflow().id,
				itemIndex: this.getItemIndex(),
			});
		}
	}
	return items;
}
