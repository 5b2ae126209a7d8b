#!/usr/bin/env node
'use strict';
/**
 * `npm start`: try the Hailuo node in a real n8n editor, with no key and no account.
 *
 *  - builds and packs this package, installs the tarball into .n8n-local/.n8n/nodes
 *    (the way users install community packages),
 *  - uses the pinned n8n + Node 24 from the runtime cache (installed on the first run),
 *  - starts the GMI simulator and imports a ready "GMI Cloud API (simulator)" credential
 *    pointing at it (with GMI_API_KEY set: a "GMI Cloud API" credential for the real GMI),
 *  - imports the example workflows from examples/*.json (against the simulator, their internet
 *    images replaced by the simulator's sample image, so they run offline),
 *  - starts n8n on http://127.0.0.1:5678 with a local owner and prints how to sign in.
 *
 * Ctrl-C stops n8n and the simulator.
 *
 * Environment: GMI_API_KEY, GMI_ORGANIZATION_ID, GMI_BASE_URL (real GMI),
 * N8N_PORT (default 5678), HAILUO_N8N_CACHE (runtime cache folder), HAILUO_SKIP_BUILD=1.
 */

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const rt = require('./lib/n8n-runtime');

const PROJECT = rt.PROJECT_DIR;
const LOCAL = path.join(PROJECT, '.n8n-local');
const log = (m) => process.stdout.write(`${m}\n`);

async function portInUse(port) {
	try {
		await rt.httpJson('GET', `http://127.0.0.1:${port}/`, { timeoutMs: 1500 });
		return true;
	} catch (e) {
		return !/ECONNREFUSED/.test(String(e && e.cause ? e.cause.code || e.cause.message : e));
	}
}

function ownerFile() {
	return path.join(LOCAL, 'owner.json');
}

function localOwner() {
	try {
		const o = JSON.parse(fs.readFileSync(ownerFile(), 'utf8'));
		if (o.email && o.password) return o;
	} catch {}
	// n8n wants 8+ characters with an upper-case letter and a digit
	const o = { email: 'owner@example.com', password: `Hailuo-${crypto.randomBytes(6).toString('hex')}-7` };
	fs.writeFileSync(ownerFile(), JSON.stringify(o, null, 2), { mode: 0o600 });
	return o;
}

/**
 * A copy of an example whose HTTP Request nodes fetch `imageUrl` (the simulator's sample image)
 * instead of an internet image, so the image-to-video example runs offline. Returns its path.
 */
function withSampleImage(file, imageUrl) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	for (const node of workflow.nodes || []) {
		const url = node.parameters && node.parameters.url;
		if (node.type === 'n8n-nodes-base.httpRequest' && typeof url === 'string' && /^https?:\/\//.test(url)) node.parameters.url = imageUrl;
	}
	const copy = path.join(LOCAL, 'examples', path.basename(file));
	fs.mkdirSync(path.dirname(copy), { recursive: true });
	fs.writeFileSync(copy, JSON.stringify(workflow, null, 2));
	return copy;
}

let stopping = false;

