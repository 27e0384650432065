// Public API of the embedded MongoDB-compatible server (see README.md in this folder).
export { EmbeddedMongoServer, type EmbeddedMongoOptions } from './server';
export type { UnindexedQuery } from './coverage';
