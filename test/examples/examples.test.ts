/**
 * The workflows in examples/ are what a newcomer imports first, so each one is held to two
 * promises: its Hailuo nodes are configured the way n8n's editor would accept them (known
 * parameters, allowed values, display rules), and it works: every Hailuo node runs through n8n's
 * engine against the GMI simulator, fed with what its upstream nodes would have produced.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';

import {
	type IBinaryData,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	NodeHelpers,
	safeParseWorkflowStructure,
} from 'n8n-workflow';

import { Hailuo } from '../../nodes/Hailuo/Hailuo.node';
import { HAILUO_TYPE, runHailuo, type RunResult } from '../helpers/engine';
import { ActiveTrigger, TRIGGER_TYPE } from '../helpers/poll';
import { type Simulator, startSimulator, videoContent } from '../simulator';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES_DIR = join(ROOT, 'examples');
const SIM_CREDENTIAL = { id: 'gmiSimCredential01', name: 'GMI Cloud API (simulator)' };
const API_KEY = 'test-key';
const VIDEO_BYTES = 4096;

/** Node types the examples may use: n8n 2.x core nodes at the versions n8n 2.x creates, and ours. */
const ALLOWED_NODES: Record<string, number[]> = {
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.httpRequest': [4.2],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.if': [2.2],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.scheduleTrigger': [1.2],
	[HAILUO_TYPE]: [1],
	[TRIGGER_TYPE]: [1],
};

interface WorkflowExport {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings: Record<string, unknown>;
	active?: boolean;
}

const exampleFiles = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort();
const load = (file: string): WorkflowExport => JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowExport;
const hailuoNodes = (workflow: WorkflowExport) => workflow.nodes.filter((node) => node.type === HAILUO_TYPE);

// --- parameters, checked the way the editor sees them ---------------------------------------------

const description = new Hailuo().description;
const typeVersion = { typeVersion: 1 };
const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');
const show = (value: unknown) => JSON.stringify(value);

