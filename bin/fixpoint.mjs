#!/usr/bin/env node
// The `fixpoint` command. The CLI is TypeScript (it shares workers/lang with the browser), so tsx's
// loader is registered first and the entry point is imported as source.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../cli/main.ts', import.meta.url).href);
