'use strict';
/**
 * The editor in a real browser: Debian's Chromium driven by playwright-core against `n8n start`.
 * Checks what a user sees of the Hailuo node and saves screenshots into docs/images/.
 *
 * Called by test/e2e/run.js with its `check`/`step` helpers, so each check is one printed case.
 */

const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const TRIGGER = 'When clicking ‘Execute workflow’';
const NODE_NAME = 'Generate Video';

const sel = {
	canvasNode: '[data-test-id="canvas-node"]',
	ndv: '[data-test-id="ndv"]',
	input: (name) => `[data-test-id="parameter-input-${name}"]`,
	openItems: '.el-select-dropdown__item:visible',
};

/** The rules table as the package under test was built (dist/), so the expected lists come from it. */
const rulesTable = () => require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Hailuo', 'hailuo.js'));

function demoWorkflow(lib, credential, { name = 'Hailuo: generate a video', parameters = {}, pinData } = {}) {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '5b0d7f0e-2a44-4c6e-9a53-0f5d3b3c9a01',
				name: TRIGGER,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '5b0d7f0e-2a44-4c6e-9a53-0f5d3b3c9a02',
				name: NODE_NAME,
				type: lib.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'video',
					operation: 'submit',
					prompt: 'A red fox runs through fresh snow at dawn, cinematic',
					cameraMovements: ['[Push in]'],
					...parameters,
				},
				credentials: { [lib.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		...(pinData ? { pinData: { [TRIGGER]: pinData.map((json) => ({ json })) } } : {}),
	};
}

