/** Writes `.d.ts` files for `files` (only those in `only`, default all) into `outDir`. */
export function emitDeclarations(options: { files: string[]; rootDir: string; outDir: string; cwd: string; only?: string[] }): Promise<void>;
/** Builds the SDK in `sdkDir` into `<outDir>/dist` (default: `<sdkDir>/dist`); resolves to the dist folder. */
export function buildSdk(options: { sdkDir: string; outDir?: string }): Promise<string>;
