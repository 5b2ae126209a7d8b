import { type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions, NodeHelpers, Workflow } from 'n8n-workflow';

import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { DURATIONS, MODEL_RULES, type ModelRules, RESOLUTIONS, resolutionsOf } from '../../nodes/Hailuo/hailuo';
import { nodeTypes } from '../helpers/engine';

const { description } = new Hailuo();
const node = (parameters: INodeParameters): INode => ({ id: 'n', name: 'Hailuo', type: 'n8n-nodes-hailuo.hailuo', typeVersion: 1, position: [0, 0], parameters });

/** The parameters as the editor resolves them: defaults filled in, hidden ones dropped. */
function resolved(parameters: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node(parameters), description) ?? {};
}

/** What n8n shows for `name` with these parameters, expressions taken as they are (the server's view). */
function shown(parameters: INodeParameters, name: string): INodeProperties[] {
	const values = resolved(parameters);
	return description.properties.filter(
		(p) => p.name === name && NodeHelpers.displayParameter(values, p, node(values), description, values),
	);
}

/**
 * What the real editor shows: it first resolves each top-level expression against the input data
 * (`results`; undefined when there is none yet, '' when it fails), then asks the same helper. A
 * resource locator's value is not resolved (it is not a top-level string).
 */
function shownInEditor(parameters: INodeParameters, name: string, results: Record<string, unknown> = {}): INodeProperties[] {
	const values = resolved(parameters);
	const editorValues = Object.fromEntries(
		Object.entries(values).map(([key, value]) => [key, typeof value === 'string' && value.startsWith('=') ? results[key] : value]),
	) as INodeParameters;
	return description.properties.filter(
		(p) => p.name === name && NodeHelpers.displayParameter(editorValues, p, node(values), description, editorValues),
	);
}

const optionValues = (properties: INodeProperties[]) =>
	properties.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => o.value));
const optionNames = (properties: INodeProperties[]) =>
	properties.flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => o.name));

const model = (id: string, mode = 'id') => ({ __rl: true, mode, value: id });
const submit = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'video', operation: 'submit', prompt: 'x', ...extra });
const UNKNOWN_MODEL = 'Minimax-Hailuo-Next';
const rowsByDuration = MODEL_RULES.flatMap((rules) => DURATIONS.map((duration) => [rules.id, duration, rules] as const));
const rowsByResolution = MODEL_RULES.flatMap((rules) => resolutionsOf(rules).map((resolution) => [rules.id, resolution, rules] as const));

