export { createRedisConnection, createRedisCommandConnection, type RedisConnectionOptions } from './connection.js';
export { startLocalRedis, type LocalRedis, type LocalRedisOptions } from './supervisor.js';
export { ensureRedisServer, findRedisServer, REDIS_MISSING_HELP } from './binary.js';