/** Duration and Resolution as expressions, as a workflow fed by a sheet has them. */
const FROM_DATA = { duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' };

const LOCAL_URL = /^(https?:\/\/(127\.0\.0\.1|localhost)([:/]|$)|data:|blob:|about:)/;
/** n8n's node creator fetches the npm registry entry of an installed community package (its "Via npm" details). */
const EXPECTED_OUTSIDE = [/^https:\/\/registry\.npmjs\.org\/n8n-nodes-hailuo\/?$/];

const firstLine = (s) => String(s).split('\n')[0].trim();
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function run({ check, step, chromium, n8nUrl, cookie, credential, imagesDir, workDir, lib, out }) {
	const { chromium: pw } = require('playwright-core');
	fs.mkdirSync(imagesDir, { recursive: true });
	const shot = (name) => path.join(imagesDir, name);

	const wf = await step('a workflow holding the Hailuo node is created (POST /rest/workflows)', async () => {
		const r = await lib.httpJson('POST', `${n8nUrl}/rest/workflows`, { cookie, body: demoWorkflow(lib, credential) });
		assert.equal(r.status, 200, `POST /rest/workflows: ${r.status} ${r.text.slice(0, 300)}`);
		return r.json.data;
	});

	const browser = await step('headless Chromium starts', () =>
		pw.launch({ executablePath: chromium, args: CHROMIUM_FLAGS, timeout: 60000 }),
	);
	const outside = [];
	const consoleErrors = [];
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const [cookieName, cookieValue] = cookie.split(/=(.*)/s);
		await context.addCookies([{ name: cookieName, value: cookieValue, domain: '127.0.0.1', path: '/' }]);
		const page = await context.newPage();
		// generous: the first load parses n8n's large bundles, slow on a busy 2-core machine
		page.setDefaultTimeout(45000);
		page.setDefaultNavigationTimeout(120000);
		// nothing leaves the machine: requests to other hosts are recorded and aborted
		await context.route(
			(url) => !LOCAL_URL.test(url.href),
			(route) => {
				outside.push(route.request().url());
				return route.abort();
			},
		);
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});

		const openDropdown = async (name) => {
			await page.locator(sel.input(name)).first().click();
			await page.locator(sel.openItems).first().waitFor({ state: 'visible' });
		};
		const closeDropdown = async () => {
			if (await page.locator(sel.openItems).count()) {
				await page.keyboard.press('Escape');
				await page.locator(sel.openItems).first().waitFor({ state: 'hidden' }).catch(() => {});
			}
		};
		const optionsOf = async (name, screenshotFile) => {
			await openDropdown(name);
			const texts = (await page.locator(sel.openItems).allInnerTexts()).map(firstLine);
			if (screenshotFile) {
				await page.mouse.move(5, 5);
				await page.waitForTimeout(300);
				await page.screenshot({ path: shot(screenshotFile) });
			}
			await closeDropdown();
			return texts;
		};
		const choose = async (name, label) => {
			await openDropdown(name);
			await page
				.locator(sel.openItems)
				.filter({ hasText: new RegExp(`^\\s*${escapeRe(label)}`) })
				.first()
				.click();
			await page.locator(sel.openItems).first().waitFor({ state: 'hidden' }).catch(() => {});
			await page.waitForTimeout(250);
		};
		/** The Model field's list (From List mode): opens it, returns its entries, leaves it open. */
		const modelList = async () => {
			const input = page.locator(`${sel.input('model')} [data-test-id="rlc-input"] input, ${sel.input('model')} input[data-test-id="rlc-input"]`).first();
			await input.click();
			const items = page.locator('[data-test-id="rlc-item"]:visible');
			await items.first().waitFor({ state: 'visible', timeout: 15000 });
			// the list fills in when GET /models answers: read it once it has stopped changing
			let names = [];
			for (let stable = 0, i = 0; stable < 3 && i < 50; i++) {
				await page.waitForTimeout(200);
				const now = (await items.allInnerTexts()).map(firstLine);
				stable = JSON.stringify(now) === JSON.stringify(names) ? stable + 1 : 0;
				names = now;
			}
			return { items, names };
		};
		/** Picks a model from the list, as a user does. */
		const chooseModel = async (id) => {
			const { items } = await modelList();
			await items.filter({ hasText: new RegExp(`^\\s*${escapeRe(id)}\\s*$`) }).first().click();
			await page.waitForTimeout(400);
		};
		const valueOf = async (name) => page.locator(`${sel.input(name)} input`).first().inputValue();
		const issuesOf = (name) =>
			page
				.locator('[data-test-id="parameter-item"]')
				.filter({ has: page.locator(sel.input(name)) })
				.locator('[data-test-id="parameter-issues"]');
		const ndvShot = async (file) => {
			await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
			await page.mouse.move(5, 5);
			await page.waitForTimeout(300);
			await page.screenshot({ path: shot(file) });
		};

		await step('the editor opens the workflow', async () => {
			await page.goto(`${n8nUrl}/workflow/${wf.id}`, { waitUntil: 'domcontentloaded' });
			await page.locator(sel.canvasNode).filter({ hasText: NODE_NAME }).waitFor({ state: 'visible', timeout: 120000 });
		});

		await check('node creator: searching "Hailuo" finds the node and its 5 actions', async () => {
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
			await search.fill('Hailuo');
			const items = page.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]');
			await page.waitForTimeout(800);
			const found = (await items.allInnerTexts()).map(firstLine);
			try {
				assert.ok(found.includes('Hailuo'), `search results: ${JSON.stringify(found)}`);
				await items.filter({ hasText: /^\s*Hailuo/ }).first().click();
				await page.waitForTimeout(800);
				const actions = (await items.allInnerTexts()).map(firstLine);
				for (const a of ['Generate a video', 'Get the status of a video job', 'List video jobs', 'Get a model', 'List models']) {
					assert.ok(actions.includes(a), `action "${a}" missing: ${JSON.stringify(actions)}`);
				}
				await page.screenshot({ path: shot('hailuo-node-creator.png') });
			} finally {
				for (let i = 0; i < 3 && (await page.locator('[data-test-id="node-creator"]').isVisible()); i++) {
					await page.keyboard.press('Escape');
					await page.waitForTimeout(300);
				}
			}
		});

		await check('canvas: the Hailuo node shows with its icon and subtitle', async () => {
			const node = page.locator(sel.canvasNode).filter({ hasText: NODE_NAME });
			await node.waitFor({ state: 'visible' });
			const icon = node.locator('img[src*="n8n-nodes-hailuo"]').first();
			await icon.waitFor({ state: 'visible' });
			const width = await icon.evaluate((img) => img.naturalWidth);
			assert.ok(width > 0, 'the node icon did not load');
			const text = await node.innerText();
			assert.match(text, /Generate a video/, `no "Generate a video" subtitle on the node: ${JSON.stringify(text)}`);
			await page.mouse.move(5, 5);
			await page.waitForTimeout(300);
			// crop to the nodes, with some canvas around them
			const boxes = (await page.locator(sel.canvasNode).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON())));
			const x0 = Math.max(0, Math.min(...boxes.map((b) => b.left)) - 220);
			const y0 = Math.max(0, Math.min(...boxes.map((b) => b.top)) - 140);
			const x1 = Math.min(1440, Math.max(...boxes.map((b) => b.right)) + 220);
			const y1 = Math.min(900, Math.max(...boxes.map((b) => b.bottom)) + 160);
			await page.screenshot({ path: shot('hailuo-canvas.png'), clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
		});

		await step('double-click opens the node panel', async () => {
			await page.locator(sel.canvasNode).filter({ hasText: NODE_NAME }).dblclick();
			await page.locator(sel.ndv).waitFor({ state: 'visible' });
			await page.locator(sel.input('duration')).waitFor({ state: 'visible' });
		});

		await check('node panel: the simulator credential is selected', async () => {
			const text = await page.locator('[data-test-id="node-credentials-select"]').first().innerText().catch(() => '');
			const value = await page
				.locator('[data-test-id="node-credentials-select"] input')
				.first()
				.inputValue()
				.catch(() => '');
			assert.ok(`${text} ${value}`.includes(credential.name), `credential shown: ${JSON.stringify(`${text} ${value}`)}`);
		});

		await check('Resource offers Video and Model; Video offers Submit, Get Status, List', async () => {
			const resources = await optionsOf('resource');
			for (const r of ['Video', 'Model']) assert.ok(resources.includes(r), `resources: ${JSON.stringify(resources)}`);
			const ops = await optionsOf('operation');
			for (const o of ['Submit', 'Get Status', 'List']) assert.ok(ops.includes(o), `video operations: ${JSON.stringify(ops)}`);
		});

		await check('Model starts on "From List" with Minimax-Hailuo-02; the list shows each model once (screenshot)', async () => {
			const mode = await page.locator(`${sel.input('model')} [data-test-id="rlc-mode-selector"] input`).first().inputValue();
			// n8n labels the mode with its own words ("From list")
			assert.match(mode, /^From list$/i);
			const shown = await page.locator(`${sel.input('model')} [data-test-id="rlc-input"] input, ${sel.input('model')} input[data-test-id="rlc-input"]`).first().inputValue();
			assert.equal(shown, 'Minimax-Hailuo-02');
			const { names } = await modelList();
			// the simulator lists Minimax-Hailuo-02 also as minimax-hailuo-02
			assert.deepEqual(names, ['Minimax-Hailuo-02', 'Minimax-Hailuo-2.3', 'Minimax-Hailuo-2.3-Fast']);
			await page.mouse.move(5, 5);
			await page.waitForTimeout(300);
			await page.screenshot({ path: shot('hailuo-submit-model-list.png') });
			await page.keyboard.press('Escape');
			await page.waitForTimeout(300);
		});

		await check('Submit at 6 s: Resolution offers 512P, 768P and 1080P (screenshot)', async () => {
			assert.equal(await valueOf('duration'), '6 Seconds');
			const res = await optionsOf('resolution', 'hailuo-submit-6s.png');
			assert.deepEqual(
				res.map((r) => r.slice(0, r.indexOf('P') + 1)),
				['512P', '768P', '1080P'],
				`resolutions at 6 s: ${JSON.stringify(res)}`,
			);
			assert.match(await valueOf('resolution'), /^768P/);
			const ff = await optionsOf('firstFrame');
			assert.ok(ff.some((o) => /^None/.test(o)), `at 768P "None" is offered: ${JSON.stringify(ff)}`);
		});

		await check('switching 6 s 1080P to 10 s flags the stale 1080P', async () => {
			await choose('resolution', '1080P');
			await choose('duration', '10 Seconds');
			assert.match(await valueOf('resolution'), /^1080P/);
			await issuesOf('resolution').first().waitFor({ state: 'visible', timeout: 5000 });
		});

		await check('the stale 1080P at 10 s gets the node\'s notice saying what to choose (screenshot)', async () => {
			const notice = page.locator(sel.ndv).getByText('Minimax-Hailuo-02 renders 10 s videos only in 512P or 768P: choose one of those, or another Duration.');
			await notice.first().waitFor({ state: 'visible', timeout: 5000 });
			// Duration at the top of the panel: the notice, the fields below it, Options and Simplify in view
			const duration = page.locator('[data-test-id="parameter-item"]').filter({ has: page.locator(sel.input('duration')) }).first();
			await duration.evaluate((el) => el.scrollIntoView({ block: 'start' }));
			await ndvShot('hailuo-submit-resolution-notice.png');
			// back to the top, so the next screenshots show the panel from its Credential on
			await duration.evaluate((el) => {
				for (let node = el.parentElement; node; node = node.parentElement) if (node.scrollHeight > node.clientHeight) node.scrollTop = 0;
			});
		});

		await check('Submit at 10 s: Resolution has no 1080P (screenshot)', async () => {
			await choose('resolution', '768P');
			const res = await optionsOf('resolution', 'hailuo-submit-10s.png');
			assert.ok(!res.some((r) => r.startsWith('1080P')), `1080P offered at 10 s: ${JSON.stringify(res)}`);
			assert.deepEqual(
				res.map((r) => r.slice(0, r.indexOf('P') + 1)),
				['512P', '768P'],
			);
			assert.equal(await issuesOf('resolution').count(), 0, 'an issue is still shown at 10 s / 768P');
		});

		await check('at 512P a first frame is demanded ("None" not offered)', async () => {
			await choose('resolution', '512P');
			const ff = await optionsOf('firstFrame');
			assert.ok(!ff.some((o) => /^None/i.test(o)), `"None" offered at 512P: ${JSON.stringify(ff)}`);
			assert.ok(ff.includes('Image URL') && ff.some((o) => /^Binary/.test(o)), `first frame options: ${JSON.stringify(ff)}`);
			assert.ok(!/^None/i.test(await valueOf('firstFrame')), 'first frame still "None" at 512P');
			await page.locator(sel.input('firstFrameUrl')).first().waitFor({ state: 'visible', timeout: 5000 });
			await ndvShot('hailuo-submit-512p.png');
		});

		const labelsOf = (id, duration) => {
			const { MODEL_RULES, resolutionLabel } = rulesTable();
			const rules = MODEL_RULES.find((r) => r.id === id);
			return rules.resolutions[duration].map((r) => resolutionLabel(rules, r));
		};

		await check('Hailuo-2.3 selected: Resolution and First Frame follow its row (screenshot)', async () => {
			await chooseModel('Minimax-Hailuo-2.3');
			await choose('duration', '6 Seconds');
			assert.equal(await page.locator(sel.input('resolution')).count(), 1, 'not exactly one Resolution field');
			const res = await optionsOf('resolution', 'hailuo-submit-2-3.png');
			assert.deepEqual(res, labelsOf('Minimax-Hailuo-2.3', 6), `2.3 at 6 s: ${JSON.stringify(res)}`);
			await choose('resolution', '512P');
			const ff = await optionsOf('firstFrame');
			assert.ok(ff.some((o) => /^None/.test(o)), `2.3 takes text-only jobs at 512P: ${JSON.stringify(ff)}`);
			assert.equal(await page.locator(sel.input('lastFrame')).count(), 0, 'Last Frame Image shown for 2.3');
			await choose('duration', '10 Seconds');
			assert.deepEqual(await optionsOf('resolution'), labelsOf('Minimax-Hailuo-2.3', 10));
		});

		await check('Hailuo-2.3-Fast selected: no 512P; back on Hailuo-02 at 768P: Last Frame Image offered', async () => {
			await chooseModel('Minimax-Hailuo-2.3-Fast');
			await choose('duration', '6 Seconds');
			assert.deepEqual(await optionsOf('resolution'), labelsOf('Minimax-Hailuo-2.3-Fast', 6));
			await chooseModel('Minimax-Hailuo-02');
			await choose('resolution', '768P');
			await page.locator(sel.input('lastFrame')).first().waitFor({ state: 'visible', timeout: 5000 });
			await choose('resolution', '512P');
			assert.equal(await page.locator(sel.input('lastFrame')).count(), 0, 'Last Frame Image shown at 512P');
		});

		await check('the GMI Cloud API credential type is offered (create-new dialog)', async () => {
			await page.locator('[data-test-id="node-credentials-select"]').first().click();
			const existing = page.locator(`[data-test-id="node-credentials-select-item-${credential.id}"]`);
			await existing.waitFor({ state: 'visible' });
			await page.locator('[data-test-id="node-credentials-select-item-new"]').click();
			const modal = page.locator('[data-test-id="editCredential-modal"]');
			await modal.waitFor({ state: 'visible' });
			const text = await modal.innerText();
			assert.match(text, /GMI Cloud API/, `dialog text: ${text.slice(0, 300)}`);
			for (const f of ['apiKey', 'organizationId', 'baseUrl']) {
				await modal.locator(sel.input(f)).first().waitFor({ state: 'visible' });
			}
			for (const label of ['API Key', 'Organization ID', 'Base URL']) assert.ok(text.includes(label), `label "${label}" missing`);
			await page.mouse.move(5, 5);
			await page.screenshot({ path: shot('hailuo-credential.png') });
			// close without saving
			const close = modal.locator('.el-dialog__headerbtn, [aria-label="Close"], button.el-dialog__close').first();
			if (await close.count()) await close.click();
			else await page.keyboard.press('Escape');
			await modal.waitFor({ state: 'hidden' }).catch(() => {});
		});

		await check('Model resource offers Get and List', async () => {
			await choose('resource', 'Model');
			const ops = await optionsOf('operation');
			for (const o of ['Get', 'List']) assert.ok(ops.includes(o), `model operations: ${JSON.stringify(ops)}`);
			assert.ok(!ops.includes('Submit'), 'Submit offered for Model');
		});

		const openWorkflow = async (options) => {
			const r = await lib.httpJson('POST', `${n8nUrl}/rest/workflows`, { cookie, body: demoWorkflow(lib, credential, options) });
			assert.equal(r.status, 200, `POST /rest/workflows: ${r.status} ${r.text.slice(0, 300)}`);
			await page.goto(`${n8nUrl}/workflow/${r.json.data.id}`, { waitUntil: 'domcontentloaded' });
			const node = page.locator(sel.canvasNode).filter({ hasText: NODE_NAME });
			await node.waitFor({ state: 'visible', timeout: 120000 });
			await node.dblclick();
			await page.locator(sel.ndv).waitFor({ state: 'visible' });
			await page.locator(sel.input('duration')).waitFor({ state: 'visible' });
		};
		const expectVisibleOnce = async (name) => {
			await page.locator(sel.input(name)).first().waitFor({ state: 'visible', timeout: 5000 });
			assert.equal(await page.locator(sel.input(name)).count(), 1, `${name} is not shown exactly once`);
		};

		await check('Duration and Resolution as expressions, no input data: Resolution and First Frame stay (screenshot)', async () => {
			await openWorkflow({ name: 'Hailuo: expressions without input data', parameters: FROM_DATA });
			await expectVisibleOnce('resolution');
			await expectVisibleOnce('firstFrame');
			await ndvShot('hailuo-submit-expressions.png');
		});

		for (const [label, row] of [
			['a 10 s row', { duration: 10, resolution: '512P' }],
			['a sheet row with text "10" and "1080p"', { duration: '10', resolution: '1080p' }],
			['a row with the columns missing', { other: 'x' }],
		]) {
			await check(`Duration and Resolution as expressions, input data from ${label}: Resolution and First Frame stay`, async () => {
				await openWorkflow({ name: `Hailuo: expressions with ${label}`, parameters: FROM_DATA, pinData: [row] });
				await expectVisibleOnce('resolution');
				await expectVisibleOnce('firstFrame');
				if (label.startsWith('a 10 s')) await ndvShot('hailuo-submit-expressions-data.png');
			});
		}

		await check('the model as an expression: the broadest fields, each shown once', async () => {
			await openWorkflow({ name: 'Hailuo: model from data', parameters: { ...FROM_DATA, model: { __rl: true, mode: 'id', value: '={{ $json.model }}' } }, pinData: [{ model: 'Minimax-Hailuo-2.3' }] });
			for (const name of ['resolution', 'firstFrame', 'lastFrame']) await expectVisibleOnce(name);
		});

		await check('the browser made no requests outside 127.0.0.1 (but n8n\'s own npm lookup)', async () => {
			const unexpected = [...new Set(outside)].filter((u) => !EXPECTED_OUTSIDE.some((re) => re.test(u)));
			assert.deepEqual(unexpected, []);
			const known = [...new Set(outside)].filter((u) => EXPECTED_OUTSIDE.some((re) => re.test(u)));
			if (known.length) out(`    (n8n's editor looked up ${known.join(', ')} for the community package details; blocked)`);
		});
		if (consoleErrors.length) {
			fs.writeFileSync(path.join(workDir, 'browser-console-errors.txt'), consoleErrors.join('\n'));
			out(`    (browser console: ${consoleErrors.length} error message(s), saved to browser-console-errors.txt)`);
		}
	} finally {
		await browser.close().catch(() => {});
	}
}

module.exports = { run };
