import type { INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../../gmi/api';
import { refuseEmptyExpressions } from '../../helpers/expressions';
import { getStatusAsTool, getStatusFields } from './getStatus.operation';
import { collectJobs, listFields, prepareListQuery } from './list.operation';
import { submitAsTool, submitFields } from './submit.operation';

/*
 * Submit and Get Status run as n8n custom operations (Hailuo.node.ts `customOperations`), also
 * when AI Agent 3 calls the node as a tool (the engine runs the tool node like any other). AI
 * Agent 2.x, an Agent Tool's sub-agent and the MCP Server Trigger call the tool's `execute`
 * instead, which for a declarative node is RoutingNode: so these two also carry a routing whose
 * "pagination" hook hands the tool call's item to the same code; it sends nothing of its own.
 */
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
			routing: { request: { method: 'POST', url: PATHS.requests }, send: { paginate: true }, operations: { pagination: submitAsTool } },
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a video job',
			description: 'Get a job by its request ID, optionally waiting until it is done',
			routing: { request: { method: 'GET', url: PATHS.requests }, send: { paginate: true }, operations: { pagination: getStatusAsTool } },
		},
		{
			name: 'List',
			value: 'list',
			action: 'List video jobs',
			description: 'List your video generation jobs, newest first',
			routing: {
				request: { method: 'GET', url: PATHS.requests },
				send: { preSend: [refuseEmptyExpressions(listFields), prepareListQuery] },
				// collectJobs pages through the list itself, page 1 being the answer to this request.
				output: { postReceive: [collectJobs] },
			},
		},
	],
};

export const videoFields: INodeProperties[] = [...submitFields, ...getStatusFields, ...listFields];
