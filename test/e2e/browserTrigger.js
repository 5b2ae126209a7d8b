'use strict';
/**
 * The Hailuo Trigger in the real editor (Chromium + playwright-core against `n8n start`): found by
 * the nodes panel, its panel shows n8n's Poll Times and its own fields, and "Fetch Test Event"
 * returns a job. Saves docs/images/hailuo-trigger-panel.png.
 *
 * Called by test/e2e/run.js with the same helpers as browser.js.
 */
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

const TRIGGER_TYPE = 'n8n-nodes-hailuo.hailuoTrigger';
const NODE_NAME = 'When a Video Is Ready';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOCAL_URL = /^(https?:\/\/(127\.0\.0\.1|localhost)([:/]|$)|data:|blob:|about:)/;
const firstLine = (s) => String(s).split('\n')[0].trim();

function triggerWorkflow(lib, credential) {
	return {
		name: 'Hailuo: when a video is ready',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '7e1e0000-0000-4000-8000-0000000000a1',
				name: NODE_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
				credentials: { [lib.CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	};
}

/** A finished job for "Fetch Test Event" to find (submitted straight to the simulator). */
async function finishedJob(lib, sim) {
	const r = await lib.httpJson('POST', `${sim.url}/api/v1/ie/requestqueue/apikey/requests`, {
		headers: { authorization: `Bearer ${sim.apiKey}` },
		body: { model: 'Minimax-Hailuo-02', payload: { prompt: 'A lighthouse in a storm, waves crashing #ms=100' } },
	});
	assert.equal(r.status, 200, `submit: ${r.status} ${r.text.slice(0, 200)}`);
	for (let i = 0; i < 100; i++) {
		const s = await lib.httpJson('GET', `${sim.url}/api/v1/ie/requestqueue/apikey/requests/${r.json.request_id}`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
		if (s.json.status === 'success') return r.json.request_id;
		await lib.sleep(100);
	}
	throw new Error('the simulator job did not finish');
}

async function run({ check, step, chromium, n8nUrl, cookie, imagesDir, lib }) {
	const { chromium: pw } = require('playwright-core');
	fs.mkdirSync(imagesDir, { recursive: true });
	// Its own simulator: the headless track submits jobs meanwhile, and "the newest job" must be this one's.
	const sim = await step('a simulator of its own for the trigger checks', () => lib.startSimulator({}));
	const credential = await step('a credential for it (POST /rest/credentials)', async () => {
		const body = { name: 'GMI Cloud API (trigger checks)', type: lib.CREDENTIAL_TYPE, data: { apiKey: sim.apiKey, organizationId: '', baseUrl: sim.url } };
		const r = await lib.httpJson('POST', `${n8nUrl}/rest/credentials`, { cookie, body });
		assert.equal(r.status, 200, `POST /rest/credentials: ${r.status} ${r.text.slice(0, 300)}`);
		return { id: r.json.data.id, name: r.json.data.name };
	});
	const wf = await step('a workflow holding the Hailuo Trigger is created (POST /rest/workflows)', async () => {
		const r = await lib.httpJson('POST', `${n8nUrl}/rest/workflows`, { cookie, body: triggerWorkflow(lib, credential) });
		assert.equal(r.status, 200, `POST /rest/workflows: ${r.status} ${r.text.slice(0, 300)}`);
		return r.json.data;
	});
	const requestId = await step('a finished job waits at the simulator', () => finishedJob(lib, sim));
	const browser = await step('headless Chromium starts (trigger checks)', () => pw.launch({ executablePath: chromium, args: CHROMIUM_FLAGS, timeout: 60000 }));
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const [cookieName, cookieValue] = cookie.split(/=(.*)/s);
		await context.addCookies([{ name: cookieName, value: cookieValue, domain: '127.0.0.1', path: '/' }]);
		await context.route((url) => !LOCAL_URL.test(url.href), (route) => route.abort());
		const page = await context.newPage();
		page.setDefaultTimeout(45000);
		page.setDefaultNavigationTimeout(120000);

		await check('nodes panel of a new workflow: "Hailuo" offers the trigger as a first step (screenshot)', async () => {
			await page.goto(`${n8nUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-add-button"]').first().click({ timeout: 120000 });
			const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
			await search.fill('Hailuo');
			await page.waitForTimeout(1000);
			const items = page.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]');
			const found = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
			assert.ok(found.some((f) => /^Hailuo/.test(f)), `search results: ${JSON.stringify(found)}`);
			await page.mouse.move(5, 5);
			await page.waitForTimeout(300);
			await page.screenshot({ path: path.join(imagesDir, 'hailuo-trigger-node-creator.png') });
			await items.filter({ hasText: /^\s*Hailuo/ }).first().click();
			await page.waitForTimeout(1000);
			const offered = (await page.locator('[data-test-id="node-creator"]').innerText()).replace(/\s+/g, ' ');
			assert.match(offered, /Video Succeeded|Hailuo Trigger|When a Hailuo video/i, `after choosing Hailuo: ${offered.slice(0, 600)}`);
		});

		await step('the editor opens the trigger workflow', async () => {
			await page.goto(`${n8nUrl}/workflow/${wf.id}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME }).waitFor({ state: 'visible', timeout: 120000 });
		});

		await step('double-click opens the trigger panel', async () => {
			await page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME }).dblclick();
			await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible' });
			await page.locator('[data-test-id="parameter-input-event"]').waitFor({ state: 'visible' });
		});

		await check('trigger panel: the loop warning, Poll Times, Event (3 choices), Model "Every Hailuo Model", Filters, Download Video', async () => {
			const ndv = page.locator('[data-test-id="ndv"]');
			const text = await ndv.innerText();
			for (const label of ['endless loop of paid jobs', 'Poll Times', 'Event', 'Model', 'Filters', 'Download Video']) {
				assert.ok(text.includes(label), `"${label}" missing in the panel: ${text.slice(0, 600)}`);
			}
			await page.locator('[data-test-id="parameter-input-event"]').first().click();
			const options = page.locator('.el-select-dropdown__item:visible');
			await options.first().waitFor({ state: 'visible' });
			const events = (await options.allInnerTexts()).map(firstLine);
			assert.deepEqual(events, ['Video Succeeded', 'Video Failed or Cancelled', 'Any Final Status']);
			await page.keyboard.press('Escape');
			const values = await ndv.locator('input').evaluateAll((inputs) => inputs.map((i) => i.value));
			assert.ok(values.includes('Every Hailuo Model'), `model shown: ${JSON.stringify(values)}`);
		});

		await check('Fetch Test Event returns the newest finished job (screenshot)', async () => {
			const button = page.locator('[data-test-id="node-execute-button"]').first();
			await button.waitFor({ state: 'visible' });
			assert.match(await button.innerText(), /Fetch Test Event/i);
			await button.click();
			const output = page.locator('[data-test-id="output-panel"]');
			await output.getByText(requestId).first().waitFor({ state: 'visible', timeout: 60000 }).catch(async () => {
				// the table view may cut long ids: the JSON view shows them whole
				await output.locator('[data-test-id="ndv-run-data-display-mode"] >> text=JSON').first().click().catch(() => {});
				await output.getByText(requestId).first().waitFor({ state: 'visible', timeout: 15000 });
			});
			await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
			await page.mouse.move(5, 5);
			await page.waitForTimeout(500);
			await page.screenshot({ path: path.join(imagesDir, 'hailuo-trigger-panel.png') });
		});
	} finally {
		await browser.close().catch(() => {});
		await lib.stopProcess(sim.child);
	}
}

module.exports = { run };
