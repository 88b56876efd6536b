#!/usr/bin/env node
import { runMigrateCli } from './cli';

process.exitCode = await runMigrateCli(process.argv.slice(2), process.env);
