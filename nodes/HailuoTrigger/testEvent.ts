import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isFinalStatus } from '../gmi/api';
import { jobPages } from '../gmi/jobPages';
import { createdAtOf, type JobRecord } from '../gmi/records';
import { jobItems, ownRecord, REQUEST_TIMEOUT_MS } from './items';
import { EVENTS, inScope, matchesEvent, matchesFilters, readScope } from './scope';

/** "Fetch Test Event" looks this many pages into the job list, and asks at most this many jobs for their own record. */
export const TEST_EVENT_PAGES = 3;
export const TEST_EVENT_RECORD_CHECKS = 10;

/**
 * "Fetch Test Event" in the editor: the most recent job that matches, by its own record, as the
 * active trigger would emit it. It reads the memory of the active trigger nowhere and changes
 * nothing. The list's order is not trusted: the candidates are sorted by creation time.
 */
export async function latestMatchingJob(ctx: IPollFunctions): Promise<INodeExecutionData[][]> {
	const scope = readScope(ctx);
	let looked = 0;
	const inModel: JobRecord[] = [];
	for await (const page of jobPages(ctx, { modelId: scope.modelId, timeoutMs: REQUEST_TIMEOUT_MS })) {
		looked += page.records.length;
		inModel.push(...page.records.filter((record) => inScope(scope, record)));
		if (page.number >= TEST_EVENT_PAGES) break;
	}
	const candidates = inModel
		.filter((record) => typeof record.request_id === 'string' && isFinalStatus(record.status) && matchesFilters(scope, record) !== false)
		.sort((a, b) => (createdAtOf(b) ?? 0) - (createdAtOf(a) ?? 0))
		.slice(0, TEST_EVENT_RECORD_CHECKS);
	for (const listed of candidates) {
		const { record } = await ownRecord(ctx, String(listed.request_id));
		if (record && isFinalStatus(record.status) && matchesEvent(scope, record) && matchesFilters(scope, record) === true) {
			return [(await jobItems(ctx, [record], () => false)) as INodeExecutionData[]];
		}
	}
	const model = scope.modelId ? `model ${scope.modelId}` : 'any Hailuo model';
	const ofModel = scope.modelId ? `${inModel.length} of that model` : `${inModel.length} of a Hailuo model`;
	const filtered = scope.promptContains !== undefined || scope.requestIds !== undefined;
	throw new NodeOperationError(
		ctx.getNode(),
		`No job of ${model} with the status "${EVENTS[scope.event].name}"${filtered ? ' matching the filters' : ''} among the ${looked} most recent jobs (${ofModel})`,
		{
			description: `Submit a video with the Hailuo node (or choose another Event${filtered ? ' or loosen the filters' : ''}) and fetch again. Once published (activated), the trigger reports the jobs that finish from then on.`,
		},
	);
}
