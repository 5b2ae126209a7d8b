#!/usr/bin/env node
'use strict';
/**
 * Summarises a `--cpu-prof` profile: self time by owner (this package, n8n-core, n8n-workflow,
 * axios and other packages, Node internals, GC) and the top functions, optionally only inside
 * a window of the monotonic clock (ms, as bench/thousand.bench.ts prints `profileWindowMs`), so a
 * phase or a stall can be attributed.
 *
 *   node bench/profile-summary.js CPU.cpuprofile [fromMs] [toMs]
 */
const fs = require('fs');

const [file, fromArg, toArg] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const from = fromArg === undefined ? -Infinity : Number(fromArg) * 1000;
const to = toArg === undefined ? Infinity : Number(toArg) * 1000;
const inWindow = Number.isFinite(from) || Number.isFinite(to);

function ownerOf(url, name) {
	if (name === '(garbage collector)') return 'GC';
	if (name === '(idle)' || name === '(program)') return name;
	if (!url) return 'node internals';
	if (url.includes('/nodes/Hailuo/') || url.includes('/credentials/')) return 'n8n-nodes-hailuo';
	if (url.includes('/test/') || url.includes('/bench/')) return 'harness (engine helper, bench)';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replace(/.*node_modules\//, 'node_modules/'));
	if (match) return match[1];
	if (url.startsWith('node:')) return 'node internals';
	return url;
}

const selfByNode = new Map();
let t = profile.startTime;
profile.samples.forEach((id, i) => {
	const dt = profile.timeDeltas[i] ?? 0;
	t += dt;
	if (t < from || t > to) return;
	selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
});
const byOwner = new Map();
const byFunction = new Map();
for (const [id, us] of selfByNode) {
	const { callFrame } = byId.get(id);
	const owner = ownerOf(callFrame.url, callFrame.functionName);
	byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
	const key = `${callFrame.functionName || '(anonymous)'} ${owner} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
	byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const total = [...byOwner.entries()].filter(([owner]) => owner !== '(idle)').reduce((n, [, us]) => n + us, 0);
const show = (map, n) =>
	[...map.entries()]
		.filter(([key]) => !key.startsWith('(idle)'))
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([key, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`)
		.join('\n');
console.log(`busy ${(total / 1000).toFixed(0)} ms${inWindow ? ` in ${((to - from) / 1e6).toFixed(1)} s` : ''}\nby owner:\n${show(byOwner, 15)}\ntop functions:\n${show(byFunction, 25)}`);
