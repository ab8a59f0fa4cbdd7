export { createHttpClient, type GuardedHttpClient, type GuardedHttpRequest, type HttpClientOptions } from './client.js';
export { OutboundBlockedError } from './errors.js';
export { AllowList, checkDestination, systemResolver, type CheckedAddress, type Resolver } from './guard.js';
export { blockedReason, parseIp, parseRange, type IpAddress, type IpRange } from './ip.js';
