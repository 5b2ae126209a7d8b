import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DEFAULT_MODEL } from '../Hailuo/hailuo';
import { downloadFields } from '../Hailuo/descriptions/fields';
import { CREDENTIAL_TYPE } from '../gmi/transport';
import { pollFinishedJobs } from './poll';
import { EVENTS, EVERY_HAILUO_MODEL, EVERY_HAILUO_MODEL_NAME, searchTriggerModels } from './scope';
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
