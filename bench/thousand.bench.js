#!/usr/bin/env node
// `npm run bench:1000`: runs bench/thousand.bench.ts (1000 waiting items through n8n's engine) via the TS require hook.
require('../scripts/ts-register');
require('./thousand.bench.ts');