describe('the editor, through n8n-workflow’s display helpers', () => {
	test('every operation of each resource is offered, each with an action', () => {
		const operations = (resource: string) =>
			description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))?.options as INodePropertyOptions[];
		expect(operations('video').map((o) => o.value)).toEqual(['submit', 'getStatus', 'list']);
		expect(operations('model').map((o) => o.value)).toEqual(['get', 'list']);
		for (const option of [...operations('video'), ...operations('model')]) expect(option.action).toBeTruthy();
	});

	test('the canvas subtitle is the operation’s action, for every resource and operation', () => {
		// the editor's getNodeSubtitle: the subtitle expression on the node's resolved parameters
		const subtitleOf = (parameters: INodeParameters) => {
			const values = resolved(parameters);
			const workflow = new Workflow({ nodes: [node(values)], connections: {}, active: false, nodeTypes });
			return workflow.expression.getSimpleParameterValue(node(values), description.subtitle!, 'internal', {});
		};
		const operations = description.properties.filter((p) => p.name === 'operation');
		const rows = operations.flatMap((field) =>
			(field.displayOptions?.show?.resource ?? []).flatMap((resource) =>
				(field.options as INodePropertyOptions[]).map((option) => [String(resource), String(option.value), option.action] as const),
			),
		);
		expect(rows).toHaveLength(5);
		for (const [resource, operation, action] of rows) expect([resource, operation, subtitleOf({ resource, operation })]).toEqual([resource, operation, action]);
		expect(subtitleOf({ resource: 'video', operation: 'submit' })).toBe('Generate a video');
		// a new node: nothing chosen yet, the defaults apply
		expect(subtitleOf({})).toBe('Generate a video');
		expect(subtitleOf({ resource: 'model' })).toBe('List models');
	});

	describe('the fields follow the chosen model’s row', () => {
		test.each(rowsByDuration)('%s at %i s: Resolution offers exactly the row’s resolutions', (id, duration, rules: ModelRules) => {
			for (const mode of ['id', 'list']) {
				const fields = shown(submit({ model: model(id, mode), duration }), 'resolution');
				expect(fields).toHaveLength(1);
				expect(optionValues(fields)).toEqual(rules.resolutions[duration]);
			}
		});

		test.each(rowsByResolution)('%s at %s: First Frame Image offers None only where the row does not require a frame', (id, resolution, rules: ModelRules) => {
			const parameters = submit({ model: model(id), duration: 6, resolution });
			const fields = shown(parameters, 'firstFrame');
			expect(fields).toHaveLength(1);
			if (rules.firstFrameRequired.includes(resolution)) {
				expect(optionValues(fields)).toEqual(['url', 'binary']);
				expect(resolved(parameters).firstFrame).toBe('url');
			} else {
				expect(optionValues(fields)).toEqual(['none', 'url', 'binary']);
				expect(resolved(parameters).firstFrame).toBe('none');
			}
		});

		test.each(rowsByResolution)('%s at %s: Last Frame Image shows only where the row accepts one', (id, resolution, rules: ModelRules) => {
			expect(shown(submit({ model: model(id), resolution }), 'lastFrame')).toHaveLength(rules.lastFrame.includes(resolution) ? 1 : 0);
		});

		test('Hailuo-02 reads as before: 1080P at 6 s only, 512P needs a first frame', () => {
			expect(optionNames(shown(submit({ duration: 6 }), 'resolution'))).toEqual(['512P (Needs a First Frame Image)', '768P', '1080P (6 s Only)']);
			expect(optionValues(shown(submit({ duration: 10 }), 'resolution'))).toEqual(['512P', '768P']);
		});

		test('disputed values are labelled, not hidden: 512P for 2.3', () => {
			expect(optionNames(shown(submit({ model: model('Minimax-Hailuo-2.3') }), 'resolution'))).toContain('512P (Listed by GMI, Not by MiniMax)');
		});

		test('a resolution kept from before that the row lacks gets the node’s own notice, naming what to choose', () => {
			const notice = shown(submit({ model: model('Minimax-Hailuo-02'), duration: 10, resolution: '1080P' }), 'resolutionNotice');
			expect(notice.map((field) => field.displayName)).toEqual(['Minimax-Hailuo-02 renders 10 s videos only in 512P or 768P: choose one of those, or another Duration.']);
			expect(shown(submit({ model: model('Minimax-Hailuo-02'), duration: 6, resolution: '1080P' }), 'resolutionNotice')).toEqual([]);
			expect(shown(submit({ model: model('Minimax-Hailuo-2.3-Fast'), duration: 6, resolution: '512P' }), 'resolutionNotice').map((field) => field.displayName)).toEqual([
				'Minimax-Hailuo-2.3-Fast renders 6 s videos only in 768P or 1080P: choose one of those.',
			]);
		});

		test('2.3-Fast needs a first frame, and the editor says so: no "None", Image URL by default', () => {
			for (const resolution of ['768P', '1080P']) {
				const parameters = submit({ model: model('Minimax-Hailuo-2.3-Fast'), duration: 6, resolution });
				const fast = shown(parameters, 'firstFrame');
				expect(optionValues(fast)).toEqual(['url', 'binary']);
				expect(resolved(parameters).firstFrame).toBe('url');
			}
		});

		test('a model id spelled otherwise (a lower-case slug) is a model the table does not know', () => {
			expect(optionValues(shown(submit({ model: model('minimax-hailuo-2.3-fast'), duration: 6 }), 'resolution'))).toEqual(RESOLUTIONS);
		});

		test('no display condition uses a regular expression (n8n runs those in a VM with a time limit)', () => {
			expect(JSON.stringify(description.properties)).not.toContain('"regex"');
		});

		test('a model the table does not know gets the broadest fields, last frame included', () => {
			const parameters = submit({ model: model(UNKNOWN_MODEL), duration: 10 });
			expect(optionValues(shown(parameters, 'resolution'))).toEqual(RESOLUTIONS);
			expect(optionValues(shown({ ...parameters, resolution: '512P' }, 'firstFrame'))).toEqual(['none', 'url', 'binary']);
			expect(shown(parameters, 'lastFrame')).toHaveLength(1);
		});
	});

	describe('an expression never hides a field in the real editor (which resolves it first)', () => {
		const models = [...MODEL_RULES.map((rules) => rules.id), UNKNOWN_MODEL, '={{ $json.model }}'];
		/** What an expression resolves to: nothing yet, an empty cell, sheet text, a value the row lacks, the real thing. */
		const durationResults = [undefined, '', '10', 7, 6, 10];
		const resolutionResults = [undefined, '', '768p', '4K', ...RESOLUTIONS];

		test.each(models)('model %s: with Duration an expression, exactly one Resolution shows, whatever it resolves to', (id) => {
			for (const result of durationResults) {
				const fields = shownInEditor(submit({ model: model(id), duration: '={{ $json.duration }}' }), 'resolution', { duration: result });
				expect({ result, count: fields.length }).toEqual({ result, count: 1 });
			}
		});

		test.each(models)('model %s: with Resolution an expression, exactly one First Frame Image shows, whatever it resolves to', (id) => {
			for (const result of resolutionResults) {
				const fields = shownInEditor(submit({ model: model(id), resolution: '={{ $json.resolution }}' }), 'firstFrame', { resolution: result });
				expect({ result, count: fields.length }).toEqual({ result, count: 1 });
			}
		});

		test('with Duration and Resolution both expressions and no input data, Resolution and First Frame Image stay', () => {
			const parameters = submit({ duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' });
			expect(shownInEditor(parameters, 'resolution')).toHaveLength(1);
			expect(shownInEditor(parameters, 'firstFrame')).toHaveLength(1);
			// With no value yet the row's every resolution is offered, and "None" is too (the run time checks each item).
			expect(optionValues(shownInEditor(parameters, 'resolution'))).toEqual(['512P', '768P', '1080P']);
			expect(optionValues(shownInEditor(parameters, 'firstFrame'))).toEqual(['none', 'url', 'binary']);
		});

		test('the server’s view (expressions count as "show") keeps them too', () => {
			const parameters = submit({ duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' });
			expect(shown(parameters, 'resolution').length).toBeGreaterThan(0);
			expect(shown(parameters, 'firstFrame').length).toBeGreaterThan(0);
		});
	});

	test('the default Submit is text-to-video with Minimax-Hailuo-02 picked from the list, 6 s at 768P, waiting for the result', () => {
		expect(resolved(submit())).toMatchObject({
			model: { __rl: true, mode: 'list', value: 'Minimax-Hailuo-02' },
			duration: 6,
			resolution: '768P',
			firstFrame: 'none',
			lastFrame: 'none',
			waitUntilDone: true,
			pollInterval: 10,
			timeout: 900,
			downloadVideo: false,
		});
	});

	test('the URL field shows only for a URL frame, the binary field only for a binary one', () => {
		expect(resolved(submit({ firstFrame: 'url' }))).toHaveProperty('firstFrameUrl');
		expect(resolved(submit({ firstFrame: 'url' }))).not.toHaveProperty('firstFrameBinaryProperty');
		expect(resolved(submit({ firstFrame: 'binary' }))).toHaveProperty('firstFrameBinaryProperty', 'data');
		expect(resolved(submit())).not.toHaveProperty('firstFrameUrl');
		expect(resolved(submit({ lastFrame: 'url' }))).toHaveProperty('lastFrameUrl');
		expect(resolved(submit({ lastFrame: 'binary' }))).toHaveProperty('lastFrameBinaryProperty', 'data');
		expect(resolved(submit())).not.toHaveProperty('lastFrameUrl');
	});

	test('Get Status answers at once by default; waiting reveals interval, timeout and download', () => {
		const getStatus = { resource: 'video', operation: 'getStatus', requestId: 'r' };
		expect(resolved(getStatus)).toMatchObject({ waitUntilDone: false });
		expect(resolved(getStatus)).not.toHaveProperty('pollInterval');
		expect(resolved({ ...getStatus, waitUntilDone: true })).toMatchObject({ pollInterval: 10, timeout: 900, downloadVideo: false });
		expect(resolved({ ...getStatus, waitUntilDone: true, downloadVideo: true })).toHaveProperty('binaryPropertyName', 'data');
	});

	test('List shows Limit only without Return All', () => {
		expect(resolved({ resource: 'video', operation: 'list' })).toMatchObject({ returnAll: false, limit: 50 });
		expect(resolved({ resource: 'video', operation: 'list', returnAll: true })).not.toHaveProperty('limit');
	});

	test('a complete Submit has no parameter issues; an empty prompt has', () => {
		const issues = (parameters: INodeParameters) => NodeHelpers.getNodeParametersIssues(description.properties, node(resolved(parameters)), description);
		expect(issues(submit())).toBeNull();
		for (const { id } of MODEL_RULES) expect(issues(submit({ model: model(id) }))).toBeNull();
		expect(issues(submit({ prompt: '' }))?.parameters).toHaveProperty('prompt');
	});

	test('resource and operation cannot be expressions; the node is usable as an AI tool', () => {
		for (const name of ['resource', 'operation']) {
			for (const p of description.properties.filter((x) => x.name === name)) expect(p.noDataExpression).toBe(true);
		}
		expect(description.usableAsTool).toBe(true);
	});
});
