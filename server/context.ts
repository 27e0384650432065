import type { Config } from './config';
import type { Database } from './shared/database';
import type { Logger } from './shared/logger';

/** What every feature's router factory receives: nothing global, so tests can build several apps. */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Database;
  /** The clock: features read time only through this, so tests can move it without sleeping. */
  now: () => Date;
}
