import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isFinalStatus } from '../gmi/api';
import { jobPages } from '../gmi/jobPages';
import { jobItems } from './items';
import { EVENTS, inScope, matchesEvent, readScope } from './scope';

/** "Fetch Test Event" looks this many pages into the job list. */
export const TEST_EVENT_PAGES = 3;

/**
 * "Fetch Test Event" in the editor: the most recent job that matches, as the active trigger
 * would emit it. It reads the memory of the active trigger nowhere and changes nothing.
 */
export async function latestMatchingJob(ctx: IPollFunctions): Promise<INodeExecutionData[][]> {
	const scope = readScope(ctx);
	let looked = 0;
	let pages = 0;
	for await (const page of jobPages(ctx, { modelId: scope.modelId })) {
		const match = page.records.find((record) => inScope(scope, record) && isFinalStatus(record.status) && matchesEvent(scope, record));
		if (match) return [await jobItems(ctx, [match])];
		looked += page.records.length;
		if (++pages >= TEST_EVENT_PAGES) break;
	}
	const model = scope.modelId ? `model ${scope.modelId}` : 'any Hailuo model';
	throw new NodeOperationError(ctx.getNode(), `No job of ${model} with the status "${EVENTS[scope.event].name}" among the ${looked} most recent jobs`, {
		description: 'Submit a video with the Hailuo node (or choose another Event) and fetch again. Once activated, the trigger reports the jobs that finish from then on.',
	});
}
