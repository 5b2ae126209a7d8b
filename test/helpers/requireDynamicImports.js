'use strict';
/**
 * Jest runs node_modules as CommonJS in its own vm, where `import()` needs --experimental-vm-modules.
 * n8n 2.x loads its expression isolates (and QuickJS its wasm build) with `import()`: for those few
 * packages it becomes `require`, so the trigger tests run n8n's isolate engine as n8n does.
 */
module.exports = {
	process(source) {
		return { code: source.replace(/\bimport\((['"][^'"]+['"])\)/g, 'Promise.resolve().then(() => require($1))') };
	},
};
