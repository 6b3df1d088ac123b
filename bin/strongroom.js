#!/usr/bin/env node
// Installed entry point: runs the compiled CLI (npm run build). In a checkout use `npm run strongroom -- ARGS`.
import '../dist/services/cli/main.js';
