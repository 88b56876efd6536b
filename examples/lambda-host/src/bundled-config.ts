/**
 * The store's configuration (`fulfil.config.ts` / `.js` / `.json`), imported statically when
 * the bundle is built: a Lambda bundle cannot load a TypeScript file from disk at run time.
 * `scripts/build.mjs` replaces this module with `import config from '<the file>'` when
 * `FULFIL_CONFIG` (or `--config`) names a file or a `fulfil.config.*` sits next to
 * `template.yaml`; otherwise, as here, there is none and the host keeps its defaults.
 */
export const bundledConfig: { file: string; value: unknown } | undefined = undefined;
