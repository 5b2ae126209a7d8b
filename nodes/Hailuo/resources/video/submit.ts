import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	CAMERA_MOVEMENTS,
	DEFAULT_DURATION,
	DEFAULT_MODEL,
	DEFAULT_RESOLUTION,
	DURATIONS,
	PROMPT_MAX_LENGTH,
	RESOLUTION_LABELS,
	RESOLUTIONS,
	RESOLUTIONS_BY_DURATION,
	RESOLUTIONS_NEEDING_FIRST_FRAME,
} from '../../hailuo';
import { modelField, waitFields } from '../../shared/descriptions';
import { firstFrameReference, type FirstFrameTransfer } from '../../shared/firstFrame';
import { jobOfItem } from '../../shared/runJobs';
import { checkId, checkSubmission, FIELDS, readFirstFrameBinary } from '../../shared/validation';

const forSubmit = { resource: ['video'], operation: ['submit'] };

/** One Resolution property per duration, each offering only what that duration allows. */
const resolutionFields: INodeProperties[] = DURATIONS.map((duration) => ({
	displayName: FIELDS.resolution.displayName,
	name: FIELDS.resolution.name,
	type: 'options',
	default: DEFAULT_RESOLUTION,
	description: `Output resolution. ${duration} s videos come in ${RESOLUTIONS_BY_DURATION[duration].join(', ')}.`,
	options: RESOLUTIONS_BY_DURATION[duration].map((value) => ({ name: RESOLUTION_LABELS[value], value })),
	displayOptions: { show: { ...forSubmit, [FIELDS.duration.name]: [duration] } },
	routing: { send: { type: 'body', property: 'payload.resolution' } },
}));

const FIRST_FRAME_OPTIONS = [
	{ name: 'None (Text to Video)', value: 'none', description: 'Generate from the prompt alone' },
	{ name: 'Image URL', value: 'url', description: 'A public http(s) URL of a JPG, PNG or WebP image' },
	{ name: 'Binary From Input', value: 'binary', description: 'An image in a binary field of the input item' },
];
const resolutionsWithOptionalFrame = RESOLUTIONS.filter((r) => !RESOLUTIONS_NEEDING_FIRST_FRAME.includes(r));

/**
 * Where a first frame is required, "None" is not offered at all. When the resolution comes from an
 * expression both properties apply and n8n keeps the last one's default, so "None" comes last.
 */
const firstFrameFields: INodeProperties[] = [
	{
		displayName: FIELDS.firstFrame.displayName,
		name: FIELDS.firstFrame.name,
		type: 'options',
		default: 'url',
		description: `The image the video starts from (required at ${RESOLUTIONS_NEEDING_FIRST_FRAME.join(', ')})`,
		options: FIRST_FRAME_OPTIONS.filter((option) => option.value !== 'none'),
		displayOptions: { show: { ...forSubmit, [FIELDS.resolution.name]: [...RESOLUTIONS_NEEDING_FIRST_FRAME] } },
	},
	{
		displayName: FIELDS.firstFrame.displayName,
		name: FIELDS.firstFrame.name,
		type: 'options',
		default: 'none',
		description: 'The image the video starts from (optional at this resolution)',
		options: FIRST_FRAME_OPTIONS,
		displayOptions: { show: { ...forSubmit, [FIELDS.resolution.name]: [...resolutionsWithOptionalFrame] } },
	},
];

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
	{
		displayName: FIELDS.firstFrameUrl.displayName,
		name: FIELDS.firstFrameUrl.name,
		type: 'string',
		// Not `required`: n8n would then refuse the whole run (no Continue On Fail) whenever the
		// resolution or source arrives by expression; the run-time check names the field instead.
		default: '',
		placeholder: 'https://example.com/first-frame.png',
		description: 'Public http(s) URL (or data:image/…;base64 URI) of a JPG, PNG or WebP image, up to 20 MB',
		displayOptions: { show: { ...forSubmit, [FIELDS.firstFrame.name]: ['url'] } },
		routing: { send: { type: 'body', property: 'payload.first_frame_image' } },
	},
	{
		displayName: FIELDS.firstFrameBinaryProperty.displayName,
		name: FIELDS.firstFrameBinaryProperty.name,
		type: 'string',
		required: true,
		default: 'data',
		description: 'Name of the input binary field holding the image (JPG, PNG or WebP, up to 20 MB)',
		displayOptions: { show: { ...forSubmit, [FIELDS.firstFrame.name]: ['binary'] } },
	},
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
				description: 'How a binary first frame reaches GMI',
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

/**
 * preSend of Submit: checks and normalises the assembled request, then attaches a binary first
 * frame (the only step that may call GMI, and only once everything else is known to be valid).
 */
export async function prepareSubmission(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	body.model = checkId(this, FIELDS.model, body.model);
	const payload = (body.payload ?? {}) as IDataObject;
	const { firstFrame } = checkSubmission(this, payload);
	if (firstFrame === 'binary') {
		const image = await readFirstFrameBinary(this, this.getNodeParameter(FIELDS.firstFrameBinaryProperty.name, 'data'));
		const transfer = this.getNodeParameter('options.firstFrameTransfer', 'upload') as FirstFrameTransfer;
		payload.first_frame_image = await firstFrameReference(this, image, transfer);
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
