// What Settings knows, and what every panel may ask of it.
import type { ApiKey, KeyReminder, User, Workspace } from './types';

export interface State {
  user: User;
  workspaces: Workspace[];
  active: ApiKey[];
  revoked: ApiKey[];
  reminders: KeyReminder[];
  /** <details> left open survive a re-render (keyed by their data-details name). */
  openDetails: Set<string>;
}

export interface Controller {
  state: State;
  /** Reloads the key lists from the server and redraws; focus goes to `focusSelector` if given. */
  reloadKeys(focusSelector?: string): Promise<void>;
  render(focusSelector?: string): void;
}
