/** Builds `@switchyard/plugin-testing` from the checkout or installation `root` into the package folder `outDir`. */
export function buildPluginTesting(options: { root: string; outDir: string }): Promise<string>;
