import { badInput } from '../../protocol/domain-error.js';

/** The caps of SPEC §5.1, from configuration. */
export interface SecretCaps {
  /** Entries one import may hold. */
  importEntries: number;
  /** Personal secrets one user may hold in a workspace. */
  personalSecretsPerUser: number;
}

/** Generous defaults for services built without configuration (tests, tools). */
export const DEFAULT_SECRET_CAPS: SecretCaps = { importEntries: 10_000, personalSecretsPerUser: 1_000 };

/** Refuses an import of more entries than the cap, before anything is sealed or read. */
export function assertImportSize(entries: number, caps: SecretCaps): void {
  if (entries > caps.importEntries)
    throw badInput(
      'dotenv',
      `The import holds ${entries} entries; at most ${caps.importEntries} are allowed.`,
      {
        maxEntries: caps.importEntries,
      },
    );
}

/** Refuses `adding` personal secrets to a user who already holds `held`, past the cap. */
export function assertPersonalRoom(held: number, adding: number, caps: SecretCaps): void {
  if (adding > 0 && held + adding > caps.personalSecretsPerUser)
    throw badInput(
      'scope',
      `A user holds at most ${caps.personalSecretsPerUser} personal secrets (${held} held, ${adding} more asked).`,
      { maxPersonalSecrets: caps.personalSecretsPerUser },
    );
}
