#!/usr/bin/env node
// Entry of `npx hyper`: bundles the CLI from src/ when the bundle is missing or older than the sources (a
// fraction of a second, once; see build-cli.mjs), then runs it. The CLI is the app's own domain code, not a copy.
import { pathToFileURL } from 'node:url';
import { buildCli, cliBundle, cliBundleStale } from './build-cli.mjs';

if (cliBundleStale()) await buildCli();
const { main } = await import(pathToFileURL(cliBundle).href);
process.exitCode = await main(process.argv.slice(2));
