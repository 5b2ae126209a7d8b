import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_MODEL } from '../Hailuo/hailuo';
import { downloadFields } from '../Hailuo/descriptions/fields';
import { CREDENTIAL_TYPE } from '../gmi/transport';
import { pollFinishedJobs } from './poll';
import { EVENTS, EVERY_HAILUO_MODEL, EVERY_HAILUO_MODEL_NAME, FILTERS, FILTERS_COLLECTION, searchTriggerModels } from './scope';
import { latestMatchingJob } from './testEvent';

export class HailuoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hailuo Trigger',
		name: 'hailuoTrigger',
		icon: { light: 'file:hailuo.svg', dark: 'file:hailuo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(Object.fromEntries(Object.entries(EVENTS).map(([value, { name }]) => [value, name])))}[$parameter["event"]] }}`,
		description: 'Starts the workflow when a Hailuo video job on GMI Cloud finishes',
		defaults: { name: 'Hailuo Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName:
					'Feeding this trigger into a Hailuo Submit whose videos fire this trigger again makes an endless loop of paid jobs. Set a filter below (Prompt Contains with a marker only that Submit puts in its prompts, or its Request IDs) so the trigger reacts only to the jobs it should.',
				name: 'loopNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: Object.entries(EVENTS).map(([value, { name, statuses }]) => ({
					name,
					value,
					description: `A job reaches the status ${statuses.join(' or ')}`,
				})),
				default: 'succeeded',
			},
			{
				displayName: 'Model',
				name: 'model',
				type: 'resourceLocator',
				default: { mode: 'list', value: EVERY_HAILUO_MODEL, cachedResultName: EVERY_HAILUO_MODEL_NAME },
				description: 'Only jobs of this model, or of every Hailuo model',
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchTriggerModels', searchable: true },
					},
					{ displayName: 'By ID', name: 'id', type: 'string', placeholder: DEFAULT_MODEL },
				],
			},
			{
				displayName: 'Filters',
				name: FILTERS_COLLECTION,
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: FILTERS.promptContains.displayName,
						name: FILTERS.promptContains.name,
						type: 'string',
						default: '',
						placeholder: '#from-daily-videos',
						description: "Only jobs whose prompt contains this text (not case-sensitive), e.g. a marker your Submit adds to its prompts",
					},
					{
						displayName: FILTERS.requestIds.displayName,
						name: FILTERS.requestIds.name,
						type: 'string',
						default: '',
						placeholder: 'e.g. 6fb2b474-…, 9a1c…',
						description: 'Only these jobs: request IDs separated by commas, or an expression giving an array of them',
					},
				],
			},
			...downloadFields(),
		],
	};

	methods = {
		listSearch: { searchTriggerModels },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return this.getMode() === 'manual' ? await latestMatchingJob(this) : await pollFinishedJobs(this);
	}
}