async function main() {
	const t0 = Date.now();
	rt.installExitHandlers({
		onSignal: async () => {
			stopping = true;
			log(process.env.GMI_API_KEY ? '\nStopping n8n…' : '\nStopping n8n and the simulator…');
		},
		log,
	});
	fs.mkdirSync(LOCAL, { recursive: true });
	const port = Number(process.env.N8N_PORT || 5678);
	if (await portInUse(port)) {
		throw new Error(`port ${port} on 127.0.0.1 is already in use (another n8n?). Stop it or set N8N_PORT.`);
	}

	if (!rt.runtimeIsComplete()) {
		log(`First run: n8n ${rt.N8N_VERSION} is installed once into ${rt.cacheRoot()} (a few minutes); later runs start in seconds.`);
	}
	// Two things run side by side: build → pack → install the package, and (once the runtime is
	// there) simulator → credential → examples. Neither needs the other.
	const runtimeP = rt.ensureRuntime({ log });
	const packageP = (async () => {
		log(process.env.HAILUO_SKIP_BUILD ? 'Packing the package…' : 'Building and packing the package…');
		const pack = await rt.buildAndPack({ destDir: path.join(LOCAL, 'pack'), skipBuild: !!process.env.HAILUO_SKIP_BUILD, log });
		// only one tarball in the folder: the one just packed
		for (const f of fs.readdirSync(path.dirname(pack.tgz))) {
			if (f.endsWith('.tgz') && path.join(path.dirname(pack.tgz), f) !== pack.tgz) fs.rmSync(path.join(path.dirname(pack.tgz), f));
		}
		log(`Installing ${path.basename(pack.tgz)} into ${path.relative(PROJECT, path.join(LOCAL, '.n8n', 'nodes'))}…`);
		await rt.installPackage(pack.tgz, LOCAL);
	})();
	packageP.catch(() => {});

	let credential;
	let sim = null;
	if (process.env.GMI_API_KEY) {
		credential = rt.gmiCredential({
			name: rt.REAL_CREDENTIAL_NAME,
			apiKey: process.env.GMI_API_KEY,
			organizationId: process.env.GMI_ORGANIZATION_ID || '',
			baseUrl: process.env.GMI_BASE_URL || rt.REAL_BASE_URL,
		});
		log(`GMI_API_KEY is set: the credential "${credential.name}" points at ${credential.data.baseUrl}.`);
	} else {
		// fixed ports keep the stored credential and the examples' image URL valid from one run to the next
		const simPort = Number(process.env.GMI_SIM_PORT || 5680);
		const simLog = path.join(LOCAL, 'simulator.log');
		sim = await rt
			.startSimulator({ port: simPort, args: ['--files-port', String(simPort + 1)], logFile: simLog })
			.catch(() => rt.startSimulator({ logFile: simLog }));
		credential = rt.gmiCredential({ apiKey: sim.apiKey, baseUrl: sim.url });
		log(`GMI simulator running at ${sim.url} (no key or account needed).`);
	}
	const runtime = await runtimeP;

	// import again only what changed, so edits made in the editor survive restarts; the stamps live
	// in .n8n-local/.n8n, so removing that folder (the database) imports everything again
	const importsP = (async () => {
		const stampDir = path.join(LOCAL, '.n8n');
		fs.mkdirSync(stampDir, { recursive: true });
		const changed = (name, content) => {
			const digest = crypto.createHash('sha256').update(content).digest('hex');
			const stamp = path.join(stampDir, `.hailuo-${name}-imported`);
			const prev = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
			return prev === digest ? null : () => fs.writeFileSync(stamp, digest);
		};
		const credDone = changed('credential', JSON.stringify(credential));
		if (credDone) {
			log(`Importing the credential "${credential.name}"…`);
			await rt.importCredentials(runtime, LOCAL, [credential]);
			credDone();
		}
		const examples = sim ? rt.exampleFiles().map((f) => withSampleImage(f, `${sim.filesUrl}/samples/first-frame.jpg`)) : rt.exampleFiles();
		if (examples.length) {
			const exDone = changed('examples', examples.map((f) => f + fs.readFileSync(f, 'utf8')).join('\0'));
			if (exDone) {
				const r = await rt.importWorkflows(runtime, LOCAL, examples);
				exDone();
				log(`Imported ${r.count} example workflow(s) from examples/.`);
			} else {
				log(`Example workflows already imported (${examples.length}, unchanged).`);
			}
		}
	})();
	await Promise.all([packageP, importsP]);

	log(`Starting n8n ${rt.N8N_VERSION} on http://127.0.0.1:${port} (log: ${path.relative(PROJECT, path.join(LOCAL, 'n8n.log'))})…`);
	const n8n = await rt.startN8n(runtime, { userFolder: LOCAL, port, logFile: path.join(LOCAL, 'n8n.log'), log });
	const owner = localOwner();
	await rt.setupOwner(n8n.url, owner);

	log('');
	log(`n8n is ready (${rt.fmtSecs(Date.now() - t0)}): ${n8n.url}`);
	log(`Email: ${owner.email}`);
	log(`Password: ${owner.password}`);
	log(`Credential: "${credential.name}" → ${credential.data.baseUrl}`);
	log('Press Ctrl-C to stop n8n' + (sim ? ' and the simulator.' : '.'));

	const which = await Promise.race([
		n8n.child.exited.then((e) => ({ what: 'n8n', e })),
		sim ? sim.child.exited.then((e) => ({ what: 'the simulator', e })) : new Promise(() => {}),
	]);
	if (stopping) return; // Ctrl-C: the signal handler stops everything and exits
	log(`\n${which.what} stopped unexpectedly (exit ${which.e.code}${which.e.signal ? `, ${which.e.signal}` : ''}); see .n8n-local/*.log`);
	await rt.stopAll();
	process.exit(1);
}

main().catch(async (e) => {
	if (stopping) return;
	process.stderr.write(`\nnpm start failed: ${e && e.message ? e.message : e}\n`);
	await rt.stopAll();
	process.exit(1);
});
