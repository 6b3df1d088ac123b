import { createWebhookStore } from '../../storage/webhook-store.js';
import { keyringMembers } from '../../core/crypto/keyring-routing.js';
import type { Keyring } from '../../core/crypto/keyring.js';
import type { Pkcs11Keyring } from '../../core/crypto/pkcs11/pkcs11-keyring.js';
import type { Config } from '../../core/config/config.js';
import { openRuntime } from '../../app/runtime.js';
import type { CommandContext } from '../command.js';

/** Where each provider's keys are, in words an operator recognises. */
function describeProvider(keyring: Keyring, config: Config): string {
  switch (keyring.provider) {
    case 'file':
      return config.masterKeys.kind === 'env'
        ? 'file (STRONGROOM_MASTER_KEYS)'
        : `file (${'path' in config.masterKeys ? config.masterKeys.path : 'none'})`;
    case 'pkcs11':
      return `pkcs11 (token "${config.keyring.pkcs11!.tokenLabel}", library ${config.keyring.pkcs11!.libraryPath})`;
    case 'aws-kms':
      return `aws-kms (key ${config.keyring.awsKms!.keyId})`;
  }
}

/**
 * `strongroom keys status`: the provider, whether each configured keyring answers (a
 * refused PIN says so), and how many data keys each key id still wraps (one GROUP BY
 * over secret_versions.key_id, one over webhook signing secrets). Exits 1 when a keyring does not answer or some data
 * keys are wrapped by a key no configured keyring can unwrap.
 */
export async function keysStatus(context: CommandContext): Promise<number> {
  const { config, out } = context;
  const runtime = await openRuntime(config, context.logger);
  try {
    const members = keyringMembers(runtime.keyring);
    let healthy = true;
    out(`provider: ${config.keyring.provider}`);
    out(`active key: ${runtime.keyring.activeKeyId()}`);
    for (const [i, keyring] of members.entries()) {
      const role = i === 0 ? 'wraps and unwraps' : 'unwraps only';
      const answer = await keyring.check().then(
        () => 'answers',
        (error: unknown) => {
          healthy = false;
          return `DOES NOT ANSWER: ${(error as Error).message}`;
        },
      );
      out(`keyring ${describeProvider(keyring, config)}, ${role}: ${answer}`);
      if (keyring.provider === 'pkcs11' && answer === 'answers') {
        for (const key of await (keyring as Pkcs11Keyring).describeKeys()) {
          out(
            `  ${key.keyId}: ${key.aes256 ? 'AES-256' : 'NOT AES-256'}, ` +
              `${key.extractable ? 'EXTRACTABLE' : 'not extractable'}, ${key.sensitive ? 'sensitive' : 'NOT SENSITIVE'}`,
          );
        }
      }
    }
    out('data keys by master key:');
    // Secret versions and webhook signing secrets: both are sealed under data keys the master keys wrap.
    const counts = mergeCounts([
      ...(await runtime.secretStore.countVersionsByKey()),
      ...(await createWebhookStore({ dataSource: runtime.dataSource }).countSigningKeysByKey()),
    ]);
    if (counts.length === 0) out('  (none)');
    for (const { keyId, count } of counts.sort((a, b) => b.count - a.count)) {
      const owner = members.find((k) => k.owns(keyId));
      if (!owner) healthy = false;
      const note = !owner
        ? 'NO CONFIGURED KEYRING CAN UNWRAP THESE'
        : keyId === runtime.keyring.activeKeyId()
          ? `${owner.provider}, active`
          : `${owner.provider}; \`keys rewrap\` moves them to the active key`;
      out(`  ${keyId}  ${count}  (${note})`);
    }
    return healthy ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

function mergeCounts(
  counts: Array<{ keyId: string; count: number }>,
): Array<{ keyId: string; count: number }> {
  const byKey = new Map<string, number>();
  for (const { keyId, count } of counts) byKey.set(keyId, (byKey.get(keyId) ?? 0) + count);
  return [...byKey].map(([keyId, count]) => ({ keyId, count }));
}
