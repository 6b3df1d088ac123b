/** The stored form of one secret version's value: ciphertext, its nonce and tag, and the wrapped data key. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  /** The master key (key-encryption key) that wrapped `wrappedKey`. */
  keyId: string;
}
