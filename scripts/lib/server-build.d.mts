/** Types for server-build.mjs (plain JS so it runs before dependencies are installed). */
export declare const serverBundle: string;
/** The Node flag that makes our workspace packages resolve to their TypeScript sources. */
export declare const sourceConditionFlag: string;
export declare function switchyardNodeArgs(): string[];
export declare function serverBuildIsFresh(): boolean;
export declare function buildServer(): Promise<void>;
