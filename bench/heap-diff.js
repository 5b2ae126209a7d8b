#!/usr/bin/env node
'use strict';
/**
 * What a heap grew by between two V8 heap snapshots, by object kind (constructor, closure name,
 * strings, code…): count and self size, largest growth first. Used with the snapshots
 * `BENCH_HEAP_SNAPSHOT=DIR npm run bench:1000` writes (baseline, then all items waiting).
 *
 *   node --max-old-space-size=4096 bench/heap-diff.js baseline.heapsnapshot waiting-1000.heapsnapshot [rows] [items]
 */
const fs = require('fs');

function kinds(file) {
	const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
	const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
	const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
	const { nodes, strings } = snapshot;
	const byKind = new Map();
	for (let i = 0; i < nodes.length; i += fields.length) {
		const type = types[nodes[i + typeAt]];
		const name = strings[nodes[i + nameAt]];
		const kind = /string/.test(type) ? '(strings)' : type === 'code' ? '(compiled code)' : type === 'closure' ? `closure ${name || '(anonymous)'}` : type === 'object' || type === 'native' ? name : `(${type})`;
		const entry = byKind.get(kind) ?? { count: 0, bytes: 0 };
		entry.count++;
		entry.bytes += nodes[i + sizeAt];
		byKind.set(kind, entry);
	}
	return byKind;
}

const [before, after, rows = '40', items = '1000'] = process.argv.slice(2);
const a = kinds(before);
const b = kinds(after);
const growth = [...b].map(([kind, { count, bytes }]) => ({ kind, count: count - (a.get(kind)?.count ?? 0), bytes: bytes - (a.get(kind)?.bytes ?? 0) }));
const total = growth.reduce((n, g) => n + g.bytes, 0);
console.log(`heap growth ${(total / 2 ** 20).toFixed(1)} MB = ${(total / Number(items) / 1024).toFixed(1)} kB per item (${items} items)`);
for (const g of growth.sort((x, y) => y.bytes - x.bytes).slice(0, Number(rows))) {
	console.log(`${(g.bytes / 1024).toFixed(0).padStart(8)} kB ${String(g.count).padStart(8)} × ${g.kind.slice(0, 100)}`);
}
