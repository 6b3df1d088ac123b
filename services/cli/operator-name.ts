import { userInfo } from 'node:os';

/** Who ran an operator command, for its audit record; containers may have no passwd entry. */
export function operatorName(): string {
  try {
    return `os:${userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}
