/** Types for server-build.mjs (plain JS so it runs before dependencies are installed). */
export declare const serverBundle: string;
export declare function switchyardNodeArgs(): string[];
export declare function serverBuildIsFresh(): boolean;
export declare function buildServer(): Promise<void>;
