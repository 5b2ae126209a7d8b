import type { INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { downloadVideo } from '../../helpers/download';
import { refuseEmptyExpressions } from '../../helpers/expressions';
import { checkApiResponse } from '../../helpers/response';
import { checkWaitSettings, waitUntilDone } from '../../helpers/wait';
import { checkStatusAnswer, getStatusFields, useRequestIdInUrl } from './getStatus.operation';
import { collectJobs, listFields, prepareListQuery } from './list.operation';
import { logSubmittedJob, prepareSubmission, submitFields } from './submit.operation';
import { rememberAcceptedJob, resumeAcceptedJob, submitWithOtherJobsOnError } from './submitOnce';

export const videoOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['video'] } },
	default: 'submit',
	options: [
		{
			name: 'Submit',
			value: 'submit',
			action: 'Generate a video',
			description: 'Start a video generation job, and by default wait for the finished video',
			routing: {
				request: { method: 'POST', url: PATHS.requests },
				send: { preSend: [prepareSubmission, resumeAcceptedJob], paginate: true },
				operations: { pagination: submitWithOtherJobsOnError },
				output: { postReceive: [checkApiResponse, rememberAcceptedJob, logSubmittedJob, waitUntilDone, downloadVideo] },
			},
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a video job',
			description: 'Get a job by its request ID, optionally waiting until it is done',
			routing: {
				request: { method: 'GET' },
				send: { preSend: [refuseEmptyExpressions(getStatusFields), checkWaitSettings, useRequestIdInUrl] },
				output: { postReceive: [checkApiResponse, checkStatusAnswer, waitUntilDone, downloadVideo] },
			},
		},
		{
			name: 'List',
			value: 'list',
			action: 'List video jobs',
			description: 'List your video generation jobs, newest first',
			routing: {
				request: { method: 'GET', url: PATHS.requests },
				send: { preSend: [refuseEmptyExpressions(listFields), prepareListQuery] },
				// The pager reads page 1 itself, so a 429 or 5xx on it is retried like on any other page.
				output: { postReceive: [collectJobs] },
			},
		},
	],
};

export const videoFields: INodeProperties[] = [...submitFields, ...getStatusFields, ...listFields];
