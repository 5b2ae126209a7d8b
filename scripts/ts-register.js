'use strict';
/**
 * A tiny require hook so plain `node` can run this project's TypeScript (no ts-node needed):
 *
 *   node -r ./scripts/ts-register.js bench/wait.bench.ts
 *
 * Every `.ts` file outside node_modules is transpiled on load with the project's own `typescript`
 * (transpileModule: no type checking, CommonJS, ES2021, esModuleInterop). Type errors are the job
 * of `tsc` / jest, not of this hook.
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2021,
	esModuleInterop: true,
	resolveJsonModule: true,
	inlineSourceMap: true,
	inlineSources: false,
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
	if (filename.includes(`${path.sep}node_modules${path.sep}`)) {
		throw new Error(`ts-register: refusing to transpile ${filename} (TypeScript inside node_modules)`);
	}
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText, diagnostics } = ts.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: true });
	const syntaxErrors = (diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
	if (syntaxErrors.length) {
		const message = ts.formatDiagnostics(syntaxErrors, {
			getCanonicalFileName: (f) => f,
			getCurrentDirectory: () => process.cwd(),
			getNewLine: () => '\n',
		});
		throw new SyntaxError(`ts-register: cannot transpile ${filename}\n${message}`);
	}
	module._compile(outputText, filename);
};

// Resolve `./X` to X.ts before X.json / X.node, as TypeScript does (Hailuo.node.ts sits next to its
// codex file Hailuo.node.json). Node tries extensions in the order they were registered.
for (const ext of ['.json', '.node']) {
	const loader = require.extensions[ext];
	delete require.extensions[ext];
	require.extensions[ext] = loader;
}

// Source maps in stack traces point at the .ts lines.
if (typeof process.setSourceMapsEnabled === 'function') process.setSourceMapsEnabled(true);
