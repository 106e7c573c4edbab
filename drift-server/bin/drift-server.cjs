#!/usr/bin/env node
'use strict';
const { main } = require('../dist/cli/main.js');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`drift-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
);
