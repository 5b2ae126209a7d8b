import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchModels, searchVideoModels } from './methods/listSearch';
import { modelFields, modelOperations } from './actions/model';
import { videoFields, videoOperations } from './actions/video';
import { getStatus } from './actions/video/getStatus.operation';
import { submit } from './actions/video/submit.operation';
import { BASE_URL_EXPRESSION, CREDENTIAL_TYPE, ORGANIZATION_HEADER_EXPRESSION } from '../gmi/transport';

export class Hailuo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hailuo',
		name: 'hailuo',
		icon: { light: 'file:hailuo.svg', dark: 'file:hailuo.dark.svg' },
		group: ['transform'],
		version: 1,
		// the operation's `action`, the words the nodes panel shows (test/editor/display.test.ts keeps them equal)
		subtitle:
			'={{ {"video:submit":"Generate a video","video:getStatus":"Get the status of a video job","video:list":"List video jobs","model:get":"Get a model","model:list":"List models"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Generate videos with MiniMax Hailuo models on GMI Cloud',
		defaults: { name: 'Hailuo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		requestDefaults: {
			baseURL: BASE_URL_EXPRESSION,
			headers: { Accept: 'application/json', 'X-Organization-ID': ORGANIZATION_HEADER_EXPRESSION },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Video', value: 'video' },
					{ name: 'Model', value: 'model' },
				],
				default: 'video',
			},
			videoOperations,
			modelOperations,
			...videoFields,
			...modelFields,
		],
	};

	methods = {
		listSearch: { searchModels, searchVideoModels },
	};

	/** Operations with a life of their own (checking a whole batch, submitting, waiting, downloading, retrying) run as plain code over n8n's public API. */
	customOperations = {
		video: { submit, getStatus },
	};
}
