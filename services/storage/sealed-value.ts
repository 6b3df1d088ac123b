/** The stored form of one secret version's value: ciphertext, its nonce and tag, and the wrapped data key. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  /** The master key (key-encryption key) that wrapped `wrappedKey`. */
  keyId: string;
  /**
   * What the value and its data key are bound to (their AAD): 1 workspace, secret and
   * version; 2 also the secret's scope and owner (SPEC §8.1), so a version moved to
   * another owner's secret, or a secret moved to another scope, no longer opens.
   */
  binding: number;
}