function valueProblems(property: INodeProperties, value: unknown, path: string): string[] {
	if (isExpression(value)) return property.noDataExpression ? [`${path}: takes no expression`] : [];
	const { minValue, maxValue } = property.typeOptions ?? {};
	switch (property.type) {
		case 'options': {
			const allowed = (property.options as INodePropertyOptions[]).map((option) => option.value);
			return allowed.includes(value as string) ? [] : [`${path}: ${show(value)} is not one of ${show(allowed)}`];
		}
		case 'multiOptions': {
			const allowed = (property.options as INodePropertyOptions[]).map((option) => option.value);
			if (!Array.isArray(value)) return [`${path}: ${show(value)} is not a list`];
			return value.filter((v) => !allowed.includes(v)).map((v) => `${path}: ${show(v)} is not one of ${show(allowed)}`);
		}
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${path}: ${show(value)} is not true or false`];
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: ${show(value)} is not a number`];
			if (typeof minValue === 'number' && value < minValue) return [`${path}: ${value} is below the minimum ${minValue}`];
			if (typeof maxValue === 'number' && value > maxValue) return [`${path}: ${value} is above the maximum ${maxValue}`];
			return [];
		case 'string':
			return typeof value === 'string' ? [] : [`${path}: ${show(value)} is not text`];
		case 'resourceLocator': {
			const locator = value as { __rl?: boolean; mode?: string; value?: unknown };
			const modes = (property.modes ?? []).map((mode) => mode.name);
			if (typeof value !== 'object' || value === null || locator.__rl !== true) return [`${path}: ${show(value)} is not a resource locator`];
			if (!modes.includes(String(locator.mode))) return [`${path}: mode ${show(locator.mode)} is not one of ${show(modes)}`];
			return typeof locator.value === 'string' ? [] : [`${path}: ${show(locator.value)} is not an id`];
		}
		case 'collection': {
			if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: ${show(value)} is not a collection`];
			return Object.entries(value).flatMap(([key, inner]) => {
				const option = (property.options as INodeProperties[]).find((o) => o.name === key);
				return option ? valueProblems(option, inner, `${path}.${key}`) : [`${path}.${key}: not an option of "${property.displayName}"`];
			});
		}
		default:
			return [`${path}: this test has no check for ${property.type} parameters yet`];
	}
}

/** Everything n8n's editor would object to in these Hailuo parameters (empty when none). */
function parameterProblems(parameters: INodeParameters): string[] {
	const problems: string[] = [];
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, typeVersion, description) ?? {};
	for (const [name, value] of Object.entries(parameters)) {
		const candidates = description.properties.filter((property) => property.name === name);
		if (!candidates.length) {
			problems.push(`${name}: not a parameter of the Hailuo node`);
			continue;
		}
		// Several properties may share a name (one Resolution per duration): the displayed one rules.
		const shown = candidates.filter((property) => NodeHelpers.displayParameter(resolved, property, typeVersion, description));
		if (!shown.length) {
			problems.push(`${name}: hidden by the display rules, so n8n drops it`);
			continue;
		}
		if (!isDeepStrictEqual(resolved[name], value)) problems.push(`${name}: n8n keeps ${show(resolved[name])} instead of ${show(value)}`);
		for (const property of shown) problems.push(...valueProblems(property, value, name));
	}
	const node = { id: 'x', name: 'Hailuo', type: HAILUO_TYPE, typeVersion: 1, position: [0, 0], parameters: resolved } as INode;
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	for (const [name, messages] of Object.entries(issues?.parameters ?? {})) problems.push(`${name}: ${messages.join(' ')}`);
	return problems;
}

describe('the parameter check used on the examples', () => {
	const submit = { resource: 'video', operation: 'submit', prompt: 'Waves at dusk' };

	test.each([
		['a minimal Submit', submit],
		['Get Status with a request id by expression', { resource: 'video', operation: 'getStatus', requestId: '={{ $json.request_id }}' }],
		['Model → List', { resource: 'model', operation: 'list' }],
	])('accepts %s', (_name, parameters) => {
		expect(parameterProblems(parameters)).toEqual([]);
	});

	test.each([
		['1080P at 10 s', { ...submit, duration: 10, resolution: '1080P' }, /^resolution: "1080P" is not one of \["512P","768P"\]/],
		['no first frame at 512P', { ...submit, resolution: '512P', firstFrame: 'none' }, /^firstFrame: "none" is not one of \["url","binary"\]/],
		['an image URL without the URL source', { ...submit, firstFrameUrl: 'https://example.com/a.png' }, /^firstFrameUrl: hidden/],
		['a misspelt parameter', { ...submit, promt: 'x' }, /^promt: not a parameter/],
		['a misspelt option', { ...submit, options: { promptOptimiser: false } }, /^options\.promptOptimiser: not an option/],
		['polling settings without waiting', { ...submit, waitUntilDone: false, pollInterval: 5 }, /^pollInterval: hidden/],
		['a poll interval under 1 s', { ...submit, pollInterval: 0.5 }, /^pollInterval: 0.5 is below the minimum 1/],
		['Get Status without a request id', { resource: 'video', operation: 'getStatus' }, /^requestId: .*required/],
		['an unknown camera movement', { ...submit, cameraMovements: ['[Barrel roll]'] }, /^cameraMovements: "\[Barrel roll\]" is not one of/],
	])('rejects %s', (_name, parameters, expected) => {
		expect(parameterProblems(parameters as INodeParameters)).toContainEqual(expect.stringMatching(expected));
	});
});

// --- the files themselves ------------------------------------------------------------------------

test('there are examples for text to video, image to video, a batch and listing', () => {
	expect(exampleFiles).toEqual(
		expect.arrayContaining(['text-to-video.json', 'image-to-video.json', 'batch-submit-then-wait.json', 'list-recent-jobs.json']),
	);
});

describe.each(exampleFiles)('examples/%s', (file) => {
	const workflow = load(file);

	test('is an n8n workflow export n8n can import', () => {
		expect(typeof workflow.name).toBe('string');
		expect(Array.isArray(workflow.nodes)).toBe(true);
		expect(typeof workflow.connections).toBe('object');
		expect(typeof workflow.settings).toBe('object');
		const structure = safeParseWorkflowStructure(workflow);
		expect(structure.success ? [] : structure.issues).toEqual([]);
		for (const node of workflow.nodes) expect(node.id).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('uses only n8n core nodes and the Hailuo node, at versions n8n 2.x knows', () => {
		const unexpected = workflow.nodes
			.filter((node) => !(ALLOWED_NODES[node.type] ?? []).includes(node.typeVersion))
			.map((node) => `${node.name}: ${node.type} v${node.typeVersion}`);
		expect(unexpected).toEqual([]);
	});

	test('has Hailuo nodes that use the credential `npm start` imports', () => {
		expect(hailuoNodes(workflow).length).toBeGreaterThan(0);
		for (const node of hailuoNodes(workflow)) expect(node.credentials).toEqual({ gmiCloudApi: SIM_CREDENTIAL });
	});

	test('sets every Hailuo parameter to a value the node offers where it is shown', () => {
		for (const node of hailuoNodes(workflow)) {
			expect({ node: node.name, problems: parameterProblems(node.parameters) }).toEqual({ node: node.name, problems: [] });
		}
	});

	test('is mentioned in the README', () => {
		expect(existsSync(join(ROOT, 'README.md'))).toBe(true);
		expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`examples/${file}`);
	});
});

// --- running them ------------------------------------------------------------------------------

/** A valid 1×1 JPEG: the image the example's HTTP Request node would download. */
const JPEG = Buffer.from(
	'ffd8ffe000104a46494600010100000100010000ffdb004300' +
		'01'.repeat(64) +
		'ffc0000b080001000101011100ffc4001400010000000000000000000000000000000000ffc4001410010000000000000000000000000000000000ffda000801010000003f003fffd9',
	'hex',
);

type Substitute = (node: INode, input: INodeExecutionData[]) => INodeExecutionData[];

/** Stand-ins for the upstream nodes of a Hailuo node: the items they would have produced. */
const SUBSTITUTES: Record<string, Substitute> = {
	'n8n-nodes-base.manualTrigger': () => [{ json: {} }],
	'n8n-nodes-base.scheduleTrigger': () => [{ json: {} }],
	// HTTP Request with response format "File": the image as binary data in its output field.
	'n8n-nodes-base.httpRequest': (node) => {
		const options = node.parameters.options as { response?: { response?: { responseFormat?: string; outputPropertyName?: string } } };
		const response = options?.response?.response ?? {};
		expect(response.responseFormat).toBe('file');
		const image: IBinaryData = { data: JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: '720.jpg', fileExtension: 'jpg' };
		return [{ json: {}, binary: { [response.outputPropertyName ?? 'data']: image } }];
	},
	// The Code node's own JavaScript, so the test submits exactly the prompts the example lists.
	'n8n-nodes-base.code': (node, input) => {
		const run = new Function('$input', 'items', String(node.parameters.jsCode)) as (...args: unknown[]) => INodeExecutionData[];
		return run({ all: () => input, first: () => input[0] }, input);
	},
};

interface NodeRun {
	node: INode;
	input: INodeExecutionData[];
	result: RunResult;
}

/** The nodes feeding `name` (main connections only). */
function parentsOf(workflow: WorkflowExport, name: string): Array<{ node: string; output: number }> {
	return Object.entries(workflow.connections).flatMap(([source, byType]) =>
		(byType.main ?? []).flatMap((targets, output) => ((targets ?? []).some((t) => t.node === name) ? [{ node: source, output }] : [])),
	);
}

/** Speeds up only the waiting: a 1 s poll interval against a simulator whose jobs take ~100 ms. */
const quick = (parameters: INodeParameters): INodeParameters => (parameters.waitUntilDone === true ? { ...parameters, pollInterval: 1 } : parameters);

/**
 * Runs every Hailuo node of the example in workflow order through n8n's engine; upstream core
 * nodes are replaced by their substitutes, and a Hailuo node downstream of another gets its output.
 */
async function runExample(sim: Simulator, workflow: WorkflowExport, override: (node: INode) => INodeParameters = (node) => node.parameters) {
	const outputs = new Map<string, INodeExecutionData[]>();
	const runs: NodeRun[] = [];
	const outputOf = async (name: string): Promise<INodeExecutionData[]> => {
		const known = outputs.get(name);
		if (known) return known;
		const node = workflow.nodes.find((n) => n.name === name);
		if (!node) throw new Error(`no node "${name}"`);
		const parents = parentsOf(workflow, name);
		for (const parent of parents) expect({ parent: parent.node, output: parent.output }).toEqual({ parent: parent.node, output: 0 });
		const input: INodeExecutionData[] = [];
		for (const parent of parents) input.push(...(await outputOf(parent.node)));
		let output: INodeExecutionData[];
		if (node.type === HAILUO_TYPE) {
			const result = await runHailuo({
				parameters: quick(override(node)),
				credentials: { apiKey: API_KEY, baseUrl: sim.url, organizationId: '' },
				items: input,
			});
			runs.push({ node, input, result });
			output = result.items;
		} else {
			const substitute = SUBSTITUTES[node.type];
			if (!substitute) throw new Error(`node "${name}" (${node.type}) feeds a Hailuo node: add a substitute for it`);
			output = substitute(node, input);
		}
		outputs.set(name, output);
		return output;
	};
	for (const node of hailuoNodes(workflow)) await outputOf(node.name);
	return runs;
}

const isInFlight = (status: unknown) => ['created', 'queued', 'dispatched', 'processing'].includes(String(status));

/** What each operation promises, whatever the example. */
function expectOperationOutcome(sim: Simulator, { node, input, result }: NodeRun) {
	const p = node.parameters;
	const label = `${node.name}: ${result.error?.message ?? 'no error'}`;
	expect(label).toBe(`${node.name}: no error`);
	const { items } = result;
	const operation = `${p.resource ?? 'video'}/${p.operation ?? 'submit'}`;
	if (operation === 'video/submit' || operation === 'video/getStatus') {
		expect(items).toHaveLength(input.length);
		const waits = p.waitUntilDone ?? operation === 'video/submit';
		for (const [index, item] of items.entries()) {
			expect(item.json.request_id).toEqual(expect.any(String));
			if (operation === 'video/getStatus') expect(item.json.request_id).toBe(input[index].json.request_id);
			if (!waits) {
				expect(isInFlight(item.json.status) || item.json.status === 'success').toBe(true);
				continue;
			}
			expect(item.json).toMatchObject({ status: 'success', videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) });
			expect(item.json.timedOut).toBeUndefined();
			if (p.downloadVideo === true) {
				const binary = item.binary?.[String(p.binaryPropertyName ?? 'data')];
				expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: `${String(item.json.request_id)}.mp4` });
				expect(Buffer.from(String(binary?.data), 'base64')).toEqual(videoContent(VIDEO_BYTES));
			}
		}
		expect(sim.stats().filesRequestsWithAuth).toBe(0);
	} else if (operation === 'video/list') {
		const limit = p.returnAll === true ? Infinity : Number(p.limit ?? 50);
		expect(items).toHaveLength(Math.min(limit, sim.requestIds.length));
		for (const item of items) expect(sim.requestIds).toContain(item.json.request_id);
	} else if (operation === 'model/list') {
		expect(items.map((item) => item.json.id)).toEqual(sim.models);
		for (const item of items) expect(typeof item.json.isHailuoVideoModel).toBe('boolean');
	} else {
		throw new Error(`no expectations for ${operation} yet: add them`);
	}
}

/** Jobs already on the account, for the examples that read them. */
async function submitDirectly(sim: Simulator, prompts: string[]) {
	for (const prompt of prompts) {
		const response = await fetch(`${sim.baseUrl}/requests`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ model: 'Minimax-Hailuo-02', payload: { prompt, duration: 6, resolution: '768P' } }),
		});
		expect(response.status).toBeLessThan(300);
	}
}

const apiCalls = (sim: Simulator, method: string, suffix: string) =>
	sim.requests.filter((r) => r.server === 'api' && r.method === method && r.path.endsWith(suffix));

/** What each example is for, beyond what its operations promise. */
const EXAMPLE_CHECKS: Record<string, (sim: Simulator, runs: NodeRun[]) => void> = {
	'text-to-video.json': (sim, [run]) => {
		const p = run.node.parameters;
		expect(apiCalls(sim, 'POST', '/requests').map((r) => r.body)).toEqual([
			{
				model: 'Minimax-Hailuo-02',
				payload: {
					prompt: `${String(p.prompt)} ${(p.cameraMovements as string[]).join(' ')}`,
					duration: 6,
					resolution: '768P',
					prompt_optimizer: true,
				},
			},
		]);
		expect(run.result.items[0].binary?.data?.mimeType).toBe('video/mp4');
	},
	'image-to-video.json': (sim, [run]) => {
		expect(apiCalls(sim, 'POST', '/upload-url').map((r) => r.body)).toEqual([{ file_type: 'jpg' }]);
		const put = sim.requests.find((r) => r.server === 'files' && r.method === 'PUT');
		expect(put?.body).toEqual({ bytes: JPEG.length, contentType: 'image/jpg' });
		expect(put?.headers.authorization).toBeUndefined();
		expect([...sim.uploads.values()].map((upload) => upload.data)).toEqual([JPEG]);
		const [submit] = apiCalls(sim, 'POST', '/requests');
		expect(submit.body.payload).toMatchObject({ resolution: '512P', duration: 6, first_frame_image: expect.stringContaining('/public/') });
		expect(Object.keys(run.result.items[0].binary ?? {})).toEqual(['video']);
	},
	'batch-submit-then-wait.json': (sim, [submitRun, statusRun]) => {
		const prompts = submitRun.input.map((item) => item.json.prompt);
		expect(prompts.length).toBeGreaterThan(1);
		expect(apiCalls(sim, 'POST', '/requests').map((r) => r.body.payload.prompt)).toEqual(prompts);
		expect(submitRun.result.items.every((item) => isInFlight(item.json.status))).toBe(true);
		expect(statusRun.result.items.map((item) => item.json.request_id)).toEqual(sim.requestIds);
	},
	'list-recent-jobs.json': (_sim, runs) => {
		const models = runs.find((run) => run.node.parameters.resource === 'model');
		expect(models?.result.items.filter((item) => item.json.isHailuoVideoModel).map((item) => item.json.id)).toContain('Minimax-Hailuo-02');
	},
};

describe('every example runs against the GMI simulator', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY, queuedMs: 20, processingMs: 80, videoBytes: VIDEO_BYTES });
	});
	afterEach(() => sim.reset());
	afterAll(async () => await sim.close());

	test.each(exampleFiles)('examples/%s', async (file) => {
		const workflow = load(file);
		if (hailuoNodes(workflow).some((node) => node.parameters.resource === 'video' && node.parameters.operation === 'list')) {
			await submitDirectly(sim, ['A lighthouse in a storm', 'A cat naps in the sun', 'Rain on a window']);
		}
		const runs = await runExample(sim, workflow);
		expect(runs.map((run) => run.node.name)).toEqual(hailuoNodes(workflow).map((node) => node.name));
		for (const run of runs) expectOperationOutcome(sim, run);
		EXAMPLE_CHECKS[file]?.(sim, runs);
	});

	test('submit-then-trigger: the trigger hands on each submitted video once, as binary, and no other job', async () => {
		const workflow = load('submit-then-trigger.json');
		const triggerNode = workflow.nodes.find((node) => node.type === TRIGGER_TYPE) as INode;
		const trigger = new ActiveTrigger(triggerNode.parameters, { apiKey: API_KEY, baseUrl: sim.url, organizationId: '' });
		expect((await trigger.activate()).error).toBeUndefined();
		const [submitRun] = await runExample(sim, workflow);
		const submitted = submitRun.result.items.map((item) => item.json.request_id);
		expect(submitted).toHaveLength(3);
		await submitDirectly(sim, ["Another workflow's video"]);
		const foreign = sim.requestIds[sim.requestIds.length - 1];
		while ([...submitted, foreign].some((id) => sim.statusOf(String(id)) !== 'success')) await new Promise((resolve) => setTimeout(resolve, 50));
		const { items, error } = await trigger.tick();
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.request_id)).toEqual(submitted);
		for (const item of items) expect(Buffer.from(String(item.binary?.data?.data), 'base64')).toEqual(videoContent(VIDEO_BYTES));
		expect((await trigger.tick()).items).toEqual([]);
	});

	test('batch: a wait that times out returns timedOut items that a second Get Status resumes', async () => {
		sim.configure({ processingMs: 2500 });
		const workflow = load('batch-submit-then-wait.json');
		const statusNode = hailuoNodes(workflow).find((node) => node.parameters.operation === 'getStatus') as INode;
		const [, firstWait] = await runExample(sim, workflow, (node) => (node === statusNode ? { ...node.parameters, timeout: 1 } : node.parameters));
		expect(firstWait.result.error).toBeUndefined();
		// What the example's "Timed Out?" IF node sends to its "still running" branch.
		const stillRunning = firstWait.result.items.filter((item) => item.json.timedOut === true);
		expect(stillRunning.map((item) => item.json.request_id)).toEqual(sim.requestIds);
		expect(sim.requestIds.every((id) => sim.statusOf(id) !== 'success')).toBe(true);

		const resumed = await runHailuo({
			parameters: quick(statusNode.parameters),
			credentials: { apiKey: API_KEY, baseUrl: sim.url, organizationId: '' },
			items: stillRunning,
		});
		expect(resumed.error).toBeUndefined();
		expect(resumed.items.map((item) => [item.json.request_id, item.json.status, item.json.timedOut])).toEqual(
			sim.requestIds.map((id) => [id, 'success', undefined]),
		);
		expect(apiCalls(sim, 'POST', '/requests')).toHaveLength(sim.requestIds.length);
	});
});
